import FnhostHost
import FnhostServer
import FnhostSimulation
import FnhostWire
import Foundation

/// One scenario of `fnhost experiment poison` on its host: sets up the queue or stream and the mapping, sends the
/// messages, runs until the scenario settles (the queue empty, or the consumer past every record), and tallies.
struct ScenarioRun: Sendable {
    let scenario: PoisonScenario
    let settings: PoisonExperiment.Settings
    let runtime: FunctionHost
    let messages: [PoisonTally.Message]
    let serveDirectory: String
    let logPath: String
    let progress: @Sendable (String, Double) -> Void

    /// Lambda's, SQS's and Kinesis' prices (us-east-1; ../shared/reference/event-sources.md, where the SQS and
    /// Kinesis figures are third-party summaries, unverified).
    static let sqsStandardPerRequest = 0.40 / 1_000_000
    static let sqsFIFOPerRequest = 0.50 / 1_000_000
    static let kinesisPerShardHour = 0.015
    static let kinesisPerPutUnit = 0.014 / 1_000_000

    static func nowMs() -> Double { (Date().timeIntervalSince1970 * 1000).rounded(.down) }

    var scale: Double { settings.timeScale }
    var retentionRealMs: Double { 24 * 3600 * 1000 * scale }

    func body(_ m: PoisonTally.Message) -> String {
        String(
            decoding: JSONValue.object([
                "id": .string(m.id), "poison": .bool(m.poison), "partial": .bool(scenario.partial),
            ]).serialized, as: UTF8.self)
    }

    func run() async throws -> PoisonResult {
        let harness = try await PoisonHarness.open(stateDirectory: serveDirectory, timeScale: TimeScale(scale))
        do {
            let result = try await run(harness)
            await harness.close()
            return result
        } catch {
            await harness.close()
            throw error
        }
    }

    private func run(_ harness: PoisonHarness) async throws -> PoisonResult {
        let fifo = scenario == .fifo
        let queue = fifo ? "poison.fifo" : "poison"
        let parking = scenario.isStream ? "poison-failures" : (fifo ? "poison-dlq.fifo" : "poison-dlq")
        let stream = "poison"
        var report: [String: String] = [:]
        var records: [String: (shard: String, sequence: String)] = [:]
        var consumerID = ""
        let meter = MachineLoad.start()
        let start: Double
        let deadline: Double
        if scenario.isStream {
            try await harness.createStream(stream, shards: settings.shards)
            var mapping: [String: JSONValue] = [
                "FunctionName": .string(PoisonExperiment.function),
                "EventSourceArn": .string(PoisonHarness.streamARN(stream)),
                "StartingPosition": .string("TRIM_HORIZON"), "BatchSize": .number(Double(settings.streamBatchSize)),
            ]
            report["retention"] = "86400 s simulated (\(Self.format(retentionRealMs / 1000)) s real)"
            report["shards"] = String(settings.shards)
            report["batchSize"] = String(settings.streamBatchSize)
            if scenario == .streamBisect {
                try await harness.createQueue(parking, attributes: [:])
                mapping["MaximumRetryAttempts"] = .number(Double(settings.maximumRetryAttempts))
                mapping["BisectBatchOnFunctionError"] = .bool(true)
                mapping["DestinationConfig"] = .object([
                    "OnFailure": .object(["Destination": .string(PoisonHarness.queueARN(parking))])
                ])
                report["maximumRetryAttempts"] = String(settings.maximumRetryAttempts)
                report["bisectBatchOnFunctionError"] = "true"
                report["onFailure"] = parking
            } else {
                report["maximumRetryAttempts"] = "-1 (Lambda's default)"
            }
            consumerID = try await harness.createMapping(host: runtime, mapping)
            start = Self.nowMs()
            let put = try await harness.put(stream, records: messages.map { (key: $0.id, data: body($0)) })
            for (m, at) in zip(messages, put) { records[m.id] = at }
            deadline = start + retentionRealMs * 1.5 + 120_000
        } else {
            var dlq: [String: String] = [:]
            if fifo { dlq["FifoQueue"] = "true" }
            try await harness.createQueue(parking, attributes: dlq)
            var attributes = dlq
            attributes["VisibilityTimeout"] = String(settings.visibilityTimeoutRealSeconds)
            attributes["RedrivePolicy"] = String(
                decoding: JSONValue.object([
                    "deadLetterTargetArn": .string(PoisonHarness.queueARN(parking)),
                    "maxReceiveCount": .number(Double(settings.maxReceiveCount)),
                ]).serialized, as: UTF8.self)
            try await harness.createQueue(queue, attributes: attributes)
            var mapping: [String: JSONValue] = [
                "FunctionName": .string(PoisonExperiment.function),
                "EventSourceArn": .string(PoisonHarness.queueARN(queue)),
                "BatchSize": .number(Double(settings.queueBatchSize)),
            ]
            if scenario.partial { mapping["FunctionResponseTypes"] = .array([.string("ReportBatchItemFailures")]) }
            _ = try await harness.createMapping(host: runtime, mapping)
            report["visibilityTimeout"] =
                "\(Self.format(Double(settings.visibilityTimeoutRealSeconds) / scale)) s simulated (\(settings.visibilityTimeoutRealSeconds) s real)"
            report["maxReceiveCount"] = String(settings.maxReceiveCount)
            report["batchSize"] = String(settings.queueBatchSize)
            report["reportBatchItemFailures"] = String(scenario.partial)
            if fifo { report["groups"] = String(settings.fifoGroups) }
            start = Self.nowMs()
            try await harness.send(
                queue, bodies: messages.map(body),
                groups: fifo ? messages.indices.map { "g\($0 % settings.fifoGroups)" } : nil)
            deadline = start + 300_000
        }
        // The supervisor finds the mapping in the store and runs it (SQS pollers, or the stream consumer).
        let server = try await LocalServer.start(host: runtime, stateDirectory: serveDirectory)

        // Until settled: the queue empty, or the consumer past every record of every shard.
        let goods = messages.filter { !$0.poison }.count
        var settled = false
        while Self.nowMs() < deadline {
            try? await Task.sleep(for: .milliseconds(100))
            settled =
                scenario.isStream
                ? try await harness.consumerCaughtUp(consumer: consumerID, stream: stream, shards: settings.shards)
                : try await harness.depth(queue) == 0
            let done = Set(PoisonTally.processedLog(readLog()).map(\.id)).count
            let elapsed = Self.nowMs() - start
            progress(
                "\(done)/\(goods) good processed, \(Self.format(elapsed / 1000 / scale)) s simulated",
                scenario == .stream ? min(1, elapsed / retentionRealMs) : Double(done) / Double(max(1, goods)))
            if settled { break }
        }
        let end = Self.nowMs()
        await server.stop()
        let load = meter.finish()

        let processed = PoisonTally.processedLog(readLog())
        let parkedBodies = try await harness.bodies(parking)
        let parked =
            scenario.isStream
            ? PoisonTally.parkedByDestination(bodies: parkedBodies, records: records)
            : PoisonTally.parkedInQueue(bodies: parkedBodies)
        let seen = Set(processed.map(\.id))
        // A record the consumer went past without processing or parking it was dropped; at Lambda's defaults
        // that is expiry, once the retention has run out.
        let dropped: Set<String> =
            scenario.isStream && settled
            ? Set(messages.map(\.id).filter { !seen.contains($0) && !parked.contains($0) }) : []
        let tally = PoisonTally(
            messages: messages, processed: processed, parked: parked, dropped: dropped,
            expiryAllowed: scenario == .stream && end - start >= retentionRealMs, startMs: start, endMs: end)
        return result(
            tally: tally, processed: processed, report: report, load: load, start: start, end: end,
            destinationMessages: parkedBodies.count, settled: settled)
    }

    private func result(
        tally: PoisonTally, processed: [PoisonTally.Processed], report: [String: String], load: MachineLoad,
        start: Double, end: Double, destinationMessages: Int, settled: Bool
    ) -> PoisonResult {
        let usage = runtime.usage.byFunction[PoisonExperiment.function]
        let invocations = usage?.requests ?? 0
        let gigabyteSeconds = usage?.gigabyteSeconds ?? 0
        let lambdaCost =
            Double(invocations) * UsageTally.pricePerRequest + gigabyteSeconds * UsageTally.pricePerGigabyteSecond
        let settledSeconds = (end - start) / 1000 / scale
        var sourceRequests: Int
        var shardHours = 0.0
        var sourceCost: Double
        if scenario.isStream {
            // One PUT payload unit per record (each well under 25 KB); the on-failure records are SQS sends.
            sourceRequests = messages.count
            shardHours = Double(settings.shards) * settledSeconds / 3600
            sourceCost =
                shardHours * Self.kinesisPerShardHour + Double(sourceRequests) * Self.kinesisPerPutUnit
                + Double(destinationMessages) * Self.sqsStandardPerRequest
        } else {
            // Estimated: SendMessageBatch calls, and a ReceiveMessage and a DeleteMessageBatch per batch (each body
            // is far under 64 KiB); empty long polls are not counted.
            sourceRequests = (messages.count + 9) / 10 + 2 * invocations
            sourceCost =
                Double(sourceRequests) * (scenario == .fifo ? Self.sqsFIFOPerRequest : Self.sqsStandardPerRequest)
        }
        let goods = messages.filter { !$0.poison }
        let firsts = Dictionary(processed.map { ($0.id, $0.atMs) }, uniquingKeysWith: min)
        let times = goods.compactMap { firsts[$0.id] }.sorted()
        // The share of good messages processed by each checkpoint (4^k simulated seconds), one x for every scenario.
        let curve = (0...9).map { k in
            let seconds = pow(4.0, Double(k))
            let cutoff = start + seconds * 1000 * scale
            return PoisonResult.Progress(
                seconds: seconds,
                percent: goods.isEmpty ? 100 : 100 * Double(times.count { $0 <= cutoff }) / Double(goods.count))
        }
        let poisonIDs = Set(messages.filter(\.poison).map(\.id))
        return PoisonResult(
            scenario: scenario, messages: messages.count, poison: poisonIDs.count,
            goodDoneSeconds: tally.goodDoneAfterMs.map { $0 / 1000 / scale },
            longestBlockSeconds: tally.longestBlockMs / 1000 / scale, settledSeconds: settledSeconds,
            measuredSeconds: (end - start) / 1000, invocations: invocations,
            invocationsPerMessage: Double(invocations) / Double(max(1, messages.count)),
            processed: tally.count(.processed), processedMoreThanOnce: tally.processedMoreThanOnce,
            parked: tally.count(.parked), expired: tally.count(.expired),
            goodExpired: tally.fates.filter { $0.value == .expired && !poisonIDs.contains($0.key) }.count,
            lost: tally.count(.lost), lambdaRequests: invocations, gigabyteSeconds: gigabyteSeconds,
            lambdaCostUSD: lambdaCost, sourceRequests: sourceRequests, shardHours: shardHours,
            sourceCostUSD: sourceCost, load: load, progress: curve, settings: report, settled: settled)
    }

    func readLog() -> [UInt8] {
        (FileManager.default.contents(atPath: logPath)).map { Array($0) } ?? []
    }

    static func format(_ x: Double) -> String {
        x >= 100 ? String(Int(x.rounded())) : String(format: "%.1f", x)
    }
}
