/// Writes one value's payload with no prefix: its parent already wrote the length, or will when it is spliced in.
struct BinarySingleValueEncodingContainer: SingleValueEncodingContainer {
    let node: BinaryEncodingNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.isNil = true }
    mutating func encode(_ value: Bool) throws { node.writePayload(value) }
    mutating func encode(_ value: String) throws { node.writePayload(value) }
    mutating func encode(_ value: Double) throws { node.writePayload(value) }
    mutating func encode(_ value: Float) throws { node.writePayload(value) }
    mutating func encode(_ value: Int) throws { node.writePayload(signed: Int64(value)) }
    mutating func encode(_ value: Int8) throws { node.writePayload(signed: Int64(value)) }
    mutating func encode(_ value: Int16) throws { node.writePayload(signed: Int64(value)) }
    mutating func encode(_ value: Int32) throws { node.writePayload(signed: Int64(value)) }
    mutating func encode(_ value: Int64) throws { node.writePayload(signed: value) }
    mutating func encode(_ value: UInt) throws { node.writePayload(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt8) throws { node.writePayload(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt16) throws { node.writePayload(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt32) throws { node.writePayload(unsigned: UInt64(value)) }
    mutating func encode(_ value: UInt64) throws { node.writePayload(unsigned: value) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: BinaryEncoderState(node: node, codingPath: codingPath))
    }
}
