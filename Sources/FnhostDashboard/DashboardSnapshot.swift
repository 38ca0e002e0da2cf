/// What the live page shows at one moment: per function its workers by state, its recent activity second by
/// second, its latency distributions (measured, and with the simulated overheads added), and the host's queues and
/// state machines. `fnhost serve` sends one as JSON at `GET /fnhost/snapshot` and one a second on
/// `GET /fnhost/events`; the page only draws what is here.
public struct DashboardSnapshot: Codable, Sendable, Equatable {
    /// When the snapshot was taken: seconds since 1970 (UTC), whole.
    public var second: Int
    /// How many seconds of per-second history each function carries.
    public var windowSeconds: Int
    /// How many seconds the latency distributions cover (at most: since the host started, if less).
    public var latencyWindowSeconds: Int
    public var functions: [Function]
    /// Lambda's asynchronous invocations (`X-Amz-Invocation-Type: Event`): queued, and dead letters.
    public var asyncEvents: AsyncEvents
    public var queues: [Queue]
    public var stateMachines: [StateMachine]

    public init(
        second: Int, windowSeconds: Int, latencyWindowSeconds: Int, functions: [Function], asyncEvents: AsyncEvents,
        queues: [Queue], stateMachines: [StateMachine]
    ) {
        self.second = second
        self.windowSeconds = windowSeconds
        self.latencyWindowSeconds = latencyWindowSeconds
        self.functions = functions
        self.asyncEvents = asyncEvents
        self.queues = queues
        self.stateMachines = stateMachines
    }

    /// One function: its pool now, its totals since the host started, and its recent seconds.
    public struct Function: Codable, Sendable, Equatable {
        public var name: String
        public var workers: Workers
        public var totals: Totals
        /// Invocations that finished in the last whole second.
        public var invocationsPerSecond: Int
        /// The last `windowSeconds` whole seconds, oldest first (seconds without activity included, as zeros).
        public var seconds: [Second]
        public var latency: Latency
    }

    /// A pool's workers by state, and how many idle workers the reaper has stopped since the host started.
    public struct Workers: Codable, Sendable, Equatable {
        public var starting: Int
        public var busy: Int
        public var idle: Int
        /// Invocations waiting for a worker (the pool is at its concurrency).
        public var waiting: Int
        public var reaped: Int

        public init(starting: Int = 0, busy: Int = 0, idle: Int = 0, waiting: Int = 0, reaped: Int = 0) {
            self.starting = starting
            self.busy = busy
            self.idle = idle
            self.waiting = waiting
            self.reaped = reaped
        }
    }

    /// Counts since the host started: the window's counts, and the cold starts (counted only here).
    public struct Totals: CountsWindow, Codable, Sendable, Equatable {
        public var counts = Counts()
        public var coldStarts = 0

        public init() {}

        private enum CodingKeys: String, CodingKey { case coldStarts }

        /// The counts' members and `coldStarts`, side by side in one object.
        public init(from decoder: any Decoder) throws {
            counts = try Counts(from: decoder)
            coldStarts = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .coldStarts)
        }

        public func encode(to encoder: any Encoder) throws {
            try counts.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(coldStarts, forKey: .coldStarts)
        }
    }

    /// One whole second of a function's activity: its counts, and their hit rates (null in a second without
    /// lookups).
    public struct Second: CountsWindow, Codable, Sendable, Equatable {
        /// Seconds since 1970 (UTC).
        public var second: Int
        public var counts = Counts()

        public init(second: Int) { self.second = second }

        private enum CodingKeys: String, CodingKey { case second, workerHitRate, sharedHitRate }

        /// The counts' members, `second` and the rates, side by side in one object; the rates are not read back
        /// (they follow from the counts).
        public init(from decoder: any Decoder) throws {
            second = try decoder.container(keyedBy: CodingKeys.self).decode(Int.self, forKey: .second)
            counts = try Counts(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            try counts.encode(to: encoder)
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(second, forKey: .second)
            try c.encode(counts.workerHitRate, forKey: .workerHitRate)
            try c.encode(counts.sharedHitRate, forKey: .sharedHitRate)
        }
    }

    /// A function's latency distributions over the latency window: as the host measured it, and with the seeded
    /// simulated overheads added (what REPORT's Duration and the client see); the second is nil without a profile.
    public struct Latency: Codable, Sendable, Equatable {
        public var measured: Distribution
        public var withSimulated: Distribution?
    }

    /// A latency distribution: its percentiles and its counts between fixed bounds (the same for every
    /// distribution, so that two can be drawn on one axis).
    public struct Distribution: Codable, Sendable, Equatable {
        public var count: Int
        public var p50Ms: Double
        public var p90Ms: Double
        public var p99Ms: Double
        public var maxMs: Double
        public var buckets: [Bucket]
    }

    /// The latencies above the previous bucket's bound and at most `upToMs` (nil: above the last bound).
    public struct Bucket: Codable, Sendable, Equatable {
        public var upToMs: Double?
        public var count: Int
    }

    public struct AsyncEvents: Codable, Sendable, Equatable {
        public var queued: Int
        public var deadLetters: Int

        public init(queued: Int, deadLetters: Int) {
            self.queued = queued
            self.deadLetters = deadLetters
        }
    }

    /// An SQS queue's messages by state; `isDeadLetterQueue` when some queue's redrive policy names it.
    public struct Queue: Codable, Sendable, Equatable {
        public var name: String
        public var visible: Int
        public var inFlight: Int
        public var delayed: Int
        public var isDeadLetterQueue: Bool

        public init(name: String, visible: Int, inFlight: Int, delayed: Int, isDeadLetterQueue: Bool) {
            self.name = name
            self.visible = visible
            self.inFlight = inFlight
            self.delayed = delayed
            self.isDeadLetterQueue = isDeadLetterQueue
        }
    }

    /// A state machine's executions by Step Functions status (`RUNNING`, `SUCCEEDED`, `FAILED`, `TIMED_OUT`,
    /// `ABORTED`): the running ones now, the others since the host started.
    public struct StateMachine: Codable, Sendable, Equatable {
        public var name: String
        public var executions: [String: Int]

        public init(name: String, executions: [String: Int]) {
            self.name = name
            self.executions = executions
        }
    }
}
