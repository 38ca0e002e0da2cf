import FnhostWire

/// A trace's 128-bit id, in the two spellings fnhost speaks: X-Ray's `1-5759e988-bd862e3fe1be46a994272793` (the first
/// 32 bits are the start time in Unix seconds) and W3C Trace Context's 32 lowercase hex digits. One value, so that a
/// trace started by a `traceparent` at the gateway keeps its id in `X-Amzn-Trace-Id` and in the OTLP export.
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    /// The first 64 bits (X-Ray: the epoch seconds, then 32 random bits).
    public var high: UInt64
    /// The last 64 bits.
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// A new id for a trace starting now: the epoch seconds in the first 32 bits, as X-Ray requires, and 96 random
    /// bits (never all zero, which W3C forbids).
    public static func random(epochSeconds: UInt32, using generator: inout some RandomNumberGenerator) -> TraceID {
        let a = generator.next() as UInt64
        var b = generator.next() as UInt64
        if a & 0xFFFF_FFFF == 0, b == 0 { b = 1 }
        return TraceID(high: UInt64(epochSeconds) << 32 | (a & 0xFFFF_FFFF), low: b)
    }

    /// `1-EPOCH8HEX-24HEX`, as X-Ray writes it in `Root=`.
    public var xray: String {
        let hex = w3c
        return "1-" + hex.prefix(8) + "-" + hex.dropFirst(8)
    }

    /// 32 lowercase hex digits, as W3C Trace Context and OTLP JSON write it.
    public var w3c: String { Hex.string(high, digits: 16) + Hex.string(low, digits: 16) }

    /// The 16 bytes, big-endian, as OTLP's protobuf carries them.
    public var bytes: [UInt8] { Hex.bytes(high) + Hex.bytes(low) }

    public var description: String { xray }

    /// Reads either spelling: `1-8HEX-24HEX` (X-Ray) or 32 hex digits (W3C). Nil for anything else, and for the
    /// all-zero id, which W3C calls invalid.
    public init?(parsing text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        let digits: ArraySlice<UInt8>
        if utf8.count == 35, utf8[0] == UInt8(ascii: "1"), utf8[1] == UInt8(ascii: "-"), utf8[10] == UInt8(ascii: "-") {
            digits = ArraySlice(utf8[2..<10] + utf8[11...])
        } else if utf8.count == 32 {
            digits = utf8[...]
        } else {
            return nil
        }
        guard let high = Hex.value(digits.prefix(16)), let low = Hex.value(digits.suffix(16)), high | low != 0 else {
            return nil
        }
        self.init(high: high, low: low)
    }

    /// The start time X-Ray keeps in the first 32 bits.
    public var epochSeconds: UInt32 { UInt32(truncatingIfNeeded: high >> 32) }
}
