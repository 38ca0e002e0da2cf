/// A record's sequence number: a decimal string, as Kinesis' are, that grows with every record a shard accepts.
/// fnhost's are 32 digits: `49`, the shard's index (10 digits) and the store's position of the record (20 digits),
/// so a number names its shard (a number of another shard is refused, as Kinesis refuses it) and numbers of one
/// shard compare as their positions do.
public struct SequenceNumber: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    public var shard: Int
    /// The store's position of the record: unique across every stream, growing with each record accepted.
    public var position: Int64

    public init(shard: Int, position: Int64) {
        self.shard = shard
        self.position = position
    }

    public var description: String { "49" + Self.pad(shard, 10) + Self.pad(Int(position), 20) }

    /// Reads a number fnhost gave out; refuses (InvalidArgumentException, or ValidationException when it is not a
    /// number at all) anything else. `parameter` names the field in the message.
    public init(parsing text: String, parameter: String) throws(KinesisError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 129, bytes.allSatisfy({ (0x30...0x39).contains($0) }),
            bytes.count == 1 || bytes[0] != 0x30
        else {
            throw .validation(
                "1 validation error detected: Value '\(text.prefix(200))' at '\(parameter)' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})")
        }
        guard bytes.count == 32, text.hasPrefix("49"), let shard = Int(text.dropFirst(2).prefix(10)),
            let position = Int64(text.suffix(20))
        else {
            throw .invalidArgument("\(parameter) \(text.prefix(200)) is not a sequence number of this stream.")
        }
        self.init(shard: shard, position: position)
    }

    public static func < (a: SequenceNumber, b: SequenceNumber) -> Bool {
        (a.shard, a.position) < (b.shard, b.position)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
