import FnhostWire
import LambdaRuntime
import WorkerCache

/// The `request-log` function: stands in for the seed's Kafka publisher. It appends each eligibility request to a
/// durable log and answers the entry's offset, once the entry is safe.
///
/// With a Redis URL (`FNHOST_REDIS_URL`, which fnhost passes on from `--redis`) the log is a Redis Stream under
/// fnhost's key prefix; without one, the file the manifest grants in `FNHOST_REQUEST_LOG_FILE` (by default
/// `{state}/request-log.jsonl`, in fnhost's state folder). Read it with `fnhost request-log`.
@main
struct RequestLogFunction: LambdaHandler {
    let sink: any RequestLogSink

    init(context: InitContext) async throws {
        let env = context.environment
        if let text = env["FNHOST_REDIS_URL"], !text.isEmpty {
            let url: RedisURL
            do { url = try RedisURL(text) } catch {
                throw HandlerError(type: "InvalidConfiguration", message: "FNHOST_REDIS_URL: \(error)")
            }
            let log = RedisRequestLog(url: url, stream: env["FNHOST_REQUEST_LOG_STREAM"] ?? "requests")
            sink = log
            context.log("request log: Redis stream \(log.tier.keyPrefix)\(log.stream) at \(text)")
        } else {
            guard let path = env["FNHOST_REQUEST_LOG_FILE"], !path.isEmpty else {
                throw HandlerError(
                    type: "InvalidConfiguration",
                    message:
                        "no log to write to: set FNHOST_REQUEST_LOG_FILE in the manifest's environment or give fnhost a Redis URL"
                )
            }
            sink = try FileRequestLog(path: path)
            context.log("request log: file \(path)")
        }
    }

    func handle(_ event: JSONValue, context: LambdaContext) async throws -> RequestLogAnswer {
        let request = try RequestLogEvent(event: event)
        let record = RequestLogRecord(
            requestID: request.requestID, orgID: request.orgID, memberID: request.memberID, date: request.date,
            atMs: context.deadlineMs - context.remainingTimeMs)
        return try sink.append(record)
    }
}
