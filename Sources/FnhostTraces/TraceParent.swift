import FnhostWire

/// W3C Trace Context's `traceparent` header, `00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01`, accepted at
/// the gateway (and by the Invoke API) so that a caller instrumented with OpenTelemetry sees fnhost's spans in its own
/// trace. One parser (fuzzed: the bytes come from any HTTP client) and one writer.
public struct TraceParent: Sendable, Equatable {
    public static let name = "traceparent"

    public var traceID: TraceID
    /// The caller's span.
    public var parent: SpanID
    /// The trace flags; bit 0 is `sampled`.
    public var flags: UInt8

    public init(traceID: TraceID, parent: SpanID, flags: UInt8 = 1) {
        self.traceID = traceID
        self.parent = parent
        self.flags = flags
    }

    public var sampled: Bool { flags & 1 == 1 }

    /// Why a header value is not a `traceparent` (W3C: the receiver then starts a new trace).
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case tooShort(Int)
        case tooLong(Int)
        /// Not `version-traceid-parentid-flags` with `-` where they belong.
        case malformed
        /// Not two lowercase hex digits, or `ff`.
        case invalidVersion
        /// Version 00 with something after the flags.
        case trailingData
        /// Not 32 lowercase hex digits, or all zero.
        case invalidTraceID
        /// Not 16 lowercase hex digits, or all zero.
        case invalidParentID
        /// Not two lowercase hex digits.
        case invalidFlags

        public var description: String {
            let h = TraceParent.name
            return switch self {
            case .tooShort(let n): "\(h): \(n) characters, fewer than 55"
            case .tooLong(let n): "\(h): \(n) characters, more than \(TraceParent.maxLength)"
            case .malformed: "\(h): not version-traceid-parentid-flags"
            case .invalidVersion: "\(h): the version is not two lowercase hex digits other than ff"
            case .trailingData: "\(h): version 00 has nothing after the flags"
            case .invalidTraceID: "\(h): the trace id is not 32 lowercase hex digits, not all zero"
            case .invalidParentID: "\(h): the parent id is not 16 lowercase hex digits, not all zero"
            case .invalidFlags: "\(h): the flags are not two lowercase hex digits"
            }
        }
    }

    /// A bound on what a later version may add after the flags.
    public static let maxLength = 512

    /// `00-TRACEID-PARENTID-FLAGS`.
    public var value: String {
        "00-\(traceID.w3c)-\(parent.hex)-\(Hex.string(UInt64(flags), digits: 2))"
    }

    /// Reads a header value as W3C Trace Context level 1 says: version 00 exactly 55 characters; a later version at
    /// least 55, and what follows the flags must start with `-`.
    public init(parsing text: String) throws(ParseError) {
        let b = Array(text.utf8)
        guard b.count >= 55 else { throw .tooShort(b.count) }
        guard b.count <= Self.maxLength else { throw .tooLong(b.count) }
        let dash = UInt8(ascii: "-")
        guard b[2] == dash, b[35] == dash, b[52] == dash else { throw .malformed }
        guard Hex.isLowercase(b[0..<2]), let version = Hex.value(b[0..<2]), version != 0xFF else {
            throw .invalidVersion
        }
        if version == 0 {
            guard b.count == 55 else { throw .trailingData }
        } else if b.count > 55, b[55] != dash {
            throw .malformed
        }
        guard Hex.isLowercase(b[3..<35]), let high = Hex.value(b[3..<19]), let low = Hex.value(b[19..<35]),
            high | low != 0
        else { throw .invalidTraceID }
        guard Hex.isLowercase(b[36..<52]), let p = Hex.value(b[36..<52]), let parent = SpanID(p) else {
            throw .invalidParentID
        }
        guard Hex.isLowercase(b[53..<55]), let flags = Hex.value(b[53..<55]) else { throw .invalidFlags }
        self.init(traceID: TraceID(high: high, low: low), parent: parent, flags: UInt8(flags))
    }
}
