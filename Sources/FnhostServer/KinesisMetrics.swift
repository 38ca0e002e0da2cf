import Prometheus

/// The streams' series on `/metrics`: records put per stream, and, from the stream consumers, batch outcomes and
/// the iterator age per shard (how old the last record a consumer finished with was when it finished: Lambda's
/// `IteratorAge`, which grows while a poison record blocks a shard).
final class KinesisMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    func recordsPut(stream: String, count: Int) {
        registry.makeCounter(
            name: "fnhost_stream_records_put_total", labels: [("stream", stream)],
            help: "Records accepted by PutRecord and PutRecords (committed to the store)"
        ).increment(by: Int64(count))
    }

    /// `outcome`: succeeded, failed, partial, discarded, expired.
    func batch(stream: String, outcome: String, records: Int) {
        registry.makeCounter(
            name: "fnhost_stream_batches_total", labels: [("stream", stream), ("outcome", outcome)],
            help: "Stream consumer batches by outcome: succeeded, failed (retried or bisected), partial, discarded"
        ).increment()
        registry.makeCounter(
            name: "fnhost_stream_batch_records_total", labels: [("stream", stream), ("outcome", outcome)],
            help: "Records in the stream consumer's batches, by the batch's outcome"
        ).increment(by: Int64(records))
    }

    func iteratorAge(stream: String, shard: String, milliseconds: Int64) {
        registry.makeGauge(
            name: "fnhost_stream_iterator_age_milliseconds", labels: [("stream", stream), ("shard", shard)],
            help: "Age of the last record a stream consumer finished with, when it finished (Lambda's IteratorAge)"
        ).set(milliseconds)
    }
}
