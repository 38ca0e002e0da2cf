import FnhostEventSources
import FnhostStreams

/// The seam between the event-source-mapping framework (`FnhostEventSources`: the mapping model, the manifest's
/// declarations, the Lambda API) and the stream consumer: a Kinesis mapping becomes the runner's plain `Mapping`.
extension StreamConsumerRunner.Mapping {
    /// The runner's view of a Kinesis mapping; nil for any other kind (SQS mappings have pollers of their own, and
    /// DynamoDB streams are not served).
    public init?(_ mapping: EventSourceMapping, region: String = KinesisNames.region) {
        guard mapping.kind == .kinesis else { return nil }
        let given = mapping.settings
        var settings = StreamConsumerSettings()
        settings.batchSize = given.batchSize
        settings.maximumBatchingWindowSeconds = given.maximumBatchingWindowInSeconds
        settings.startingPosition =
            StreamConsumerSettings.StartingPosition(
                name: given.startingPosition ?? "TRIM_HORIZON",
                timestampMs: given.startingPositionTimestamp.map { Int64(($0 * 1000).rounded(.down)) })
            ?? .trimHorizon
        settings.maximumRetryAttempts = given.maximumRetryAttempts ?? -1
        settings.maximumRecordAgeInSeconds = given.maximumRecordAgeInSeconds ?? -1
        settings.bisectBatchOnFunctionError = given.bisectBatchOnFunctionError ?? false
        settings.parallelizationFactor = given.parallelizationFactor ?? 1
        settings.reportBatchItemFailures = given.reportBatchItemFailures
        settings.onFailureDestination = given.onFailureDestination
        self.init(
            id: mapping.uuid, stream: mapping.sourceName,
            functionArn: "arn:aws:lambda:\(region):\(KinesisNames.account):function:\(mapping.function)",
            settings: settings)
    }
}
