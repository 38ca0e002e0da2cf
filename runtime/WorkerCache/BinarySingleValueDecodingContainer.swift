/// Reads one value's payload.
struct BinarySingleValueDecodingContainer: SingleValueDecodingContainer {
    let input: BinaryDecodingInput
    let value: BinaryDecodingInput.Value
    let codingPath: [any CodingKey]

    func decodeNil() -> Bool { value.isNil }

    private func present(_ type: Any.Type) throws -> BinaryDecodingInput.Value {
        if value.isNil {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: codingPath, debugDescription: "found nil, expected \(type)")
            )
        }
        return value
    }

    func decode(_ type: Bool.Type) throws -> Bool { try input.bool(present(type), codingPath) }
    func decode(_ type: String.Type) throws -> String { try input.string(present(type), codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try input.double(present(type), codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try input.float(present(type), codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try input.signed(type, present(type), codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try input.signed(type, present(type), codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try input.signed(type, present(type), codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try input.signed(type, present(type), codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try input.signed(type, present(type), codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try input.unsigned(type, present(type), codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try input.unsigned(type, present(type), codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try input.unsigned(type, present(type), codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try input.unsigned(type, present(type), codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try input.unsigned(type, present(type), codingPath) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try T(from: BinaryDecoderState(input: input, value: value, codingPath: codingPath))
    }
}
