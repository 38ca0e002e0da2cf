/// The `X-Amzn-Trace-Id` header (and `Lambda-Runtime-Trace-Id`, `_X_AMZN_TRACE_ID`, which carry the same value):
/// `Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`.
///
/// One parser and one writer: a caller's header is read by the gateway and the Invoke API, a worker's by the host
/// when it calls another function, and both come from other processes (fuzzed).
public struct TraceHeader: Sendable, Equatable {
    public static let name = "X-Amzn-Trace-Id"

    public var root: TraceID
    /// The caller's span, whose child this request is; nil when the request starts the trace.
    public var parent: SpanID?
    /// `Sampled=1` / `0`; nil when the caller left the decision to the receiver (`Sampled=?` or absent).
    public var sampled: Bool?

    public init(root: TraceID, parent: SpanID? = nil, sampled: Bool? = nil) {
        self.root = root
        self.parent = parent
        self.sampled = sampled
    }

    /// Why a header value is not a trace header.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// Longer than ``maxLength``.
        case tooLong(Int)
        /// A `;`-separated part is not `key=value`.
        case malformedField(String)
        /// No `Root` field.
        case missingRoot
        /// `Root` is not `1-8HEX-24HEX`.
        case invalidRoot(String)
        /// `Parent` is not 16 hex digits (or is zero).
        case invalidParent(String)
        /// `Sampled` is not `0`, `1` or `?`.
        case invalidSampled(String)
        /// A known field appears twice.
        case duplicateField(String)

        public var description: String {
            let h = TraceHeader.name
            return switch self {
            case .tooLong(let n): "\(h): \(n) bytes, more than \(TraceHeader.maxLength)"
            case .malformedField(let part): "\(h): \"\(part)\" is not a key=value field"
            case .missingRoot: "\(h): no Root field (expected Root=1-8HEX-24HEX)"
            case .invalidRoot(let v): "\(h): Root \"\(v)\" is not 1-8HEX-24HEX"
            case .invalidParent(let v): "\(h): Parent \"\(v)\" is not 16 hex digits"
            case .invalidSampled(let v): "\(h): Sampled \"\(v)\" is not 0, 1 or ?"
            case .duplicateField(let f): "\(h): field \(f) appears twice"
            }
        }
    }

    /// X-Ray accepts headers up to 256 bytes of fields; fnhost refuses anything longer than this before reading it.
    public static let maxLength = 2048

    /// `Root=…;Parent=…;Sampled=1`: the one writer (`Parent` only when there is one, `Sampled=?` when undecided).
    public var value: String {
        var text = "Root=" + root.xray
        if let parent { text += ";Parent=" + parent.hex }
        text += ";Sampled=" + (sampled.map { $0 ? "1" : "0" } ?? "?")
        return text
    }

    /// Reads a header value: the one parser. Fields in any order, unknown fields (`Self=`, `Lineage=`) skipped,
    /// `Root` required; anything else not as X-Ray writes it is refused.
    public init(parsing text: String) throws(ParseError) {
        guard text.utf8.count <= Self.maxLength else { throw .tooLong(text.utf8.count) }
        var root: TraceID?
        var parent: SpanID?
        var sampled: Bool??
        var seenParent = false
        for rawPart in text.split(separator: ";", omittingEmptySubsequences: false) {
            let part = rawPart.trimmingSpaces
            if part.isEmpty { continue }
            guard let equals = part.firstIndex(of: "=") else { throw .malformedField(String(part)) }
            let key = part[..<equals].trimmingSpaces
            let value = part[part.index(after: equals)...].trimmingSpaces
            guard !key.isEmpty else { throw .malformedField(String(part)) }
            switch key {
            case "Root":
                guard root == nil else { throw .duplicateField("Root") }
                guard value.utf8.count == 35, let id = TraceID(parsing: value) else {
                    throw .invalidRoot(String(value))
                }
                root = id
            case "Parent":
                guard !seenParent else { throw .duplicateField("Parent") }
                seenParent = true
                guard let id = SpanID(parsing: value) else { throw .invalidParent(String(value)) }
                parent = id
            case "Sampled":
                guard sampled == nil else { throw .duplicateField("Sampled") }
                switch value {
                case "1": sampled = .some(true)
                case "0": sampled = .some(false)
                case "?": sampled = .some(nil)
                default: throw .invalidSampled(String(value))
                }
            default:
                continue
            }
        }
        guard let root else { throw .missingRoot }
        self.init(root: root, parent: parent, sampled: sampled ?? nil)
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs (header whitespace).
    var trimmingSpaces: Substring {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
