import DequeModule
import FnhostHost
import FnhostTraces
import Metrics
import ServiceLifecycle
import Synchronization

/// Sends finished traces to an OpenTelemetry collector over OTLP/HTTP (protobuf), in batches, from a bounded queue.
///
/// An invocation only ever appends to the queue (a lock and an append): when the queue is full the trace is dropped
/// and counted, and a collector that is slow, refuses or is gone costs the exporter's own task a failed post (within
/// ``Settings/timeout``), counted too, and logged once. Nothing here can slow or fail an invocation.
public final class OTLPExporter: Service, Sendable {
    public struct Settings: Sendable {
        /// The full URL batches are posted to (`…/v1/traces`).
        public var url: OneShotHTTPClient.Address
        /// Spans waiting at most; beyond, whole traces are dropped.
        public var queueCapacity = 8192
        /// Spans per post at most.
        public var batchSpans = 512
        /// How long spans may wait for a fuller batch.
        public var interval: Duration = .milliseconds(500)
        /// One post's deadline.
        public var timeout: Duration = .seconds(5)

        public init(url: OneShotHTTPClient.Address) { self.url = url }

        /// The traces URL the OpenTelemetry variables name: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else
        /// `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`; a flag (`--otlp-endpoint`, a base URL like the latter) wins.
        /// Nil when none is set.
        public static func endpoint(flag: String?, environment: [String: String]) throws(ConfigurationError) -> Self? {
            let text: String
            if let flag, !flag.isEmpty {
                text = Self.appendingTracesPath(flag)
            } else if let t = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !t.isEmpty {
                text = t
            } else if let b = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !b.isEmpty {
                text = Self.appendingTracesPath(b)
            } else {
                return nil
            }
            guard let url = OneShotHTTPClient.Address(text) else { throw ConfigurationError(url: text) }
            return Settings(url: url)
        }

        static func appendingTracesPath(_ base: String) -> String {
            (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/v1/traces"
        }
    }

    /// The endpoint is not an `http://host:port` URL.
    public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
        public var url: String
        public var description: String {
            "the OTLP endpoint \(url) is not an http://host:port URL (fnhost exports OTLP/HTTP without TLS)"
        }
    }

    private struct Queue {
        var traces = Deque<Trace>()
        var spans = 0
        var loggedFailure = false
    }

    public let settings: Settings
    private let queue = Mutex(Queue())
    private let note: @Sendable (String) -> Void
    private let exported: Counter
    private let droppedFull: Counter
    private let failed: Counter
    private let posts: Counter

    /// - Parameters:
    ///   - note: where the one log line about a failing collector goes.
    ///   - metrics: where the counts go (`fnhost_otlp_spans_total{fate=exported|dropped_queue_full|failed}`).
    public init(
        settings: Settings, metrics: any MetricsFactory, note: @escaping @Sendable (String) -> Void
    ) {
        self.settings = settings
        self.note = note
        exported = Counter(label: "fnhost_otlp_spans_total", dimensions: [("fate", "exported")], factory: metrics)
        droppedFull = Counter(
            label: "fnhost_otlp_spans_total", dimensions: [("fate", "dropped_queue_full")], factory: metrics)
        failed = Counter(label: "fnhost_otlp_spans_total", dimensions: [("fate", "failed")], factory: metrics)
        posts = Counter(label: "fnhost_otlp_exports_total", factory: metrics)
    }

    /// Queues a trace for export; drops it (counted) when the queue is full. Never waits.
    public func enqueue(_ trace: Trace) {
        let count = trace.spans.count
        let accepted = queue.withLock { q -> Bool in
            guard q.spans + count <= settings.queueCapacity else { return false }
            q.traces.append(trace)
            q.spans += count
            return true
        }
        if !accepted { droppedFull.increment(by: count) }
    }

    /// Spans waiting.
    public var queuedSpans: Int { queue.withLock { $0.spans } }

    /// Posts batches until cancelled or shut down gracefully; then posts what is left, once, within the timeout.
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: self.settings.interval)
                await self.flush()
            }
        }
        await flush()
    }

    /// Posts everything queued now, in batches.
    public func flush() async {
        while let batch = takeBatch() { await post(batch) }
    }

    private func takeBatch() -> [Trace]? {
        queue.withLock { q in
            guard !q.traces.isEmpty else { return nil }
            var batch: [Trace] = []
            var spans = 0
            while let next = q.traces.first, batch.isEmpty || spans + next.spans.count <= settings.batchSpans {
                q.traces.removeFirst()
                spans += next.spans.count
                batch.append(next)
            }
            q.spans -= spans
            return batch
        }
    }

    private func post(_ batch: [Trace]) async {
        let body = OTLPEncoding.exportRequest(batch)
        let spans = batch.reduce(0) { $0 + $1.spans.count }
        posts.increment()
        let problem: String?
        do {
            let response = try await OneShotHTTPClient.exchange(
                method: "POST", settings.url, headers: [("Content-Type", "application/x-protobuf")], body: body,
                timeout: settings.timeout)
            problem =
                (200..<300).contains(response.status)
                ? nil : "the collector answered \(response.status)"
        } catch {
            problem = "\(error)"
        }
        guard let problem else {
            exported.increment(by: spans)
            return
        }
        failed.increment(by: spans)
        let first = queue.withLock { q in
            defer { q.loggedFailure = true }
            return !q.loggedFailure
        }
        if first {
            note(
                "fnhost: OTLP export to http://\(settings.url.host):\(settings.url.port)\(settings.url.path) failed "
                    + "(\(problem)); invocations go on, and later failures are only counted "
                    + "(fnhost_otlp_spans_total{fate=\"failed\"} in /metrics)")
        }
    }
}
