import FnhostWire
import Foundation

/// The event a function gets from a Kinesis event source mapping, in Lambda's exact format:
/// `{"Records":[{"kinesis":{kinesisSchemaVersion, partitionKey, sequenceNumber, data (base64),
/// approximateArrivalTimestamp (epoch seconds)}, "eventSource":"aws:kinesis", "eventVersion":"1.0",
/// "eventID":"shardId-…:seq", "eventName":"aws:kinesis:record", invokeIdentityArn, awsRegion, eventSourceARN}]}`.
public enum KinesisEvent {
    /// The role Lambda would invoke with; fnhost has no IAM, so a fixed, well-formed ARN.
    public static let invokeIdentityArn = "arn:aws:iam::\(KinesisNames.account):role/fnhost-event-source-mapping"

    public static func payload(_ batch: StreamBatch, stream: String, shard: Int) -> JSONValue {
        let arn = KinesisNames.arn(stream: stream)
        let shardID = KinesisNames.shardID(shard)
        return .object([
            "Records": .array(
                batch.records.map { record in
                    let sequence = SequenceNumber(shard: shard, position: record.position).description
                    return .object([
                        "kinesis": .object([
                            "kinesisSchemaVersion": .string("1.0"),
                            "partitionKey": .string(record.partitionKey),
                            "sequenceNumber": .string(sequence),
                            "data": .string(Data(record.data).base64EncodedString()),
                            "approximateArrivalTimestamp": .number(Double(record.arrivedAt) / 1000),
                        ]),
                        "eventSource": .string("aws:kinesis"),
                        "eventVersion": .string("1.0"),
                        "eventID": .string("\(shardID):\(sequence)"),
                        "eventName": .string("aws:kinesis:record"),
                        "invokeIdentityArn": .string(invokeIdentityArn),
                        "awsRegion": .string(KinesisNames.region),
                        "eventSourceARN": .string(arn),
                    ])
                })
        ])
    }

    /// Reads a partial batch response (`{"batchItemFailures":[{"itemIdentifier":"<sequence number>"}]}`) as Lambda
    /// does for streams: no response, a response that is not an object, or an empty or null list is a success; an
    /// entry whose `itemIdentifier` is missing, null, empty or not a sequence number of the batch fails the whole
    /// batch; otherwise the batch is retried from the lowest sequence number reported.
    public static func outcome(ofResponse payload: [UInt8], batch: StreamBatch, shard: Int) -> StreamBatchOutcome {
        guard case .object(let object)? = try? JSONValue.parse(payload) else { return .succeeded }
        let failures: [JSONValue]
        switch object["batchItemFailures"] {
        case nil, .null?: return .succeeded
        case .array(let items)?: failures = items
        default: return .failedFrom(index: 0)
        }
        if failures.isEmpty { return .succeeded }
        var lowest = batch.records.count
        for failure in failures {
            guard case .object(let item) = failure, case .string(let id)? = item["itemIdentifier"], !id.isEmpty,
                let sequence = try? SequenceNumber(parsing: id, parameter: "itemIdentifier"), sequence.shard == shard,
                let index = batch.records.firstIndex(where: { $0.position == sequence.position })
            else { return .failedFrom(index: 0) }
            lowest = min(lowest, index)
        }
        return .failedFrom(index: lowest)
    }

    /// The record an on-failure destination gets for a discarded batch: metadata only, as Lambda sends it.
    public static func onFailureRecord(
        _ batch: StreamBatch, condition: DiscardCondition, functionError: String?, stream: String, shard: Int,
        functionArn: String, now: Int64
    ) -> JSONValue {
        var response: [String: JSONValue] = ["statusCode": .number(200), "executedVersion": .string("$LATEST")]
        if let functionError { response["functionError"] = .string(functionError) }
        let first = batch.records.first
        let last = batch.records.last
        return .object([
            "requestContext": .object([
                "requestId": .string(UUID().uuidString.lowercased()),
                "functionArn": .string(functionArn),
                "condition": .string(condition.rawValue),
                "approximateInvokeCount": .number(Double(batch.invocations)),
            ]),
            "responseContext": .object(response),
            "version": .string("1.0"),
            "timestamp": .string(iso(now)),
            "KinesisBatchInfo": .object([
                "shardId": .string(KinesisNames.shardID(shard)),
                "startSequenceNumber": .string(
                    SequenceNumber(shard: shard, position: first?.position ?? 0).description),
                "endSequenceNumber": .string(SequenceNumber(shard: shard, position: last?.position ?? 0).description),
                "approximateArrivalOfFirstRecord": .string(iso(first?.arrivedAt ?? now)),
                "approximateArrivalOfLastRecord": .string(iso(last?.arrivedAt ?? now)),
                "batchSize": .number(Double(batch.records.count)),
                "streamArn": .string(KinesisNames.arn(stream: stream)),
            ]),
        ])
    }

    /// `2019-11-14T00:38:06.021Z`.
    public static func iso(_ ms: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}
