/// Kinesis' limits fnhost enforces, with the error Kinesis gives for each.
public enum KinesisLimits {
    /// A record's data and partition key together (Kinesis' default; a stream can raise it on AWS, not here).
    public static let maxRecordBytes = 1_048_576
    public static let maxPartitionKeyLength = 256
    public static let maxPutRecordsEntries = 500
    /// A `PutRecords` call's data and keys together.
    public static let maxPutRecordsBytes = 5 * 1_048_576
    public static let maxGetRecordsLimit = 10_000
    /// Shards a stream may have in fnhost (Kinesis' account default per region is 500 or 200).
    public static let maxShardCount = 500
    public static let defaultRetentionHours = 24
    public static let maxRetentionHours = 8_760

    public static func lengthError(_ parameter: String, _ value: String, min: Int, max: Int) -> KinesisError {
        let constraint =
            value.isEmpty
            ? "Member must have length greater than or equal to \(min)"
            : "Member must have length less than or equal to \(max)"
        return .validation(
            "1 validation error detected: Value at '\(parameter)' failed to satisfy constraint: \(constraint)")
    }

    /// A partition key of 1–256 characters (Unicode scalars, as Kinesis counts them).
    public static func checkPartitionKey(_ key: String, parameter: String = "partitionKey") throws(KinesisError) {
        let length = key.unicodeScalars.count
        guard (1...maxPartitionKeyLength).contains(length) else {
            throw lengthError(parameter, key, min: 1, max: maxPartitionKeyLength)
        }
    }

    /// A record's data plus its key must fit in 1 MiB.
    public static func checkRecordSize(data: Int, partitionKey: String, parameter: String = "data") throws(KinesisError)
    {
        if data > maxRecordBytes {
            throw .validation(
                "1 validation error detected: Value at '\(parameter)' failed to satisfy constraint: "
                    + "Member must have length less than or equal to \(maxRecordBytes)")
        }
        if data + partitionKey.utf8.count > maxRecordBytes {
            throw .invalidArgument(
                "The record's data and partition key together are \(data + partitionKey.utf8.count) bytes; "
                    + "the limit is \(maxRecordBytes).")
        }
    }
}
