/// The five ways `fnhost experiment poison` feeds the same messages to the same function (issue 14, item 5; seed
/// 004's lesson): two standard queues (whole-batch failures, partial batch responses), a stream with Lambda's
/// defaults, a stream with retry limits, bisection and an on-failure destination, and a FIFO queue.
public enum PoisonScenario: String, CaseIterable, Sendable, Codable {
    case queue
    case queuePartial = "queue-partial"
    case stream
    case streamBisect = "stream-bisect"
    case fifo

    public var isStream: Bool { self == .stream || self == .streamBisect }

    /// What the table and the chart call it.
    public var title: String {
        switch self {
        case .queue: "SQS standard, whole-batch failures, DLQ"
        case .queuePartial: "SQS standard, ReportBatchItemFailures, DLQ"
        case .stream: "stream, Lambda's defaults (retry until expiry)"
        case .streamBisect: "stream, MaximumRetryAttempts + bisect + on-failure queue"
        case .fifo: "SQS FIFO, whole-batch failures, DLQ"
        }
    }

    /// Whether the function is asked for `batchItemFailures` (the mapping's `ReportBatchItemFailures`).
    public var partial: Bool { self == .queuePartial }
}
