import FnhostExperiment
import Testing

/// The poison experiment's accounting, rule by rule, on hand-made logs.
@Suite struct PoisonTallyTests {
    typealias M = PoisonTally.Message
    typealias P = PoisonTally.Processed

    let messages = [M(id: "a", poison: false), M(id: "b", poison: true), M(id: "c", poison: false)]

    @Test func everyMessageProcessedOrParkedIsNotLost() {
        let tally = PoisonTally(
            messages: messages, processed: [P(id: "a", atMs: 1_010), P(id: "c", atMs: 1_030)], parked: ["b"],
            dropped: [], expiryAllowed: false, startMs: 1_000, endMs: 9_000)
        #expect(tally.count(.processed) == 2 && tally.count(.parked) == 1 && tally.count(.lost) == 0)
        #expect(tally.goodDoneAfterMs == 30)
        #expect(tally.processedMoreThanOnce == 0)
    }

    @Test func aMessageWithNoFateIsLost() {
        let tally = PoisonTally(
            messages: messages, processed: [P(id: "a", atMs: 1_010)], parked: ["b"], dropped: [],
            expiryAllowed: false, startMs: 1_000, endMs: 9_000)
        #expect(tally.fates["c"] == .lost && tally.count(.lost) == 1)
        #expect(tally.goodDoneAfterMs == nil)
        // c waited from a's processing to the end.
        #expect(tally.longestBlockMs == 7_990)
    }

    @Test func droppedCountsAsExpiredOnlyWhereExpiryIsTheSettingsWay() {
        let args = (processed: [P(id: "a", atMs: 1_010)], dropped: Set(["b", "c"]))
        let defaults = PoisonTally(
            messages: messages, processed: args.processed, parked: [], dropped: args.dropped, expiryAllowed: true,
            startMs: 1_000, endMs: 9_000)
        #expect(defaults.count(.expired) == 2 && defaults.count(.lost) == 0)
        let limited = PoisonTally(
            messages: messages, processed: args.processed, parked: [], dropped: args.dropped, expiryAllowed: false,
            startMs: 1_000, endMs: 9_000)
        #expect(limited.count(.lost) == 2)
    }

    @Test func goodMessagesSeenTwiceAreDuplicatesPoisonIsNot() {
        let tally = PoisonTally(
            messages: messages,
            processed: [P(id: "a", atMs: 1_001), P(id: "a", atMs: 1_500), P(id: "c", atMs: 1_502)], parked: ["b"],
            dropped: [], expiryAllowed: false, startMs: 1_000, endMs: 9_000)
        #expect(tally.processedMoreThanOnce == 1)
        // From 1,001 to 1,502 c waited; a's second run at 1,500 was no progress.
        #expect(tally.longestBlockMs == 501)
        #expect(tally.goodDoneAfterMs == 502)
    }

    @Test func theBlockCountsFromTheStartAndStopsAtTheLastGoodMessage() {
        let tally = PoisonTally(
            messages: messages,
            processed: [P(id: "a", atMs: 3_000), P(id: "c", atMs: 3_100), P(id: "a", atMs: 90_000)], parked: ["b"],
            dropped: [], expiryAllowed: false, startMs: 1_000, endMs: 9_000)
        #expect(tally.longestBlockMs == 2_000)
    }

    @Test func onFailureRecordsParkTheRecordsInTheirSequenceRange() {
        let records: [String: (shard: String, sequence: String)] = [
            "a": ("shardId-000000000000", "0100"), "b": ("shardId-000000000000", "0200"),
            "c": ("shardId-000000000000", "0300"), "d": ("shardId-000000000001", "0200"),
        ]
        let body = """
            {"requestContext":{"condition":"RetryAttemptsExhausted"},"KinesisBatchInfo":{"shardId":"shardId-000000000000",\
            "startSequenceNumber":"0200","endSequenceNumber":"0300","batchSize":2}}
            """
        #expect(PoisonTally.parkedByDestination(bodies: [body, "not json"], records: records) == ["b", "c"])
    }

    @Test func deadLetterBodiesAndTheProcessedLogAreRead() {
        #expect(PoisonTally.parkedInQueue(bodies: [#"{"id":"b","poison":true}"#, "{}", "x"]) == ["b"])
        let log = Array("{\"id\":\"a\",\"at\":5}\n{\"id\":\"c\",\"at\":7}\n{\"id\":\"torn".utf8)
        #expect(PoisonTally.processedLog(log) == [P(id: "a", atMs: 5), P(id: "c", atMs: 7)])
    }

    @Test func messagesAreSeededAndHaveAtLeastOnePoison() {
        let one = PoisonExperiment.messages(count: 200, fraction: 0.05, seed: 7)
        #expect(one == PoisonExperiment.messages(count: 200, fraction: 0.05, seed: 7))
        #expect(one.filter(\.poison).count > 2 && one.filter(\.poison).count < 25)
        #expect(PoisonExperiment.messages(count: 3, fraction: 0.0001, seed: 1).filter(\.poison).count == 1)
        #expect(PoisonExperiment.messages(count: 3, fraction: 0, seed: 1).filter(\.poison).isEmpty)
    }
}
