/// The `Fnhost-Cache` annotation: how a worker's cache lookup went, sent by the worker as a header on its Runtime API
/// response and counted by the host per worker and per function. AWS Lambda ignores the header.
///
/// It exists so that the header has one writer (``headerValue``, used by the worker runtime) and one parser
/// (``init(parsing:)``, used by the host), and the two cannot drift apart. The value reads
/// `outcome=worker-hit; worker-ms=0.012; shared-ms=0; store-ms=0`: `;`-separated `key=value` fields, in any order.
public struct CacheAnnotation: Sendable, Equatable {
    /// The header the worker sends.
    public static let headerName = "Fnhost-Cache"
    /// The key the host files the annotation under: header names are case-insensitive, and the host lower-cases them.
    public static let annotationKey = "fnhost-cache"

    /// Which tier answered the lookup.
    public enum Outcome: String, Sendable, CaseIterable {
        /// The worker's own memory.
        case workerHit = "worker-hit"
        /// The shared (Redis) tier.
        case sharedHit = "shared-hit"
        /// Neither: the reference store answered.
        case miss
    }

    /// Why a header value is not a cache annotation. The host ignores such a value rather than count it wrongly.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A `;`-separated part is not `key=value`.
        case malformedField(String)
        /// No `outcome` field.
        case missingOutcome
        /// `outcome` is not `worker-hit`, `shared-hit` or `miss`.
        case unknownOutcome(String)
        /// A `*-ms` field is not a finite number ≥ 0.
        case invalidMilliseconds(field: String, value: String)
        /// A known field appears twice.
        case duplicateField(String)

        public var description: String {
            switch self {
            case .malformedField(let part): "Fnhost-Cache: \"\(part)\" is not a key=value field"
            case .missingOutcome: "Fnhost-Cache: no outcome field (expected outcome=worker-hit|shared-hit|miss)"
            case .unknownOutcome(let value):
                "Fnhost-Cache: outcome \"\(value)\" is not one of \(Outcome.allCases.map(\.rawValue).joined(separator: ", "))"
            case .invalidMilliseconds(let field, let value):
                "Fnhost-Cache: \(field) \"\(value)\" is not a finite number of milliseconds ≥ 0"
            case .duplicateField(let field): "Fnhost-Cache: field \(field) appears twice"
            }
        }
    }

    public var outcome: Outcome
    /// Measured milliseconds spent in the worker's memory tier.
    public var workerMs: Double
    /// Measured milliseconds spent in the shared tier.
    public var sharedMs: Double
    /// Measured milliseconds spent in the reference store.
    public var storeMs: Double

    public init(outcome: Outcome, workerMs: Double = 0, sharedMs: Double = 0, storeMs: Double = 0) {
        self.outcome = outcome
        self.workerMs = workerMs
        self.sharedMs = sharedMs
        self.storeMs = storeMs
    }

    private enum Field {
        static let outcome = "outcome"
        static let workerMs = "worker-ms"
        static let sharedMs = "shared-ms"
        static let storeMs = "store-ms"
    }

    /// The header's value: the one writer. A negative or non-finite time is written as 0, so that what is written
    /// always parses.
    public var headerValue: String {
        func ms(_ value: Double) -> String { value.isFinite && value > 0 ? "\(value)" : "0" }
        return "\(Field.outcome)=\(outcome.rawValue); \(Field.workerMs)=\(ms(workerMs)); "
            + "\(Field.sharedMs)=\(ms(sharedMs)); \(Field.storeMs)=\(ms(storeMs))"
    }

    /// Reads a header value: the one parser. Fields may come in any order and unknown fields are skipped (a newer
    /// worker may send more); `outcome` is required, a missing time is 0, and anything else that is not as
    /// ``headerValue`` writes it is refused.
    public init(parsing value: String) throws(ParseError) {
        var outcome: Outcome?
        var times: [String: Double] = [:]
        for rawPart in value.split(separator: ";", omittingEmptySubsequences: false) {
            let part = Self.trimmed(rawPart)
            if part.isEmpty { continue }
            guard let equals = part.firstIndex(of: "=") else { throw .malformedField(String(part)) }
            let key = Self.trimmed(part[..<equals])
            let fieldValue = Self.trimmed(part[part.index(after: equals)...])
            guard !key.isEmpty else { throw .malformedField(String(part)) }
            switch key {
            case Field.outcome:
                guard outcome == nil else { throw .duplicateField(Field.outcome) }
                guard let parsed = Outcome(rawValue: String(fieldValue)) else {
                    throw .unknownOutcome(String(fieldValue))
                }
                outcome = parsed
            case Field.workerMs, Field.sharedMs, Field.storeMs:
                let name = String(key)
                guard times[name] == nil else { throw .duplicateField(name) }
                guard let ms = Double(fieldValue), ms.isFinite, ms >= 0 else {
                    throw .invalidMilliseconds(field: name, value: String(fieldValue))
                }
                times[name] = ms
            default:
                continue
            }
        }
        guard let outcome else { throw .missingOutcome }
        self.init(
            outcome: outcome, workerMs: times[Field.workerMs] ?? 0, sharedMs: times[Field.sharedMs] ?? 0,
            storeMs: times[Field.storeMs] ?? 0
        )
    }

    private static func trimmed(_ s: Substring) -> Substring {
        var s = s
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
