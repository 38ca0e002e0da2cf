import FnhostWire
import LambdaRuntime
import WorkerCache

/// The request log as a Redis Stream, `fnhost:request-log:STREAM` (`requests` unless `FNHOST_REQUEST_LOG_STREAM`
/// says otherwise): `XADD` answers the entry id, which is the offset. As durable as the server's persistence
/// (`appendonly yes` with `appendfsync always` for an fsync per entry, as the file log does). Unlike the file log it
/// does not check for a request id already logged: a redelivered asynchronous event is appended again.
final class RedisRequestLog: RequestLogSink {
    let tier: RedisTier
    let stream: String

    init(url: RedisURL, stream: String) {
        tier = RedisTier(url: url, keyPrefix: "request-log", timeoutMs: 500)
        self.stream = stream
    }

    func append(_ record: RequestLogRecord) throws -> RequestLogAnswer {
        do {
            let id = try tier.appendToStream(stream, fields: record.fields)
            return RequestLogAnswer(offset: id, log: "redis", location: tier.keyPrefix + stream, duplicate: nil)
        } catch {
            throw HandlerError(
                type: "RequestLogUnavailable", message: "XADD \(tier.keyPrefix)\(stream) failed: \(error)")
        }
    }
}
