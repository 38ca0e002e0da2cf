/// A batch of one shard's records on its way to the function, with what the consumer knows of it: the lane
/// (ParallelizationFactor's slice of the shard, by partition key) it belongs to, how often it was retried and
/// how often the function was invoked with these records.
public struct StreamBatch: Sendable, Equatable {
    public var lane: Int
    public var records: [StreamRecord]
    /// Retries after a failure (bisection does not count, as in Lambda).
    public var retries: Int
    /// Invocations that carried these records so far (the on-failure record's `approximateInvokeCount`).
    public var invocations: Int

    public init(lane: Int, records: [StreamRecord], retries: Int = 0, invocations: Int = 0) {
        self.lane = lane
        self.records = records
        self.retries = retries
        self.invocations = invocations
    }
}

/// What came of one invocation with a batch.
public enum StreamBatchOutcome: Sendable, Equatable {
    case succeeded
    /// The function failed (an error, a timeout, a crash): the whole batch failed.
    case failed(functionError: String)
    /// A partial batch response: the records before `index` succeeded, the rest is retried from `index` (the
    /// lowest sequence number the function reported).
    case failedFrom(index: Int)
}

/// Why the consumer gave up on records.
public enum DiscardCondition: String, Sendable, Equatable {
    case retryAttemptsExhausted = "RetryAttemptsExhausted"
    case recordAgeExceeded = "RecordAgeExceeded"
}

/// What the runner must do after a decision of the consumer's core.
public enum ConsumerEffect: Sendable, Equatable {
    /// The batch is given up: send its metadata to the on-failure destination, if there is one.
    case discarded(StreamBatch, DiscardCondition, functionError: String?)
    /// These records left the stream (retention) before they were processed: they are lost to the consumer.
    case expired([StreamRecord])
}
