/// Reads a keyed container's entries; looks keys up in order first (the usual case), then by scanning.
struct BinaryKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let input: BinaryDecodingInput
    let codingPath: [any CodingKey]

    private struct Entry {
        var keyStart: Int
        var keyEnd: Int
        var value: BinaryDecodingInput.Value
    }

    private let entries: [Entry]
    private let cursor: Cursor

    /// The index of the entry after the last one found: synthesized `Decodable` asks for keys in encoding order.
    private final class Cursor {
        var next = 0
    }

    init(input: BinaryDecodingInput, value: BinaryDecodingInput.Value, codingPath: [any CodingKey]) throws {
        self.input = input
        self.codingPath = codingPath
        var entries: [Entry] = []
        entries.reserveCapacity(16)
        var position = value.start
        while position < value.end {
            guard let keyLength = Varint.read(input.bytes, at: &position, end: value.end),
                keyLength <= UInt64(value.end - position)
            else { throw input.corrupted("truncated key", codingPath) }
            let keyStart = position
            position += Int(keyLength)
            let entryValue = try input.readValue(at: &position, end: value.end, codingPath: codingPath)
            entries.append(Entry(keyStart: keyStart, keyEnd: keyStart + Int(keyLength), value: entryValue))
        }
        self.entries = entries
        self.cursor = Cursor()
    }

    var allKeys: [Key] {
        entries.compactMap { entry in
            String(validating: input.bytes[entry.keyStart..<entry.keyEnd], as: UTF8.self).flatMap(Key.init(stringValue:))
        }
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }

    private func find(_ key: Key) -> BinaryDecodingInput.Value? {
        let name = key.stringValue
        let next = cursor.next
        if next < entries.count, input.keyMatches(name, start: entries[next].keyStart, end: entries[next].keyEnd) {
            cursor.next = next + 1
            return entries[next].value
        }
        for index in entries.indices where input.keyMatches(name, start: entries[index].keyStart, end: entries[index].keyEnd) {
            cursor.next = index + 1
            return entries[index].value
        }
        return nil
    }

    private func require(_ key: Key, _ type: Any.Type) throws -> BinaryDecodingInput.Value {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'")
            )
        }
        if value.isNil {
            throw DecodingError.valueNotFound(
                type, DecodingError.Context(codingPath: codingPath + [key], debugDescription: "found nil, expected \(type)")
            )
        }
        return value
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'")
            )
        }
        return value.isNil
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try input.bool(require(key, type), codingPath + [key])
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try input.string(require(key, type), codingPath + [key])
    }

    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try input.double(require(key, type), codingPath + [key])
    }

    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try input.float(require(key, type), codingPath + [key])
    }

    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try input.signed(type, require(key, type), codingPath + [key]) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try input.signed(type, require(key, type), codingPath + [key]) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try input.signed(type, require(key, type), codingPath + [key]) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try input.signed(type, require(key, type), codingPath + [key]) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try input.signed(type, require(key, type), codingPath + [key]) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try input.unsigned(type, require(key, type), codingPath + [key]) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try input.unsigned(type, require(key, type), codingPath + [key]) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try input.unsigned(type, require(key, type), codingPath + [key]) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try input.unsigned(type, require(key, type), codingPath + [key]) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try input.unsigned(type, require(key, type), codingPath + [key]) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        // A nil value is passed on: `T` may be an Optional, whose init(from:) checks `decodeNil()`.
        guard let value = find(key) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "no value for '\(key.stringValue)'")
            )
        }
        return try T(from: BinaryDecoderState(input: input, value: value, codingPath: codingPath + [key]))
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        let value = try require(key, KeyedDecodingContainer<NestedKey>.self)
        return KeyedDecodingContainer(
            try BinaryKeyedDecodingContainer<NestedKey>(input: input, value: value, codingPath: codingPath + [key])
        )
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        let value = try require(key, (any UnkeyedDecodingContainer).self)
        return try BinaryUnkeyedDecodingContainer(input: input, value: value, codingPath: codingPath + [key])
    }

    func superDecoder() throws -> any Decoder {
        try decoder(for: BinaryCodingKey.super, name: BinaryCodingKey.super.stringValue)
    }

    func superDecoder(forKey key: Key) throws -> any Decoder {
        try decoder(for: key, name: key.stringValue)
    }

    private func decoder(for key: some CodingKey, name: String) throws -> any Decoder {
        guard let entry = entries.first(where: { input.keyMatches(name, start: $0.keyStart, end: $0.keyEnd) }) else {
            throw DecodingError.keyNotFound(
                key, DecodingError.Context(codingPath: codingPath, debugDescription: "no value for '\(name)'")
            )
        }
        return BinaryDecoderState(input: input, value: entry.value, codingPath: codingPath + [key])
    }
}
