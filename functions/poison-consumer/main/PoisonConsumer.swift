import FnhostWire
import Foundation
import LambdaRuntime

/// The consumer `fnhost experiment poison` drives: one function for Lambda's SQS and Kinesis events.
///
/// Each record's body is `{"id": "…", "poison": false, "partial": false}`. Records are handled in order: a good one
/// is processed (its id appended to the processed log, `FNHOST_POISON_LOG`), a poison one fails every time. Without
/// `partial` the first poison record throws, after the good records before it were processed, as a handler that
/// works through its batch does; with `partial` (the mapping has `ReportBatchItemFailures`) every good record is
/// processed and the poison ones come back as `batchItemFailures` (the SQS message id or the Kinesis sequence number).
@main
struct PoisonConsumer: LambdaHandler {
    let log: ProcessedLog

    init(context: InitContext) async throws {
        guard let path = context.environment["FNHOST_POISON_LOG"], !path.isEmpty else {
            throw HandlerError(
                type: "InvalidConfiguration",
                message: "FNHOST_POISON_LOG is not set: the manifest grants {state}/poison-consumer.jsonl")
        }
        log = try ProcessedLog(path: path)
    }

    func handle(_ event: JSONValue, context: LambdaContext) async throws -> JSONValue {
        let records = try PoisonRecord.records(of: event)
        var processed: [PoisonRecord] = []
        var failures: [JSONValue] = []
        for record in records {
            if !record.poison {
                processed.append(record)
                continue
            }
            guard record.partial else {
                try log.append(processed, requestID: context.requestID)
                throw HandlerError(type: "PoisonMessage", message: "record \(record.id) is poison")
            }
            failures.append(.object(["itemIdentifier": .string(record.itemIdentifier)]))
        }
        try log.append(processed, requestID: context.requestID)
        return .object(["batchItemFailures": .array(failures)])
    }
}
