/// How a stream event source mapping reads a stream and what it does with a batch the function fails, with
/// Lambda's names, defaults and ranges (`CreateEventSourceMapping` for Kinesis). A plain value: the mapping
/// framework fills it from a manifest or the Lambda API and hands it to the runner.
public struct StreamConsumerSettings: Sendable, Equatable {
    /// Where a mapping without a checkpoint starts reading.
    public enum StartingPosition: Sendable, Equatable {
        case trimHorizon
        case latest
        /// The first record that arrived at or after this time (Unix epoch ms).
        case atTimestamp(Int64)

        /// Reads `TRIM_HORIZON`, `LATEST` or `AT_TIMESTAMP` (the last with `StartingPositionTimestamp`, epoch ms).
        public init?(name: String, timestampMs: Int64? = nil) {
            switch name {
            case "TRIM_HORIZON": self = .trimHorizon
            case "LATEST": self = .latest
            case "AT_TIMESTAMP":
                guard let timestampMs else { return nil }
                self = .atTimestamp(timestampMs)
            default: return nil
            }
        }
    }

    public var batchSize = 100
    public var maximumBatchingWindowSeconds = 0
    public var startingPosition: StartingPosition = .trimHorizon
    /// Retries of a failed batch; -1: until it succeeds or its records expire (Lambda's default).
    public var maximumRetryAttempts = -1
    /// Records older than this (seconds) are discarded after a failure; -1: no limit (Lambda's default).
    public var maximumRecordAgeInSeconds = -1
    public var bisectBatchOnFunctionError = false
    /// Concurrent batches per shard (1–10); records of one partition key stay in order.
    public var parallelizationFactor = 1
    /// `FunctionResponseTypes: ["ReportBatchItemFailures"]`.
    public var reportBatchItemFailures = false
    /// `DestinationConfig.OnFailure.Destination`: an SQS queue ARN that gets the metadata of each discarded batch.
    public var onFailureDestination: String?
    /// Real milliseconds between a failed attempt and its retry (Lambda retries at once; a pause keeps a failing
    /// function from spinning the host).
    public var retryDelayMs: Int64 = 100

    public init() {}

    /// A value out of Lambda's range, as the Lambda API refuses it.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var parameter: String
        public var message: String
        public var description: String { "\(parameter): \(message)" }
    }

    /// Checks every field against Lambda's ranges.
    public func validate() throws(Invalid) {
        func check(_ name: String, _ value: Int, _ range: ClosedRange<Int>, _ extra: [Int] = []) throws(Invalid) {
            guard range.contains(value) || extra.contains(value) else {
                throw Invalid(
                    parameter: name,
                    message:
                        "\(value) is out of range: \(extra.map { "\($0) or " }.joined())\(range.lowerBound) to \(range.upperBound)"
                )
            }
        }
        try check("BatchSize", batchSize, 1...10_000)
        try check("MaximumBatchingWindowInSeconds", maximumBatchingWindowSeconds, 0...300)
        try check("MaximumRetryAttempts", maximumRetryAttempts, -1...10_000)
        try check("MaximumRecordAgeInSeconds", maximumRecordAgeInSeconds, 60...604_800, [-1])
        try check("ParallelizationFactor", parallelizationFactor, 1...10)
        if let destination = onFailureDestination, !destination.hasPrefix("arn:aws:sqs:") {
            throw Invalid(
                parameter: "DestinationConfig.OnFailure.Destination",
                message:
                    "fnhost sends discarded batches to an SQS queue (arn:aws:sqs:…), not \(destination.prefix(200))")
        }
    }
}
