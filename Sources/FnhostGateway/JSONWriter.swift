import FnhostWire

/// Writes the event's JSON by hand, in API Gateway's member order, without a fallible encoder: the event is built
/// from strings, booleans and integers only, so writing it cannot fail.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// One entry per open object: whether a member has been written in it yet.
    private var hasMember: [Bool] = []

    init(reservingCapacity capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        hasMember.append(false)
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        hasMember.removeLast()
    }

    /// Writes the member name and colon; the value follows.
    mutating func key(_ name: String) {
        if hasMember.last == true { bytes.append(UInt8(ascii: ",")) }
        if !hasMember.isEmpty { hasMember[hasMember.count - 1] = true }
        quoted(name)
        bytes.append(UInt8(ascii: ":"))
    }

    mutating func member(_ name: String, _ value: String) {
        key(name)
        quoted(value)
    }

    mutating func member(_ name: String, _ value: Bool) {
        key(name)
        bytes += Array((value ? "true" : "false").utf8)
    }

    mutating func member(_ name: String, _ value: Int64) {
        key(name)
        bytes += Array(String(value).utf8)
    }

    /// An object of strings, members sorted by name so that the output is deterministic.
    mutating func member(_ name: String, _ value: [String: String]) {
        key(name)
        beginObject()
        for (k, v) in value.sorted(by: { $0.key < $1.key }) { member(k, v) }
        endObject()
    }

    mutating func member(_ name: String, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private mutating func quoted(_ text: String) { JSONText.appendQuoted(text, to: &bytes) }
}
