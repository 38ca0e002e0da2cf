import Foundation

/// Turns a key number into an event: `{"orgId":"ORG-{key:4}"}` gives `{"orgId":"ORG-0042"}` for key 42.
public struct PayloadTemplate: Sendable, Equatable {
    public let text: String

    /// Validates that the template has a `{key}` or `{key:WIDTH}` placeholder.
    public init(_ text: String) throws(ExperimentError) {
        guard text.contains("{key}") || text.range(of: "{key:") != nil else {
            throw .badTemplate("\"\(text)\" has no {key} placeholder; e.g. {\"orgId\":\"ORG-{key:4}\"}")
        }
        self.text = text
    }

    /// The template for the functions fnhost ships; nil for others.
    public static func defaultTemplate(for function: String) -> PayloadTemplate? {
        switch function {
        case "org-status": try? PayloadTemplate("{\"orgId\":\"ORG-{key:4}\"}")
        case "coverage": try? PayloadTemplate("{\"memberId\":\"M-{key:6}\"}")
        default: nil
        }
    }

    public func payload(key: Int) -> [UInt8] {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{key") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else { break }
            let spec = after[..<close]
            var number = String(key)
            if spec.hasPrefix(":"), let width = Int(spec.dropFirst()), number.count < width {
                number = String(repeating: "0", count: width - number.count) + number
            }
            out += number
            rest = after[after.index(after: close)...]
        }
        out += rest
        return Array(out.utf8)
    }
}

/// Why an experiment could not run.
public enum ExperimentError: Error, Sendable, CustomStringConvertible {
    case badTemplate(String)
    case invalid(String)
    case redis(String)
    case host(String)

    public var description: String {
        switch self {
        case .badTemplate(let m): "bad --key-template: \(m)"
        case .invalid(let m): m
        case .redis(let m): "Redis: \(m)"
        case .host(let m): m
        }
    }
}
