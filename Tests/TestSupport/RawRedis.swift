import CHiredis

/// A plain hiredis connection for the tests' own checks (all keys, TTLs, pausing the server), deliberately outside
/// `WorkerCache`, whose client cannot touch keys beyond its prefix.
public final class RawRedis {
    private let context: UnsafeMutablePointer<redisContext>

    public enum Reply: Equatable {
        case string(String)
        case status(String)
        case integer(Int64)
        case null
        case array([Reply])
        case error(String)
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(port: Int) throws {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        guard let context = redisConnectWithTimeout("127.0.0.1", Int32(port), timeout) else {
            throw Failure(description: "no context")
        }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw Failure(description: "connect to 127.0.0.1:\(port): \(message)")
        }
        timeout.tv_sec = 5
        redisSetTimeout(context, timeout)
        self.context = context
    }

    deinit { redisFree(context) }

    @discardableResult
    public func run(_ arguments: String...) throws -> Reply {
        try run(arguments)
    }

    @discardableResult
    public func run(_ arguments: [String]) throws -> Reply {
        var flat: [UInt8] = [0]
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(flat.count)
            lengths.append(argument.utf8.count)
            flat.append(contentsOf: argument.utf8)
        }
        let raw: UnsafeMutableRawPointer? = flat.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer {
                    redisCommandArgv(context, Int32(arguments.count), argv.baseAddress, $0.baseAddress)
                }
            }
        }
        guard let raw else { throw Failure(description: "\(arguments.first ?? ""): \(Self.errorText(context))") }
        defer { freeReplyObject(raw) }
        return Self.copy(raw.assumingMemoryBound(to: redisReply.self).pointee)
    }

    /// Every key in the current database.
    public func allKeys() throws -> [String] {
        guard case .array(let keys) = try run("KEYS", "*") else { return [] }
        return keys.compactMap { if case .string(let key) = $0 { key } else { nil } }.sorted()
    }

    private static func copy(_ reply: redisReply) -> Reply {
        let text =
            reply.str.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: reply.len), as: UTF8.self) } ?? ""
        switch reply.type {
        case REDIS_REPLY_STRING: return .string(text)
        case REDIS_REPLY_STATUS: return .status(text)
        case REDIS_REPLY_INTEGER: return .integer(reply.integer)
        case REDIS_REPLY_NIL: return .null
        case REDIS_REPLY_ERROR: return .error(text)
        case REDIS_REPLY_ARRAY: return .array((0..<reply.elements).map { copy(reply.element[$0]!.pointee) })
        default: return .error("unknown reply type \(reply.type)")
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
