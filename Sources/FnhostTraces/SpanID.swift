import FnhostWire

/// A span's 64-bit id: 16 lowercase hex digits in X-Ray's `Parent=`, in W3C's `traceparent` and in OTLP. Zero is not
/// an id (W3C calls an all-zero parent invalid).
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    public var value: UInt64

    /// Nil for zero.
    public init?(_ value: UInt64) {
        guard value != 0 else { return nil }
        self.value = value
    }

    /// A new random id.
    public static func random(using generator: inout some RandomNumberGenerator) -> SpanID {
        SpanID(generator.next() as UInt64) ?? SpanID(1)!
    }

    /// 16 lowercase hex digits.
    public var hex: String { Hex.string(value, digits: 16) }
    /// The 8 bytes, big-endian, as OTLP's protobuf carries them.
    public var bytes: [UInt8] { Hex.bytes(value) }
    public var description: String { hex }

    /// Reads exactly 16 hex digits (either case); nil for anything else and for zero.
    public init?(parsing text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 16, let v = Hex.value(utf8[...]) else { return nil }
        self.init(v)
    }
}
