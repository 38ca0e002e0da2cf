/// One batch an event source mapping took from a queue or a stream, as the facts its trace is made of: where it
/// came from, how big it was, which records it held (a few of them), which attempt this is. A queue's or a stream's
/// batch starts a trace of its own (trigger `queue` or `stream`, the source's name as its root), with the batch as
/// the root span, the receive as a measured span when the poller timed it, and the function's invocation below;
/// every attempt of a batch is its own trace, and says its attempt.
///
/// Pure: the poller and the stream consumer gather the facts, ``trace(_:result:next:newID:)`` lays them out.
public struct BatchTrace: Sendable, Equatable {
    /// What kind of source the batch came from.
    public enum Source: String, Sendable, CaseIterable {
        case queue, stream

        /// The trace's trigger.
        public var trigger: Trace.Trigger {
            switch self {
            case .queue: .queue
            case .stream: .stream
            }
        }
    }

    /// At most this many identifiers (message ids, sequence numbers) from a batch's start are kept, and its last.
    public static let keptIdentifiers = 3

    public var source: Source
    /// The queue's or the stream's name: the trace's root.
    public var sourceName: String
    public var sourceARN: String
    /// The function the mapping feeds.
    public var function: String
    /// The mapping's UUID.
    public var mapping: String
    /// How many records went to the function.
    public var size: Int
    /// The first few identifiers in batch order (message ids, or sequence numbers), and the last.
    public var firstIdentifiers: [String]
    public var lastIdentifier: String?
    /// A stream's shard (`shardId-000000000000`).
    public var shardID: String?
    /// A queue's messages' lowest and highest `ApproximateReceiveCount`.
    public var receiveCounts: ClosedRange<Int>?
    /// 1 for a batch's first invocation; a retry's (and a bisected half's) count the invocations its records had.
    public var attempt: Int
    /// A bisected batch's half: "first half of 8".
    public var half: String?
    /// Wall-clock time the poller began taking the batch, Unix epoch ms.
    public var takenAtMs: Double
    /// Measured: how long the receive took (the take and the batching window), when the poller timed it.
    public var receiveMs: Double?
    /// Measured: the age of the batch's oldest record when it was taken (a stream's iterator age).
    public var ageMs: Double?

    public init(
        source: Source, sourceName: String, sourceARN: String, function: String, mapping: String,
        identifiers: some Collection<String>, shardID: String? = nil, receiveCounts: ClosedRange<Int>? = nil,
        attempt: Int = 1, half: String? = nil, takenAtMs: Double, receiveMs: Double? = nil, ageMs: Double? = nil
    ) {
        self.source = source
        self.sourceName = sourceName
        self.sourceARN = sourceARN
        self.function = function
        self.mapping = mapping
        self.size = identifiers.count
        self.firstIdentifiers = Array(identifiers.prefix(Self.keptIdentifiers))
        // The last without walking the batch (a collection of random access moves there at once).
        self.lastIdentifier =
            identifiers.count > Self.keptIdentifiers ? identifiers.dropFirst(identifiers.count - 1).first : nil
        self.shardID = shardID
        self.receiveCounts = receiveCounts
        self.attempt = max(1, attempt)
        self.half = half
        self.takenAtMs = takenAtMs
        self.receiveMs = receiveMs
        self.ageMs = ageMs
    }

    /// The root span's name: "batch of 10 from orders".
    public var spanName: String {
        "batch of \(size) from \(sourceName)" + (attempt > 1 ? " (attempt \(attempt))" : "")
    }
}
