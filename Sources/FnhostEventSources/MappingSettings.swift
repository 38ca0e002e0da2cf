/// What an event source mapping is told to do: batch size and window, concurrency, partial batch responses, and for
/// streams where to start, how often to retry, bisection, parallelization and where discarded batches go. The
/// defaults are Lambda's for the source's kind (`defaults(for:)`); `MappingSettings+Fields` reads and writes them
/// in the API's JSON, `MappingSettings+Validation` applies Lambda's rules.
public struct MappingSettings: Sendable, Equatable {
    /// Whether the pollers run (`Enabled`).
    public var enabled: Bool
    /// Records per invocation at most (SQS 10, streams 100; up to 10,000; FIFO queues up to 10).
    public var batchSize: Int
    /// Seconds to gather records before invoking (0–300; not for FIFO queues).
    public var maximumBatchingWindowInSeconds: Int
    /// SQS: the most concurrent invocations this mapping starts (2–1,000); nil for no limit but the function's.
    public var maximumConcurrency: Int?
    /// `FunctionResponseTypes: ["ReportBatchItemFailures"]`: the function may answer which records failed.
    public var reportBatchItemFailures: Bool
    /// Streams: `TRIM_HORIZON`, `LATEST` or `AT_TIMESTAMP` (Kinesis only); required when creating.
    public var startingPosition: String?
    /// Streams: Unix seconds, with `AT_TIMESTAMP`.
    public var startingPositionTimestamp: Double?
    /// Streams: retries of a failed batch, −1 (until the record expires) to 10,000.
    public var maximumRetryAttempts: Int?
    /// Streams: records older than this are discarded, −1 (never) or 60–604,800.
    public var maximumRecordAgeInSeconds: Int?
    /// Streams: split a failing batch in two and retry the halves.
    public var bisectBatchOnFunctionError: Bool?
    /// Streams: concurrent batches per shard, 1–10 (order kept per partition key).
    public var parallelizationFactor: Int?
    /// Streams: the ARN (an fnhost queue) that receives a discarded batch's metadata.
    public var onFailureDestination: String?

    public init(
        enabled: Bool = true, batchSize: Int, maximumBatchingWindowInSeconds: Int = 0,
        maximumConcurrency: Int? = nil, reportBatchItemFailures: Bool = false, startingPosition: String? = nil,
        startingPositionTimestamp: Double? = nil, maximumRetryAttempts: Int? = nil,
        maximumRecordAgeInSeconds: Int? = nil, bisectBatchOnFunctionError: Bool? = nil,
        parallelizationFactor: Int? = nil, onFailureDestination: String? = nil
    ) {
        self.enabled = enabled
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.maximumConcurrency = maximumConcurrency
        self.reportBatchItemFailures = reportBatchItemFailures
        self.startingPosition = startingPosition
        self.startingPositionTimestamp = startingPositionTimestamp
        self.maximumRetryAttempts = maximumRetryAttempts
        self.maximumRecordAgeInSeconds = maximumRecordAgeInSeconds
        self.bisectBatchOnFunctionError = bisectBatchOnFunctionError
        self.parallelizationFactor = parallelizationFactor
        self.onFailureDestination = onFailureDestination
    }

    /// Lambda's defaults for a new mapping of `kind`: SQS batches of 10 and no window; streams batches of 100,
    /// retries and record age unlimited (−1), no bisection, one batch per shard.
    public static func defaults(for kind: EventSourceKind) -> MappingSettings {
        switch kind {
        case .sqs:
            MappingSettings(batchSize: 10)
        case .kinesis, .dynamodb:
            MappingSettings(
                batchSize: 100, maximumRetryAttempts: -1, maximumRecordAgeInSeconds: -1,
                bisectBatchOnFunctionError: false, parallelizationFactor: 1)
        }
    }

    /// Lambda's limits.
    public static let maxBatchSize = 10_000
    public static let maxFIFOBatchSize = 10
    /// The largest batch without a batching window (SQS standard queues).
    public static let maxBatchSizeWithoutWindow = 10
    public static let maxBatchingWindowSeconds = 300
    public static let maximumConcurrencyRange = 2...1_000
    public static let maximumRetryAttemptsRange = -1...10_000
    public static let maximumRecordAgeRange = 60...604_800
    public static let parallelizationFactorRange = 1...10
    public static let startingPositions = ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP"]
}
