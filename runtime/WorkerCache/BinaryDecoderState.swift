/// The `Decoder` that `BinaryDecoder` hands to `init(from:)`: one per value, reading that value's bytes.
struct BinaryDecoderState: Decoder {
    let input: BinaryDecodingInput
    let value: BinaryDecodingInput.Value
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        try requireValue(KeyedDecodingContainer<Key>.self)
        return KeyedDecodingContainer(try BinaryKeyedDecodingContainer<Key>(input: input, value: value, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try requireValue((any UnkeyedDecodingContainer).self)
        return try BinaryUnkeyedDecodingContainer(input: input, value: value, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        BinarySingleValueDecodingContainer(input: input, value: value, codingPath: codingPath)
    }

    private func requireValue(_ type: Any.Type) throws {
        if value.isNil {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: codingPath, debugDescription: "found nil, expected a container")
            )
        }
    }
}
