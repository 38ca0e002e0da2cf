import FnhostHost

/// One scenario's figures. Times are simulated seconds (measured wall time divided by the time scale) unless named
/// `measured`; the cost is Lambda's (requests + GB-s from the REPORTs) plus the queue's or the stream's.
public struct PoisonResult: Sendable, Codable, Equatable {
    public var scenario: PoisonScenario
    public var messages: Int
    public var poison: Int
    /// Simulated seconds from the first message to the last good message's first processing (nil: some good
    /// message was never processed: it expired, or was parked behind a poison one).
    public var goodDoneSeconds: Double?
    /// The longest simulated stretch with good messages waiting and none processed.
    public var longestBlockSeconds: Double
    /// Simulated seconds until the scenario settled (queue empty, or the consumer past every record).
    public var settledSeconds: Double
    public var measuredSeconds: Double
    public var invocations: Int
    public var invocationsPerMessage: Double
    public var processed: Int
    public var processedMoreThanOnce: Int
    public var parked: Int
    public var expired: Int
    /// Good messages among the expired (the stream dropped them with the poison record they waited behind).
    public var goodExpired: Int
    public var lost: Int
    public var lambdaRequests: Int
    public var gigabyteSeconds: Double
    public var lambdaCostUSD: Double
    /// SQS requests (64 KiB chunks) or Kinesis PUT payload units.
    public var sourceRequests: Int
    public var shardHours: Double
    public var sourceCostUSD: Double
    public var costUSD: Double { lambdaCostUSD + sourceCostUSD }
    public var load: MachineLoad
    /// The percent of good messages processed by 1, 4, 16, … 262,144 simulated seconds, for the chart.
    public var progress: [Progress]
    /// The settings this scenario ran with, in simulated seconds where they are durations.
    public var settings: [String: String]
    /// False when the scenario ran out of time before the queue emptied or the consumer passed every record: the
    /// messages not accounted for then count as lost.
    public var settled: Bool

    public struct Progress: Sendable, Codable, Equatable {
        public var seconds: Double
        public var percent: Double
    }
}
