import Prometheus

/// The streams' series on `/metrics`: records put per stream, and, from the stream consumers, batch outcomes and
/// the iterator age per shard (how old the last record a consumer finished with was when it finished: Lambda's
/// `IteratorAge`, which grows while a poison record blocks a shard).
final class KinesisMetrics: Sendable {
    let registry: PrometheusCollectorRegistry

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    static var recordsPut: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "stream", metricName: "records_put", unitName: "total",
            helpText: "Records accepted by PutRecord and PutRecords (committed to the store)")
    }
    static var batches: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "stream", metricName: "batches", unitName: "total",
            helpText: "Stream consumer batches by outcome: succeeded, failed (retried or bisected), partial, discarded")
    }
    static var batchRecords: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "stream", metricName: "batch_records", unitName: "total",
            helpText: "Records in the stream consumer's batches, by the batch's outcome (expired: lost to retention)")
    }
    static var iteratorAge: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "fnhost", subsystem: "stream", metricName: "iterator_age", unitName: "milliseconds",
            helpText: "Age of the last record a stream consumer finished with, when it finished (Lambda's IteratorAge)")
    }

    func recordsPut(stream: String, count: Int) {
        registry.makeCounter(descriptor: Self.recordsPut, labels: [("stream", stream)]).increment(by: Int64(count))
    }

    /// `outcome`: succeeded, failed, partial, discarded, expired.
    func batch(stream: String, outcome: String, records: Int) {
        let labels = [("stream", stream), ("outcome", outcome)]
        if outcome != "expired" { registry.makeCounter(descriptor: Self.batches, labels: labels).increment() }
        registry.makeCounter(descriptor: Self.batchRecords, labels: labels).increment(by: Int64(records))
    }

    func iteratorAge(stream: String, shard: String, milliseconds: Int64) {
        registry.makeGauge(descriptor: Self.iteratorAge, labels: [("stream", stream), ("shard", shard)])
            .set(milliseconds)
    }
}
