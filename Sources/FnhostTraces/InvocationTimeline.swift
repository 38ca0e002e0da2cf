import FnhostWire

/// What the host knows about one invocation, in plain figures, and the spans it makes of them: the one place where
/// an invocation's hops become spans, pure, so that its layout is tested without a worker.
///
/// The timeline is Lambda's: simulated delays count at their simulated length (whatever the time scale), measured
/// time as measured. In the order the host pays them: waiting for a worker, the cold start (spawn, init, simulated
/// part), the simulated invoke overhead, then the worker's duration, which holds the cache lookups, the spans the
/// function opened itself and its calls to other functions (each with the callee's own spans).
public struct InvocationTimeline: Sendable {
    /// A cold start's parts.
    public struct ColdStart: Sendable {
        /// Measured: spawning the process (through `fnhost-launch`) until it runs.
        public var spawnMs: Double
        /// Measured: from then until its first `next` (its Init phase).
        public var initMs: Double
        /// Simulated: placing and booting a sandbox, from the profile.
        public var simulatedMs: Double
        public var worker: String

        public init(spawnMs: Double, initMs: Double, simulatedMs: Double, worker: String) {
            self.spawnMs = spawnMs
            self.initMs = initMs
            self.simulatedMs = simulatedMs
            self.worker = worker
        }
    }

    /// A call the function made to another function: when it began (ms from the duration's start, on this
    /// timeline) and the callee's spans (its invocation span first, at offset 0).
    public struct Call: Sendable {
        public var offsetMs: Double
        public var spans: [Span]

        public init(offsetMs: Double, spans: [Span]) {
            self.offsetMs = offsetMs
            self.spans = spans
        }
    }

    public var function: String
    public var requestID: String
    /// The invocation's own span id, and the duration's (the parent a worker's calls and spans get).
    public var spanID: SpanID
    public var durationSpanID: SpanID
    /// The span this invocation is a child of (a caller's duration, a gateway request, a `traceparent`'s parent).
    public var parent: SpanID?
    /// `.request` when the invocation starts its trace, `.call` when another function (or the gateway) called it.
    public var kind: Span.Kind
    /// Measured: from `invoke` until a worker was leased, less the cold start.
    public var waitMs: Double
    public var coldStart: ColdStart?
    /// Simulated invoke overhead.
    public var overheadMs: Double
    /// The worker's duration as the REPORT line states it (`fnhost Simulated Duration` when calls were made).
    public var durationMs: Double
    /// The invocation's whole latency as the REPORT line's `fnhost Latency` (measured + simulated).
    public var latencyMs: Double
    public var worker: String?
    public var cache: CacheAnnotation?
    public var functionSpans: [FunctionSpans.Entry]
    public var calls: [Call]
    /// `ok`, `error`, `timeout`.
    public var outcome: String
    public var profile: String?

    public init(
        function: String, requestID: String, spanID: SpanID, durationSpanID: SpanID, parent: SpanID?, kind: Span.Kind,
        waitMs: Double, coldStart: ColdStart?, overheadMs: Double, durationMs: Double, latencyMs: Double,
        worker: String?, cache: CacheAnnotation?, functionSpans: [FunctionSpans.Entry], calls: [Call], outcome: String,
        profile: String?
    ) {
        self.function = function
        self.requestID = requestID
        self.spanID = spanID
        self.durationSpanID = durationSpanID
        self.parent = parent
        self.kind = kind
        self.waitMs = waitMs
        self.coldStart = coldStart
        self.overheadMs = overheadMs
        self.durationMs = durationMs
        self.latencyMs = latencyMs
        self.worker = worker
        self.cache = cache
        self.functionSpans = functionSpans
        self.calls = calls
        self.outcome = outcome
        self.profile = profile
    }

    /// The spans, the invocation's first, at offset 0 (the caller shifts them onto its own timeline).
    /// - Parameter newID: draws the ids of the spans beyond the two the timeline already has.
    public func spans(newID: () -> SpanID) -> [Span] {
        var spans: [Span] = []
        var invocationAttributes = ["requestId": requestID, "fnhost.outcome": outcome]
        if let worker { invocationAttributes["fnhost.worker"] = worker }
        if let profile { invocationAttributes["fnhost.profile"] = profile }
        invocationAttributes["faas.coldstart"] = coldStart == nil ? "false" : "true"
        // The request's own span mixes both kinds of time; it is marked measured, and its parts say which is which.
        spans.append(
            Span(
                id: spanID, parent: parent, name: function, kind: kind, function: function, startMs: 0,
                durationMs: latencyMs, timing: .measured, attributes: invocationAttributes))
        var at = 0.0
        func child(
            _ name: String, _ kind: Span.Kind, _ ms: Double, _ timing: Span.Timing, parent: SpanID? = nil,
            id: SpanID? = nil, attributes: [String: String] = [:]
        ) -> SpanID {
            let id = id ?? newID()
            spans.append(
                Span(
                    id: id, parent: parent ?? spanID, name: name, kind: kind, function: function, startMs: at,
                    durationMs: max(0, ms), timing: timing, attributes: attributes))
            return id
        }
        if waitMs >= 0.05 {
            _ = child("waiting for a worker", .overhead, waitMs, .measured)
            at += waitMs
        }
        if let cold = coldStart {
            let total = cold.spawnMs + cold.initMs + cold.simulatedMs
            let id = child("cold start", .coldStart, total, .measured, attributes: ["fnhost.worker": cold.worker])
            _ = child("spawn", .coldStart, cold.spawnMs, .measured, parent: id)
            at += cold.spawnMs
            _ = child("init", .coldStart, cold.initMs, .measured, parent: id)
            at += cold.initMs
            if cold.simulatedMs > 0 {
                _ = child("simulated cold start", .coldStart, cold.simulatedMs, .simulated, parent: id)
                at += cold.simulatedMs
            }
        }
        if overheadMs > 0 {
            _ = child("invoke overhead", .overhead, overheadMs, .simulated)
            at += overheadMs
        }
        let durationStart = at
        var durationAttributes: [String: String] = [:]
        if let worker { durationAttributes["fnhost.worker"] = worker }
        _ = child("duration", .worker, durationMs, .measured, id: durationSpanID, attributes: durationAttributes)
        if let cache {
            // The annotation carries each tier's time, not when the lookup began: the tiers are laid out from the
            // duration's start, in the order the worker asks them.
            let tiers: [(String, Double, String)] =
                switch cache.outcome {
                case .workerHit: [("memory", cache.workerMs, "hit")]
                case .sharedHit: [("memory", cache.workerMs, "miss"), ("shared", cache.sharedMs, "hit")]
                case .miss:
                    [("memory", cache.workerMs, "miss")]
                        + (cache.sharedMs > 0 ? [("shared", cache.sharedMs, "miss")] : [])
                        + [("store", cache.storeMs, "hit")]
                }
            for (tier, ms, outcome) in tiers {
                _ = child(
                    "cache \(tier)", .cache, ms, .measured, parent: durationSpanID,
                    attributes: [
                        "cache.tier": tier, "cache.outcome": outcome, "fnhost.cache": cache.outcome.rawValue,
                        "fnhost.placement": "from the duration's start",
                    ])
                at += ms
            }
        }
        // A function's spans nest as it opened them (a parent is always an earlier entry); the others, and any
        // whose parent was not kept, sit under the duration. A failed span says so in `fnhost.error`.
        var functionSpanIDs: [SpanID] = []
        for entry in functionSpans {
            at = durationStart + entry.startMs
            var attributes = entry.attributes
            if let error = entry.error { attributes[Span.errorAttribute] = error.isEmpty ? "error" : error }
            let parent = entry.parent.flatMap { $0 >= 0 && $0 < functionSpanIDs.count ? functionSpanIDs[$0] : nil }
            functionSpanIDs.append(
                child(
                    entry.name, .function, entry.durationMs, .measured, parent: parent ?? durationSpanID,
                    attributes: attributes))
        }
        for call in calls {
            guard var first = call.spans.first else { continue }
            first.parent = durationSpanID
            let offset = durationStart + max(0, call.offsetMs)
            spans.append(first.shifted(by: offset))
            spans += call.spans.dropFirst().map { $0.shifted(by: offset) }
        }
        return spans
    }
}
