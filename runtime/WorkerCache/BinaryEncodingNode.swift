/// The bytes of one value being encoded by `BinaryEncoder`, with the nested values whose content is not final yet.
///
/// Most values are written straight into `bytes`. A nested container handed out by `nestedContainer` or
/// `superEncoder` may still be written to after its parent moves on, so it becomes a child node spliced in at its
/// offset when the whole value is serialised.
final class BinaryEncodingNode {
    var bytes: [UInt8] = []
    private(set) var children: [(offset: Int, node: BinaryEncodingNode)] = []
    var isNil = false

    init() {}

    /// Registers a child whose encoded form (length prefix included) goes at the current end of `bytes`.
    func appendChild(_ node: BinaryEncodingNode) {
        children.append((bytes.count, node))
    }

    var hasChildren: Bool { !children.isEmpty }

    var payloadCount: Int {
        children.reduce(bytes.count) { $0 + $1.node.encodedCount }
    }

    /// The size of `appendEncoded`'s output.
    var encodedCount: Int {
        if isNil { return 1 }
        let payload = payloadCount
        return Varint.size(UInt64(payload + 1)) + payload
    }

    /// Writes the value as `varint(length + 1)` then the payload, or a single 0 for nil.
    func appendEncoded(to output: inout [UInt8]) {
        if isNil {
            output.append(0)
            return
        }
        Varint.write(UInt64(payloadCount + 1), to: &output)
        var cursor = 0
        for (offset, child) in children {
            output.append(contentsOf: bytes[cursor..<offset])
            child.appendEncoded(to: &output)
            cursor = offset
        }
        output.append(contentsOf: bytes[cursor...])
    }

    // MARK: Values with their length prefix (entries of keyed and unkeyed containers)

    func writeNilValue() { bytes.append(0) }

    func writeValue(_ value: Bool) {
        bytes.append(2)
        bytes.append(value ? 1 : 0)
    }

    func writeValue(_ value: String) {
        let count = value.utf8.count
        Varint.write(UInt64(count + 1), to: &bytes)
        bytes.append(contentsOf: value.utf8)
    }

    func writeValue(_ value: Double) {
        bytes.append(9)
        writePayload(value)
    }

    func writeValue(_ value: Float) {
        bytes.append(5)
        writePayload(value)
    }

    func writeValue(signed value: Int64) {
        let zigzag = Varint.zigzag(value)
        bytes.append(UInt8(Varint.size(zigzag) + 1))
        Varint.write(zigzag, to: &bytes)
    }

    func writeValue(unsigned value: UInt64) {
        bytes.append(UInt8(Varint.size(value) + 1))
        Varint.write(value, to: &bytes)
    }

    func writeKey(_ key: String) {
        Varint.write(UInt64(key.utf8.count), to: &bytes)
        bytes.append(contentsOf: key.utf8)
    }

    /// Encodes any value as a prefixed entry: inline when it has no pending children, else as a spliced child.
    func writeValue<T: Encodable>(_ value: T, codingPath: [any CodingKey]) throws {
        let child = BinaryEncodingNode()
        try value.encode(to: BinaryEncoderState(node: child, codingPath: codingPath))
        if child.hasChildren {
            appendChild(child)
        } else {
            child.appendEncoded(to: &bytes)
        }
    }

    // MARK: Payloads without prefix (single-value containers)

    func writePayload(_ value: Bool) { bytes.append(value ? 1 : 0) }
    func writePayload(_ value: String) { bytes.append(contentsOf: value.utf8) }
    func writePayload(signed value: Int64) { Varint.write(Varint.zigzag(value), to: &bytes) }
    func writePayload(unsigned value: UInt64) { Varint.write(value, to: &bytes) }

    func writePayload(_ value: Double) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }

    func writePayload(_ value: Float) {
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
    }
}
