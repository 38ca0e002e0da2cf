import FnhostWire

/// The pure accounting of one poison scenario: from the messages sent, the consumer's processed log, what was parked
/// (dead-letter queue or on-failure destination) and what the stream dropped at expiry, each message's fate and the
/// scenario's figures. Kept apart from the run so that every rule (what counts as lost, as a duplicate, as a block)
/// is tested on its own.
public struct PoisonTally: Sendable, Equatable {
    /// One message the experiment sent.
    public struct Message: Sendable, Equatable {
        public var id: String
        public var poison: Bool
        public init(id: String, poison: Bool) {
            self.id = id
            self.poison = poison
        }
    }

    /// One line of the consumer's processed log: the id and when (epoch ms, measured).
    public struct Processed: Sendable, Equatable {
        public var id: String
        public var atMs: Double
        public init(id: String, atMs: Double) {
            self.id = id
            self.atMs = atMs
        }
    }

    /// Where a message ended.
    public enum Fate: String, Sendable, Codable {
        /// The function processed it (at least once).
        case processed
        /// In the dead-letter queue or the on-failure destination.
        case parked
        /// Dropped by the stream when its retention ran out (Kinesis' default: no retry limit, no destination).
        case expired
        /// None of these: fnhost lost it.
        case lost
    }

    public var fates: [String: Fate]
    /// Good messages processed more than once (a redelivered batch, a retried stream batch).
    public var processedMoreThanOnce: Int
    /// Real milliseconds from the start until every good message was processed (nil: some never were).
    public var goodDoneAfterMs: Double?
    /// The longest real stretch without progress while good messages still waited: from the start, between
    /// consecutive first processings of good messages, up to the last good message processed, or, when a good message was never
    /// processed (parked with a poison batch-mate, or expired behind a poison record), up to the end: it waited
    /// until the scenario settled.
    public var longestBlockMs: Double

    public func count(_ fate: Fate) -> Int { fates.values.filter { $0 == fate }.count }

    /// - Parameters:
    ///   - parked: ids found in the dead-letter queue or destination.
    ///   - dropped: ids the stream consumer passed without processing or parking.
    ///   - expiryAllowed: whether dropping is what the scenario's settings do at expiry (the stream's default);
    ///     otherwise a dropped message is lost.
    ///   - startMs, endMs: when the first message was sent and when the scenario settled (epoch ms).
    public init(
        messages: [Message], processed: [Processed], parked: Set<String>, dropped: Set<String>, expiryAllowed: Bool,
        startMs: Double, endMs: Double
    ) {
        var times: [String: [Double]] = [:]
        for line in processed { times[line.id, default: []].append(line.atMs) }
        var fates: [String: Fate] = [:]
        var firstGood: [Double] = []
        var goodsDone = true
        for m in messages {
            if let seen = times[m.id] {
                fates[m.id] = .processed
                if !m.poison { firstGood.append(seen.min() ?? startMs) }
            } else if parked.contains(m.id) {
                fates[m.id] = .parked
                if !m.poison { goodsDone = false }
            } else if dropped.contains(m.id) && expiryAllowed {
                fates[m.id] = .expired
                if !m.poison { goodsDone = false }
            } else {
                fates[m.id] = .lost
                if !m.poison { goodsDone = false }
            }
        }
        self.fates = fates
        let goodIDs = Set(messages.filter { !$0.poison }.map(\.id))
        processedMoreThanOnce = times.filter { goodIDs.contains($0.key) && $0.value.count > 1 }.count
        let lastGood = firstGood.max()
        goodDoneAfterMs = goodsDone ? (lastGood ?? startMs) - startMs : nil
        var longest = 0.0
        var previous = startMs
        let horizon = goodsDone ? (lastGood ?? startMs) : max(endMs, lastGood ?? startMs)
        // Progress is a good message processed for the first time: a retried batch reprocessing the good records
        // before a poison one moves nothing forward.
        for at in firstGood.sorted() where at <= horizon {
            longest = max(longest, at - previous)
            previous = at
        }
        longestBlockMs = max(longest, horizon - previous)
    }

    /// The ids a stream's on-failure records name: each record's `KinesisBatchInfo` gives a shard and a range of
    /// sequence numbers (equal-length decimal strings, so they compare as text); `records` maps each message id to
    /// where it was put.
    public static func parkedByDestination(
        bodies: [String], records: [String: (shard: String, sequence: String)]
    ) -> Set<String> {
        var parked: Set<String> = []
        for body in bodies {
            guard case .object(let root)? = try? JSONValue.parse(body),
                case .object(let info)? = root["KinesisBatchInfo"],
                case .string(let shard)? = info["shardId"], case .string(let first)? = info["startSequenceNumber"],
                case .string(let last)? = info["endSequenceNumber"]
            else { continue }
            for (id, at) in records
            where at.shard == shard && Self.sequence(at.sequence, isAtLeast: first)
                && Self.sequence(last, isAtLeast: at.sequence)
            {
                parked.insert(id)
            }
        }
        return parked
    }

    /// Decimal sequence numbers compared as numbers (shorter is smaller).
    static func sequence(_ a: String, isAtLeast b: String) -> Bool {
        a.count != b.count ? a.count > b.count : a >= b
    }

    /// The ids in dead-letter bodies (`{"id": …}`, as the experiment sends them).
    public static func parkedInQueue(bodies: [String]) -> Set<String> {
        Set(
            bodies.compactMap { body in
                guard case .object(let o)? = try? JSONValue.parse(body), case .string(let id)? = o["id"] else {
                    return nil
                }
                return id
            })
    }

    /// The consumer's processed log (JSON lines; a torn last line is skipped).
    public static func processedLog(_ bytes: [UInt8]) -> [Processed] {
        bytes.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard case .object(let o)? = try? JSONValue.parse(line), case .string(let id)? = o["id"],
                case .number(let at)? = o["at"]
            else { return nil }
            return Processed(id: id, atMs: at)
        }
    }
}
