import CHiredis
import FnhostWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking hiredis connection, owned by `RedisTier` and used only under its lock.
///
/// Follows the rules learned the hard way with hiredis 0.14: commands go through `redisCommandArgv` only
/// (binary-safe; the variadic `redisCommand` cannot be called from Swift), every reply is freed with
/// `freeReplyObject`, a context returned with `err != 0` is freed and reported, every socket wait is bounded by
/// `redisSetTimeout`, and an ERROR reply becomes a Swift error. A NULL reply leaves the context in a sticky error
/// state: the caller must drop the connection.
///
/// `@unchecked Sendable` because the context is only ever touched while `RedisTier` holds its lock, one thread at a
/// time; hiredis contexts are not thread-safe and this type adds no locking of its own.
final class RedisConnection: @unchecked Sendable {
    private let context: UnsafeMutablePointer<redisContext>
    let endpoint: String

    private init(context: UnsafeMutablePointer<redisContext>, endpoint: String) {
        self.context = context
        self.endpoint = endpoint
    }

    deinit {
        redisFree(context)
    }

    /// Connects with `timeout` bounding the connection itself and then every socket read and write.
    static func connect(host: String, port: Int, timeout: Duration) throws(RedisError) -> RedisConnection {
        let endpoint = "\(host):\(port)"
        errno = 0
        guard let context = redisConnectWithTimeout(host, Int32(port), makeTimeval(timeout)) else {
            throw .connectFailed(endpoint: endpoint, reason: "hiredis could not allocate a context")
        }
        if context.pointee.err != 0 {
            let failure = errno
            let reason = errorText(context)
            redisFree(context)
            if failure == ETIMEDOUT || failure == EINPROGRESS || failure == EAGAIN {
                throw .timeout(operation: "connect to \(endpoint)", timeoutMs: milliseconds(timeout))
            }
            throw .connectFailed(endpoint: endpoint, reason: reason)
        }
        let connection = RedisConnection(context: context, endpoint: endpoint)
        try connection.setTimeout(timeout)
        return connection
    }

    /// Bounds each socket read and write from now on.
    func setTimeout(_ timeout: Duration) throws(RedisError) {
        if redisSetTimeout(context, Self.makeTimeval(timeout)) != REDIS_OK {
            throw .connectionLost(operation: "set timeout", reason: Self.errorText(context))
        }
    }

    /// Sends one command (arguments are raw bytes) and waits for its reply, at most the socket timeout per wait.
    func command(_ arguments: [[UInt8]], operation: String, timeout: Duration) throws(RedisError) -> RedisReply {
        var flat: [UInt8] = []
        flat.reserveCapacity(arguments.reduce(0) { $0 + $1.count })
        var lengths: [Int] = []
        var offsets: [Int] = []
        for argument in arguments {
            offsets.append(flat.count)
            lengths.append(argument.count)
            flat.append(contentsOf: argument)
        }
        if flat.isEmpty { flat.append(0) }  // a valid base address even when every argument is empty
        errno = 0
        let raw: UnsafeMutableRawPointer? = flat.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = offsets.map { UnsafePointer(base + $0) }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    redisCommandArgv(context, Int32(arguments.count), argv.baseAddress, argvlen.baseAddress)
                }
            }
        }
        let failure = errno
        guard let raw else {
            let reason = Self.errorText(context)
            let ioError = Int32(context.pointee.err) == REDIS_ERR_IO
            if ioError && (failure == EAGAIN || failure == EWOULDBLOCK || failure == ETIMEDOUT) {
                throw .timeout(operation: operation, timeoutMs: Self.milliseconds(timeout))
            }
            throw .connectionLost(operation: operation, reason: reason)
        }
        defer { freeReplyObject(raw) }
        return try Self.copy(raw.assumingMemoryBound(to: redisReply.self), operation: operation)
    }

    private static func copy(_ reply: UnsafeMutablePointer<redisReply>, operation: String) throws(RedisError)
        -> RedisReply
    {
        let value = reply.pointee
        switch value.type {
        case REDIS_REPLY_STRING:
            return .string(bytes(value))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(value.integer)
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ERROR:
            throw .errorReply(operation: operation, message: String(decoding: bytes(value), as: UTF8.self))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisReply] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                guard let element = value.element[index] else { continue }
                elements.append(try copy(element, operation: operation))
            }
            return .array(elements)
        default:
            throw .unexpectedReply(operation: operation, reply: "reply type \(value.type)")
        }
    }

    private static func bytes(_ reply: redisReply) -> [UInt8] {
        guard let str = reply.str, reply.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: str, count: reply.len))
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { buffer in
            let bytes = buffer.prefix { $0 != 0 }
            return bytes.isEmpty ? "unknown error" : String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func makeTimeval(_ duration: Duration) -> timeval {
        let micros = max(1000, Int64(duration.inMilliseconds * 1000))
        return timeval(tv_sec: .init(micros / 1_000_000), tv_usec: .init(micros % 1_000_000))
    }

    static func milliseconds(_ duration: Duration) -> Int { Int(duration.inMilliseconds) }
}
