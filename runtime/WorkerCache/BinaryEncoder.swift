/// Encodes `Encodable` values into fnhost's compact binary cache format, chosen over JSON by measurement.
///
/// Format (version 1): a version byte `0xB1`, then the top-level value. Every value is `varint(n)` followed by
/// `n − 1` payload bytes, with `n = 0` meaning nil. Payloads: Bool one byte; signed integers zigzag varints;
/// unsigned integers varints; Float and Double their IEEE bits, little-endian; String its UTF-8; a keyed container
/// a sequence of (varint key length, key UTF-8, value); an unkeyed container a sequence of values.
/// Keys are kept, so a reader tolerates fields added, removed or reordered, like JSON, at a fraction of the cost.
public struct BinaryEncoder: Sendable {
    /// The first byte of every encoding; a decoder refuses anything else.
    public static let formatVersion: UInt8 = 0xB1

    public init() {}

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let root = BinaryEncodingNode()
        try value.encode(to: BinaryEncoderState(node: root, codingPath: []))
        var output: [UInt8] = []
        output.reserveCapacity(root.encodedCount + 1)
        output.append(Self.formatVersion)
        root.appendEncoded(to: &output)
        return output
    }
}
