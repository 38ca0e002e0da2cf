import FnhostWire

/// Lambda's rules across fields, for the source's kind: what an SQS mapping may not carry (stream fields), what a
/// FIFO queue refuses (batches over 10, a batching window), the batching window a standard queue's large batch
/// needs, and what a stream mapping must have (a starting position).
extension MappingSettings {
    /// The stream-only fields, refused on an SQS mapping when given.
    public static let streamFields: Set<String> = [
        "StartingPosition", "StartingPositionTimestamp", "MaximumRetryAttempts", "MaximumRecordAgeInSeconds",
        "BisectBatchOnFunctionError", "ParallelizationFactor", "DestinationConfig",
    ]

    /// Checks the settings for a mapping of `kind` (`fifo`: the queue is FIFO); `given` names the request's fields,
    /// so only fields the caller set are refused as not applying.
    public func validate(kind: EventSourceKind, fifo: Bool, given: Set<String>) throws(ServiceError) {
        switch kind {
        case .sqs:
            for field in Self.streamFields.intersection(given).sorted() {
                throw MappingError.invalidParameter(
                    "Unsupported \(field) parameter for given event source mapping type. \(field) is not supported for Amazon SQS event sources."
                )
            }
            if fifo {
                if batchSize > Self.maxFIFOBatchSize {
                    throw MappingError.invalidParameter(
                        "BatchSize must be between 1 and \(Self.maxFIFOBatchSize) for a FIFO queue, got \(batchSize).")
                }
                if maximumBatchingWindowInSeconds > 0 {
                    throw MappingError.invalidParameter(
                        "Batching window is not supported for FIFO queues: set MaximumBatchingWindowInSeconds to 0.")
                }
            } else if batchSize > Self.maxBatchSizeWithoutWindow && maximumBatchingWindowInSeconds == 0 {
                throw MappingError.invalidParameter(
                    "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
            }
        case .kinesis, .dynamodb:
            if given.contains("ScalingConfig") && maximumConcurrency != nil {
                throw MappingError.invalidParameter(
                    "Unsupported ScalingConfig parameter for given event source mapping type. ScalingConfig is supported for Amazon SQS event sources only."
                )
            }
            guard let startingPosition else {
                throw MappingError.invalidParameter(
                    "StartingPosition is required for \(kind == .kinesis ? "Kinesis" : "DynamoDB") event sources: TRIM_HORIZON, LATEST\(kind == .kinesis ? " or AT_TIMESTAMP" : "")."
                )
            }
            if startingPosition == "AT_TIMESTAMP" {
                if kind == .dynamodb {
                    throw MappingError.invalidParameter(
                        "Unsupported starting position AT_TIMESTAMP for DynamoDB event sources.")
                }
                if startingPositionTimestamp == nil {
                    throw MappingError.invalidParameter(
                        "StartingPositionTimestamp must be given with StartingPosition AT_TIMESTAMP.")
                }
            } else if given.contains("StartingPositionTimestamp") {
                throw MappingError.invalidParameter(
                    "StartingPositionTimestamp is only valid with StartingPosition AT_TIMESTAMP.")
            }
            if let age = maximumRecordAgeInSeconds, age != -1, !Self.maximumRecordAgeRange.contains(age) {
                throw MappingError.validation(
                    field: "maximumRecordAgeInSeconds", value: String(age),
                    constraint:
                        "Member must have value greater than or equal to \(Self.maximumRecordAgeRange.lowerBound), or -1"
                )
            }
            if let destination = onFailureDestination, EventSourceKind(arn: destination) != .sqs {
                throw MappingError.invalidParameter(
                    "The provided destination config DestinationConfig.OnFailure.Destination (\(destination.prefix(200))) is invalid: fnhost sends discarded batches to an SQS queue (arn:aws:sqs:…)."
                )
            }
        }
    }
}
