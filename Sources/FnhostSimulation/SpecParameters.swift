/// The `name=value,name=value` part of a distribution spec, checked against the names its kind takes.
struct SpecParameters {
    private let kind: String
    private var values: [String: Substring] = [:]

    init(_ body: Substring, kind: String, allowed: Set<String>) throws(DistributionSpecError) {
        self.kind = kind
        guard !body.isEmpty else {
            throw .missingParameter(kind: kind, parameter: allowed.sorted().first ?? "")
        }
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else { throw .malformed(kind: kind, text: String(body)) }
            let name = String(part[..<equals].trimmingSpaces).lowercased()
            guard allowed.contains(name) else { throw .unknownParameter(kind: kind, parameter: name) }
            guard values[name] == nil else { throw .duplicateParameter(kind: kind, parameter: name) }
            values[name] = part[part.index(after: equals)...]
        }
    }

    /// The named parameter as a finite, non-negative number.
    func number(_ name: String) throws(DistributionSpecError) -> Double {
        guard let text = values[name] else { throw .missingParameter(kind: kind, parameter: name) }
        guard let value = SpecNumber.parse(text) else {
            throw .invalidNumber(kind: kind, field: name, text: String(text.trimmingSpaces))
        }
        guard value >= 0 else { throw .negative(kind: kind, field: name, value: value) }
        return value
    }
}
