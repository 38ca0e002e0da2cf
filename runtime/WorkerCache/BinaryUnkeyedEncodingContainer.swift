/// Writes an unkeyed container as a sequence of values, each prefixed by varint(length + 1) (0 for nil).
struct BinaryUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let node: BinaryEncodingNode
    let codingPath: [any CodingKey]
    private(set) var count = 0

    init(node: BinaryEncodingNode, codingPath: [any CodingKey]) {
        self.node = node
        self.codingPath = codingPath
    }

    mutating func encodeNil() throws {
        node.writeNilValue()
        count += 1
    }

    mutating func encode(_ value: Bool) throws { node.writeValue(value); count += 1 }
    mutating func encode(_ value: String) throws { node.writeValue(value); count += 1 }
    mutating func encode(_ value: Double) throws { node.writeValue(value); count += 1 }
    mutating func encode(_ value: Float) throws { node.writeValue(value); count += 1 }
    mutating func encode(_ value: Int) throws { node.writeValue(signed: Int64(value)); count += 1 }
    mutating func encode(_ value: Int8) throws { node.writeValue(signed: Int64(value)); count += 1 }
    mutating func encode(_ value: Int16) throws { node.writeValue(signed: Int64(value)); count += 1 }
    mutating func encode(_ value: Int32) throws { node.writeValue(signed: Int64(value)); count += 1 }
    mutating func encode(_ value: Int64) throws { node.writeValue(signed: value); count += 1 }
    mutating func encode(_ value: UInt) throws { node.writeValue(unsigned: UInt64(value)); count += 1 }
    mutating func encode(_ value: UInt8) throws { node.writeValue(unsigned: UInt64(value)); count += 1 }
    mutating func encode(_ value: UInt16) throws { node.writeValue(unsigned: UInt64(value)); count += 1 }
    mutating func encode(_ value: UInt32) throws { node.writeValue(unsigned: UInt64(value)); count += 1 }
    mutating func encode(_ value: UInt64) throws { node.writeValue(unsigned: value); count += 1 }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try node.writeValue(value, codingPath: codingPath + [BinaryCodingKey(index: count)])
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type
    ) -> KeyedEncodingContainer<NestedKey> {
        let path = codingPath + [BinaryCodingKey(index: count)]
        return KeyedEncodingContainer(BinaryKeyedEncodingContainer<NestedKey>(node: nextChild(), codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let path = codingPath + [BinaryCodingKey(index: count)]
        return BinaryUnkeyedEncodingContainer(node: nextChild(), codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let path = codingPath + [BinaryCodingKey(index: count)]
        return BinaryEncoderState(node: nextChild(), codingPath: path)
    }

    private mutating func nextChild() -> BinaryEncodingNode {
        let child = BinaryEncodingNode()
        node.appendChild(child)
        count += 1
        return child
    }
}
