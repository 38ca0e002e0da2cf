extension RedisTier {
    /// Appends an entry to the stream `prefix + key` (`XADD key * field value …`) and returns the id Redis gave it.
    public func appendToStream(_ key: String, fields: [(String, String)]) throws(RedisError) -> String {
        var arguments: [[UInt8]] = [Array("XADD".utf8), Array((keyPrefix + key).utf8), Array("*".utf8)]
        for (name, value) in fields {
            arguments.append(Array(name.utf8))
            arguments.append(Array(value.utf8))
        }
        return try perform("XADD") { connection, budget throws(RedisError) in
            let reply = try connection.command(arguments, operation: "XADD", timeout: budget)
            guard case .string(let id) = reply else { throw .unexpectedReply(operation: "XADD", reply: "\(reply)") }
            return String(decoding: id, as: UTF8.self)
        }
    }

    /// The number of entries in the stream `prefix + key` (`XLEN`; 0 when there is no such stream).
    public func streamLength(_ key: String) throws(RedisError) -> Int {
        let name = Array((keyPrefix + key).utf8)
        return try perform("XLEN") { connection, budget throws(RedisError) in
            guard
                case .integer(let count) = try connection.command(
                    [Array("XLEN".utf8), name], operation: "XLEN", timeout: budget)
            else { throw .unexpectedReply(operation: "XLEN", reply: "non-integer") }
            return Int(count)
        }
    }

    /// Every entry of the stream `prefix + key`, oldest first (`XRANGE key - +`): its id and its fields in order.
    /// A reply of another shape is refused as `unexpectedReply`.
    public func streamEntries(_ key: String) throws(RedisError) -> [(id: String, fields: [(String, String)])] {
        let name = Array((keyPrefix + key).utf8)
        return try perform("XRANGE") { connection, budget throws(RedisError) in
            let reply = try connection.command(
                [Array("XRANGE".utf8), name, Array("-".utf8), Array("+".utf8)], operation: "XRANGE", timeout: budget)
            guard case .array(let entries) = reply else {
                throw .unexpectedReply(operation: "XRANGE", reply: "\(reply)")
            }
            var result: [(id: String, fields: [(String, String)])] = []
            for entry in entries {
                guard case .array(let parts) = entry, parts.count == 2, case .string(let id) = parts[0],
                    case .array(let flat) = parts[1], flat.count % 2 == 0
                else { throw .unexpectedReply(operation: "XRANGE", reply: "\(entry)") }
                var fields: [(String, String)] = []
                for i in stride(from: 0, to: flat.count, by: 2) {
                    guard case .string(let k) = flat[i], case .string(let v) = flat[i + 1] else {
                        throw .unexpectedReply(operation: "XRANGE", reply: "\(entry)")
                    }
                    fields.append((String(decoding: k, as: UTF8.self), String(decoding: v, as: UTF8.self)))
                }
                result.append((String(decoding: id, as: UTF8.self), fields))
            }
            return result
        }
    }
}
