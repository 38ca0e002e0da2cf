/// Decodes values written by `BinaryEncoder` (see it for the format); refuses other formats and trailing bytes.
public struct BinaryDecoder: Sendable {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let input = BinaryDecodingInput(bytes)
        guard bytes.first == BinaryEncoder.formatVersion else {
            throw input.corrupted(
                "expected format byte 0x\(String(BinaryEncoder.formatVersion, radix: 16, uppercase: true)), found "
                    + (bytes.first.map { "0x" + String($0, radix: 16, uppercase: true) } ?? "no bytes"),
                []
            )
        }
        var position = 1
        let value = try input.readValue(at: &position, end: bytes.count, codingPath: [])
        guard position == bytes.count else { throw input.corrupted("\(bytes.count - position) trailing bytes", []) }
        return try T(from: BinaryDecoderState(input: input, value: value, codingPath: []))
    }
}
