/// Writes a keyed container as a sequence of entries: the key (varint length + UTF-8), then the value
/// (varint of length + 1, 0 for nil, then the payload).
struct BinaryKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: BinaryEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws {
        node.writeKey(key.stringValue)
        node.writeNilValue()
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        node.writeKey(key.stringValue)
        node.writeValue(value)
    }

    mutating func encode(_ value: String, forKey key: Key) throws {
        node.writeKey(key.stringValue)
        node.writeValue(value)
    }

    mutating func encode(_ value: Double, forKey key: Key) throws {
        node.writeKey(key.stringValue)
        node.writeValue(value)
    }

    mutating func encode(_ value: Float, forKey key: Key) throws {
        node.writeKey(key.stringValue)
        node.writeValue(value)
    }

    mutating func encode(_ value: Int, forKey key: Key) throws { signed(Int64(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { signed(Int64(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { signed(Int64(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { signed(Int64(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { signed(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { unsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { unsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { unsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { unsigned(UInt64(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { unsigned(value, key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.writeKey(key.stringValue)
        try node.writeValue(value, codingPath: codingPath + [key])
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(
            BinaryKeyedEncodingContainer<NestedKey>(node: child(for: key), codingPath: codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        BinaryUnkeyedEncodingContainer(node: child(for: key), codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        BinaryEncoderState(node: child(for: BinaryCodingKey.super), codingPath: codingPath + [BinaryCodingKey.super])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        BinaryEncoderState(node: child(for: key), codingPath: codingPath + [key])
    }

    private func signed(_ value: Int64, _ key: Key) {
        node.writeKey(key.stringValue)
        node.writeValue(signed: value)
    }

    private func unsigned(_ value: UInt64, _ key: Key) {
        node.writeKey(key.stringValue)
        node.writeValue(unsigned: value)
    }

    private func child(for key: some CodingKey) -> BinaryEncodingNode {
        node.writeKey(key.stringValue)
        let child = BinaryEncodingNode()
        node.appendChild(child)
        return child
    }
}
