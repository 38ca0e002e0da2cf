/// Reads an unkeyed container's values one after another.
struct BinaryUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let input: BinaryDecodingInput
    let codingPath: [any CodingKey]
    private(set) var count: Int?
    private(set) var currentIndex = 0
    private var position: Int
    private let end: Int

    init(input: BinaryDecodingInput, value: BinaryDecodingInput.Value, codingPath: [any CodingKey]) throws {
        self.input = input
        self.codingPath = codingPath
        self.position = value.start
        self.end = value.end
        var counted = 0
        var scan = value.start
        while scan < value.end {
            _ = try input.readValue(at: &scan, end: value.end, codingPath: codingPath)
            counted += 1
        }
        self.count = counted
    }

    var isAtEnd: Bool { position >= end }

    private var indexPath: [any CodingKey] { codingPath + [BinaryCodingKey(index: currentIndex)] }

    private mutating func next(_ type: Any.Type, allowingNil: Bool = false) throws -> BinaryDecodingInput.Value {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: indexPath, debugDescription: "unkeyed container is at its end")
            )
        }
        let value = try input.readValue(at: &position, end: end, codingPath: indexPath)
        if value.isNil && !allowingNil {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: indexPath, debugDescription: "found nil, expected \(type)")
            )
        }
        currentIndex += 1
        return value
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                Any?.self, DecodingError.Context(codingPath: indexPath, debugDescription: "unkeyed container is at its end")
            )
        }
        if input.bytes[position] == 0 {
            position += 1
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { let index = currentIndex; return try input.bool(next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: String.Type) throws -> String { let index = currentIndex; return try input.string(next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Double.Type) throws -> Double { let index = currentIndex; return try input.double(next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Float.Type) throws -> Float { let index = currentIndex; return try input.float(next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Int.Type) throws -> Int { let index = currentIndex; return try input.signed(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { let index = currentIndex; return try input.signed(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { let index = currentIndex; return try input.signed(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { let index = currentIndex; return try input.signed(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { let index = currentIndex; return try input.signed(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { let index = currentIndex; return try input.unsigned(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { let index = currentIndex; return try input.unsigned(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { let index = currentIndex; return try input.unsigned(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { let index = currentIndex; return try input.unsigned(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { let index = currentIndex; return try input.unsigned(type, next(type), codingPath + [BinaryCodingKey(index: index)]) }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        // A nil element is passed on: `T` may be an Optional, whose init(from:) checks `decodeNil()`.
        let path = indexPath
        let value = try next(type, allowingNil: true)
        return try T(from: BinaryDecoderState(input: input, value: value, codingPath: path))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let path = indexPath
        let value = try next(KeyedDecodingContainer<NestedKey>.self)
        return KeyedDecodingContainer(try BinaryKeyedDecodingContainer<NestedKey>(input: input, value: value, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let path = indexPath
        let value = try next((any UnkeyedDecodingContainer).self)
        return try BinaryUnkeyedDecodingContainer(input: input, value: value, codingPath: path)
    }

    mutating func superDecoder() throws -> any Decoder {
        let path = indexPath
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                (any Decoder).self, DecodingError.Context(codingPath: path, debugDescription: "unkeyed container is at its end")
            )
        }
        let value = try input.readValue(at: &position, end: end, codingPath: path)
        currentIndex += 1
        return BinaryDecoderState(input: input, value: value, codingPath: path)
    }
}
