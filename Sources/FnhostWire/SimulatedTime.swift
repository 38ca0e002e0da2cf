/// The `Fnhost-Simulated` header: how much of a call's latency fnhost simulated, sent by the host on every Invoke API
/// answer (and by `fnhost serve`'s gateway on every routed answer). AWS Lambda sends no such header.
///
/// It exists because a caller measures only wall time: under a time scale, a simulated delay of 35 ms sleeps 0.35 ms,
/// so a caller (the `eligibility` orchestrator timing its branches) needs both figures to report what it measured and
/// what it would have waited on Lambda: `measured = wall − sleptMs`, `latency = measured + simulatedMs`. The value
/// reads `simulated-ms=70.5; slept-ms=0.705`: `;`-separated `key=value` fields in any order, unknown fields skipped.
/// One writer (``headerValue``) and one parser (``init(parsing:)``), fuzzed.
public struct SimulatedTime: Sendable, Equatable {
    /// The header the host sends.
    public static let headerName = "Fnhost-Simulated"

    /// Every simulated millisecond of the call (cold start, invoke overhead, gateway delay, nested calls).
    public var simulatedMs: Double
    /// Real milliseconds the host slept for them (simulated × time scale).
    public var sleptMs: Double

    public init(simulatedMs: Double, sleptMs: Double) {
        self.simulatedMs = simulatedMs
        self.sleptMs = sleptMs
    }

    /// No simulated time at all (a call without a profile, or an answer without the header).
    public static let zero = SimulatedTime(simulatedMs: 0, sleptMs: 0)

    /// Why a header value is not a simulated-time annotation.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A `;`-separated part is not `key=value`.
        case malformedField(String)
        /// A field is not a finite number of milliseconds ≥ 0.
        case invalidMilliseconds(field: String, value: String)
        /// A required field is missing.
        case missingField(String)
        /// A known field appears twice.
        case duplicateField(String)

        public var description: String {
            switch self {
            case .malformedField(let part): "\(SimulatedTime.headerName): \"\(part)\" is not a key=value field"
            case .invalidMilliseconds(let field, let value):
                "\(SimulatedTime.headerName): \(field) \"\(value)\" is not a finite number of milliseconds ≥ 0"
            case .missingField(let field): "\(SimulatedTime.headerName): no \(field) field"
            case .duplicateField(let field): "\(SimulatedTime.headerName): field \(field) appears twice"
            }
        }
    }

    private enum Field {
        static let simulated = "simulated-ms"
        static let slept = "slept-ms"
    }

    /// Two sums of simulated time, as a caller of two calls in a row sees them.
    public static func + (a: SimulatedTime, b: SimulatedTime) -> SimulatedTime {
        SimulatedTime(simulatedMs: a.simulatedMs + b.simulatedMs, sleptMs: a.sleptMs + b.sleptMs)
    }

    /// The header's value: the one writer. A negative or non-finite time is written as 0, so what is written parses.
    public var headerValue: String {
        func ms(_ value: Double) -> String { value.isFinite && value > 0 ? "\(value)" : "0" }
        return "\(Field.simulated)=\(ms(simulatedMs)); \(Field.slept)=\(ms(sleptMs))"
    }

    /// Reads a header value: the one parser. Both fields are required.
    public init(parsing value: String) throws(ParseError) {
        var fields: [String: Double] = [:]
        for rawPart in value.split(separator: ";", omittingEmptySubsequences: false) {
            let part = Self.trimmed(rawPart)
            if part.isEmpty { continue }
            guard let equals = part.firstIndex(of: "=") else { throw .malformedField(String(part)) }
            let key = String(Self.trimmed(part[..<equals]))
            let text = Self.trimmed(part[part.index(after: equals)...])
            guard !key.isEmpty else { throw .malformedField(String(part)) }
            guard key == Field.simulated || key == Field.slept else { continue }
            guard fields[key] == nil else { throw .duplicateField(key) }
            guard let ms = Double(text), ms.isFinite, ms >= 0 else {
                throw .invalidMilliseconds(field: key, value: String(text))
            }
            fields[key] = ms
        }
        guard let simulated = fields[Field.simulated] else { throw .missingField(Field.simulated) }
        guard let slept = fields[Field.slept] else { throw .missingField(Field.slept) }
        self.init(simulatedMs: simulated, sleptMs: slept)
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var s = s
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
