import FnhostHost
import FnhostManifest
import FnhostServer
import FnhostSimulation
import FnhostStepFunctions
import FnhostTraces
import FnhostWire
import Foundation
import Synchronization

/// `fnhost experiment architectures`: seed 000's eligibility system built five ways, driven by closed-loop client
/// threads at growing concurrency, each design and level on fresh pools, timed (measured + simulated) and priced.
///
/// Why the orchestrator's figures come from its own answer: its three branches run at once, and the host charges a
/// caller the *sum* of its calls' simulated time (right for calls in a row, as org-status → rules; too much for
/// calls in parallel). So the end-to-end latency is the client's wall time with the orchestrator's own simulated
/// delays put back at full size and its handler time replaced by the answer's `durationOnLambdaMs` (slowest branch
/// at its simulated latency), and the orchestrator is billed for that duration.
public struct ArchitecturesExperiment: Sendable {
    public struct Settings: Sendable {
        public var designs = ArchitecturesDesign.allCases
        public var threads = [1, 5, 10, 25, 50]
        /// Measured requests per level, after a warm-up round of one request per thread.
        public var requests = 200
        /// Distinct members (each with its own organisation) the requests are drawn from.
        public var members = 2_000
        public var date = "2026-03-01"
        /// One time scale for every level; nil: ``defaultTimeScale(threads:)`` per level.
        public var timeScale: Double?
        /// Where each level's slowest traces are kept (`--keep-traces N`; the timed requests', not the warm-up's);
        /// nil: none.
        public var keptTraces: SlowestTraces?
        public init() {}
    }

    public let host: HostConfiguration
    public let settings: Settings

    public init(host: HostConfiguration, settings: Settings) {
        self.host = host
        self.settings = settings
    }

    /// The time scale a level runs at unless told: real time at 50 threads and above, proportionally faster below
    /// (never under 0.1), so that the simulated delays, not this machine's two cores, bound each level: at 50 threads
    /// and real time, five functions per request keep about one core busy (measured; see the README).
    public static func defaultTimeScale(threads: Int) -> Double { min(1, max(0.1, Double(threads) / 50)) }

    public func run(progress: @Sendable (String, Double) -> Void) async throws(ExperimentError) -> ArchitecturesReport {
        let pairs = try memberPairs()
        let steps = Double(settings.designs.count * settings.threads.count)
        var levels: [ArchitecturesLevel] = []
        for design in settings.designs {
            for threads in settings.threads {
                progress("\(design.rawValue) \(threads) threads", Double(levels.count) / steps)
                levels.append(try await runLevel(design: design, threads: threads, pairs: pairs))
            }
        }
        progress("done", 1)
        var notes: [String] = []
        let saturated = levels.filter(\.saturated)
        if !saturated.isEmpty {
            notes.append(
                "saturated levels (\(saturated.map { "\($0.design.rawValue)@\($0.threads)" }.joined(separator: ", "))): "
                    + MachineLoad.saturationAdvice)
        }
        if settings.designs.contains(.stepFunctions) {
            notes.append(
                "step-functions runs each request as an EXPRESS StartSyncExecution (the in-process Step Functions "
                    + "service; each transition the profile's stateTransition delay) and adds Step Functions' price: "
                    + "$1 per million requests and $0.00001667 per GB-second, 64 MB, the duration rounded up to 100 ms; "
                    + "a STANDARD machine would instead pay $25 per million transitions (5 per request: $125 per million)."
            )
        }
        notes.append(
            "async acknowledges after committing the event to fnhost's store and one simulated invoke overhead (Lambda's "
                + "front end); its decision is the asynchronous invocation's answer, read from the orchestrator's log.")
        return ArchitecturesReport(
            profile: host.simulation.profile, seed: host.simulation.seed, requestsPerLevel: settings.requests,
            threads: settings.threads, designs: settings.designs, pending: [],
            levels: levels, notes: notes)
    }

    /// (memberId, its orgId) pairs from coverage's reference data, a seeded sample of `members` of them.
    private func memberPairs() throws(ExperimentError) -> [(member: String, org: String)] {
        let path = host.functionsDirectory + "/coverage/data/members.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .invalid("cannot read \(path): the experiment draws its members (and their organisations) from it")
        }
        var all: [(String, String)] = []
        for line in text.split(separator: "\n").dropFirst() {
            let cells = line.split(separator: ",", maxSplits: 2, omittingEmptySubsequences: false)
            guard cells.count >= 2 else { continue }
            all.append((String(cells[0]), String(cells[1])))
        }
        guard !all.isEmpty else { throw .invalid("\(path) holds no members") }
        var generator = SeededGenerator(seed: host.simulation.seed)
        return (0..<max(1, settings.members)).map { _ in all[Int(generator.next() % UInt64(all.count))] }
    }

    /// What one request gave a client.
    private struct Outcome: Sendable {
        var latencyMs: Double?
        var acknowledgeMs: Double?
        var requestID: String?
        var summary: EligibilitySummary?
        var billedDurationMs: Double?
        var errorType: String?
        /// async: when the request was sent and the simulated/slept time of its acknowledgement.
        var sent: ContinuousClock.Instant?
        var ackSimulatedMs = 0.0
        var ackSleptMs = 0.0
        /// step-functions: each branch's latency and the slowest (no orchestrator timed them), the express bill.
        var branchMs: [String: Double] = [:]
        var slowestBranch: String?
        var expressBilledMs: Int?
    }

    private func runLevel(
        design: ArchitecturesDesign, threads: Int, pairs: [(member: String, org: String)]
    ) async throws(ExperimentError) -> ArchitecturesLevel {
        let scale = settings.timeScale ?? Self.defaultTimeScale(threads: threads)
        var configuration = host
        do { configuration.simulation.timeScale = try TimeScale(scale) } catch { throw .invalid("\(error)") }
        configuration.maxWait = .seconds(900)
        configuration.defaultConcurrency = max(host.defaultConcurrency, threads)
        configuration.keepAliveOverride = 3_600
        let stateDirectory = try ScratchDirectory.make("architectures-\(design.rawValue)-\(threads)")
        configuration.stateDirectory = stateDirectory
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let port = design == .gateway ? ((try? LoopbackPort.free()) ?? 0) : 0
        for (k, v) in design.workerEnvironment(gatewayURL: "http://127.0.0.1:\(port)") {
            configuration.workerEnvironment[k] = v
        }
        let observer = ArchitecturesLogObserver()
        let runtime: FunctionHost
        do { runtime = try FunctionHost(configuration: configuration, sink: observer) } catch {
            throw .host("\(error)")
        }
        for needed in ["eligibility", "org-status", "coverage", "request-log"] + (design == .merged ? [] : ["rules"])
        where runtime.functions[needed] == nil {
            await runtime.shutdown()
            throw .invalid("no function \(needed) in \(configuration.functionsDirectory)")
        }
        var server: LocalServer?
        if design.needsServer {
            do {
                server = try await LocalServer.start(
                    host: runtime, port: port, stateDirectory: stateDirectory + "/serve",
                    asyncConcurrency: max(1, threads))
            } catch {
                await runtime.shutdown()
                throw .host("cannot start the in-process gateway on 127.0.0.1:\(port): \(error)")
            }
        }
        var machine: ArchitecturesStateMachine?
        if design == .stepFunctions {
            do { machine = try ArchitecturesStateMachine(host: runtime, configuration: configuration) } catch {
                await runtime.shutdown()
                throw error
            }
        }
        let context = LevelContext(
            design: design, runtime: runtime, server: server, machine: machine, observer: observer, scale: scale,
            pairs: pairs, date: settings.date)

        // Warm-up fills the fresh pools (its cold starts are counted, not timed), in waves of 1, 2, 4 … threads
        // requests at once: each wave cold-starts only the workers the last one lacked, so that this machine never
        // initialises threads × 5 workers at the same moment (coverage alone parses 50,000 members at init).
        var wave = 1
        while true {
            _ = await context.drive(threads: min(wave, threads), requests: min(wave, threads), offset: 0)
            if wave >= threads { break }
            wave *= 2
        }
        let coldStartsInWarmUp = observer.functions.values.reduce(0) { $0 + $1.coldStarts }
        observer.reset()
        runtime.usage.reset()
        runtime.cacheTally.reset()
        settings.keptTraces?.keep(runtime, level: "\(design.rawValue) \(threads) thread\(threads == 1 ? "" : "s")")

        let meter = MachineLoad.start()
        let perClient = await context.drive(threads: threads, requests: settings.requests, offset: threads)
        let load = meter.finish()
        await server?.stop()
        let functionStats = observer.functions
        let usage = runtime.usage.byFunction
        let cacheRates = [
            "org-status": runtime.cacheTally.function("org-status").hitRate,
            "coverage": runtime.cacheTally.function("coverage").hitRate,
        ]
        await runtime.shutdown()

        let outcomes = perClient.flatMap { $0 }
        return summarise(
            design: design, threads: threads, scale: scale, perClient: perClient, outcomes: outcomes,
            functionStats: functionStats, usage: usage, cacheRates: cacheRates, load: load,
            coldStarts: coldStartsInWarmUp + functionStats.values.reduce(0) { $0 + $1.coldStarts },
            memory: runtime.functions.mapValues(\.memorySize))
    }

    private func summarise(
        design: ArchitecturesDesign, threads: Int, scale: Double, perClient: [[Outcome]], outcomes: [Outcome],
        functionStats: [String: ArchitecturesLogObserver.FunctionStats], usage: [String: UsageTally.Usage],
        cacheRates: [String: Double], load: MachineLoad, coldStarts: Int, memory: [String: Int]
    ) -> ArchitecturesLevel {
        var errorTypes: [String: Int] = [:]
        for o in outcomes where o.errorType != nil || o.latencyMs == nil {
            errorTypes[o.errorType ?? "NoDecision", default: 0] += 1
        }
        let done = outcomes.filter { $0.latencyMs != nil && $0.errorType == nil }
        let summaries = done.compactMap(\.summary)
        // Closed loop: each client's requests ran one after another, so its simulated elapsed time is the sum of its
        // latencies (times to decision for async); the busiest client sets the level's length.
        let clientSpans = perClient.map { mine in mine.reduce(0.0) { $0 + ($1.latencyMs ?? 0) } }
        let spanSeconds = (clientSpans.max() ?? 0) / 1000
        let measured = outcomes.count
        var components: [String: Double] = [:]
        for branch in ["org-status", "coverage", "request-log"] {
            let values =
                summaries.compactMap { $0.branches[branch]?.latencyMs } + done.compactMap { $0.branchMs[branch] }
            if !values.isEmpty { components[branch] = values.reduce(0, +) / Double(values.count) }
        }
        if let rules = functionStats["rules"], rules.latencyCount > 0 {
            components["rules"] = rules.latencySumMs / Double(rules.latencyCount)
        }
        var slowestCounts: [String: Int] = [:]
        for s in summaries { slowestCounts[s.slowestBranch, default: 0] += 1 }
        for o in done { if let s = o.slowestBranch { slowestCounts[s, default: 0] += 1 } }
        let timedRequests = summaries.count + done.filter { $0.slowestBranch != nil }.count
        let slowest = slowestCounts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }

        // The bill: the orchestrator at its Lambda-equivalent duration; every other function (and step-functions'
        // combining eligibility, which calls nothing) as the host tallied it.
        let n = Double(max(1, measured))
        var parts: [String: Double] = [:]
        let orchestrated = design != .stepFunctions
        let orchestratorMemory = memory["eligibility"] ?? 256
        let orchestratorGBs = done.compactMap(\.billedDurationMs).reduce(0.0) {
            $0 + ArchitecturesPricing.gigabyteSeconds(memoryMB: orchestratorMemory, durationMs: $1)
        }
        if orchestrated {
            parts["eligibility"] =
                (Double(measured) * ArchitecturesPricing.lambdaPerRequest + orchestratorGBs
                    * ArchitecturesPricing.lambdaPerGigabyteSecond) / n * 1_000_000
        }
        for (function, use) in usage where function != "eligibility" || !orchestrated {
            parts[function] =
                (Double(use.requests) * ArchitecturesPricing.lambdaPerRequest + use.gigabyteSeconds
                    * ArchitecturesPricing.lambdaPerGigabyteSecond) / n * 1_000_000
        }
        if design.gatewayRequestsPerRequest > 0 {
            parts["api-gateway"] =
                Double(design.gatewayRequestsPerRequest) * ArchitecturesPricing.gatewayPerRequest * 1_000_000
        }
        if design == .stepFunctions {
            let express = outcomes.compactMap(\.expressBilledMs).reduce(0.0) {
                $0 + ArchitecturesPricing.expressPerRequest + ArchitecturesPricing.expressGigabyteSeconds(billedMs: $1)
                    * ArchitecturesPricing.expressPerGigabyteSecond
            }
            parts["step-functions"] = express / n * 1_000_000
        }
        return ArchitecturesLevel(
            design: design, threads: threads, timeScale: scale, requests: measured, errors: measured - done.count,
            errorTypes: errorTypes, throughputPerSecond: spanSeconds > 0 ? Double(measured) / spanSeconds : 0,
            latencyMs: ArchitecturesLatency(done.compactMap(\.latencyMs)),
            acknowledgeMs: design == .async ? ArchitecturesLatency(outcomes.compactMap(\.acknowledgeMs)) : nil,
            componentMs: components, slowestBranch: slowest?.key ?? "—",
            slowestBranchShare: timedRequests == 0 ? 0 : Double(slowest?.value ?? 0) / Double(timedRequests),
            coldStarts: coldStarts, cacheHitRate: cacheRates, costPerMillionUSD: parts.values.reduce(0, +),
            costPerMillionByPart: parts, load: load, saturated: load.isSaturated)
    }

    /// What the clients of one level share.
    private struct LevelContext: Sendable {
        let design: ArchitecturesDesign
        let runtime: FunctionHost
        let server: LocalServer?
        let machine: ArchitecturesStateMachine?
        let observer: ArchitecturesLogObserver
        let scale: Double
        let pairs: [(member: String, org: String)]
        let date: String

        /// `threads` closed-loop clients share `requests` requests; each client's outcomes in its order.
        func drive(threads: Int, requests: Int, offset: Int) async -> [[Outcome]] {
            let next = Dispenser()
            return await withTaskGroup(of: [Outcome].self) { group in
                for _ in 0..<threads {
                    group.addTask {
                        var mine: [Outcome] = []
                        while true {
                            let i = next.take()
                            guard i < requests else { break }
                            mine.append(await one(pair: pairs[(i + offset) % pairs.count]))
                        }
                        return mine
                    }
                }
                var all: [[Outcome]] = []
                for await part in group { all.append(part) }
                return all
            }
        }

        private func payload(_ pair: (member: String, org: String)) -> [UInt8] {
            Array("{\"orgId\":\"\(pair.org)\",\"memberId\":\"\(pair.member)\",\"date\":\"\(date)\"}".utf8)
        }

        private func one(pair: (member: String, org: String)) async -> Outcome {
            switch design {
            case .async: await acknowledge(pair)
            case .stepFunctions: await execution(pair)
            default: await synchronous(pair)
            }
        }

        /// A step-functions request: one EXPRESS synchronous execution; its answer the combining state's.
        private func execution(_ pair: (member: String, org: String)) async -> Outcome {
            guard let machine else { return Outcome(errorType: "NoStateMachine") }
            let result = await machine.run(input: payload(pair))
            guard case .object(let answer)? = result.output, case .string = answer["decision"] else {
                return Outcome(errorType: result.errorType ?? "NoDecision")
            }
            var requestID: String?
            if case .string(let id)? = answer["requestId"] { requestID = id }
            return Outcome(
                latencyMs: result.latencyMs, requestID: requestID, branchMs: result.branchMs,
                slowestBranch: result.slowestBranch,
                expressBilledMs: StepFunctionsUsage.expressBilledMilliseconds(result.latencyMs))
        }

        /// A synchronous request: the client invokes the orchestrator and waits for the decision.
        private func synchronous(_ pair: (member: String, org: String)) async -> Outcome {
            let clock = ContinuousClock()
            let started = clock.now
            let result: InvocationResult
            do { result = try await runtime.invoke("eligibility", payload: payload(pair)) } catch {
                return Outcome(errorType: error.type)
            }
            let wallMs = (clock.now - started).inMilliseconds
            if case .functionError(let e) = result.outcome { return Outcome(errorType: e.errorType) }
            guard let summary = try? EligibilitySummary(parsing: result.payload) else {
                return Outcome(errorType: "UnreadableAnswer")
            }
            let own = result.simulation?.totalMs ?? 0
            let latency = wallMs - own * scale + own - summary.handlerMs + summary.durationOnLambdaMs
            return Outcome(
                latencyMs: latency, requestID: result.requestID, summary: summary,
                billedDurationMs: result.durationMs - summary.handlerMs + summary.durationOnLambdaMs)
        }

        /// An asynchronous request: one simulated front-end hop, the event written to the queue, the 202.
        private func acknowledge(_ pair: (member: String, org: String)) async -> Outcome {
            guard let queue = server?.queue else { return Outcome(errorType: "NoQueue") }
            let clock = ContinuousClock()
            let started = clock.now
            let hop = runtime.simulatedDelay(.invoke, function: "eligibility")
            try? await hop.sleep()
            let id: String
            do { id = try await queue.accept(function: "eligibility", payload: payload(pair)) } catch {
                return Outcome(errorType: "QueueRefused")
            }
            let wallMs = (clock.now - started).inMilliseconds
            let slept = hop.realDuration.inMilliseconds
            let acknowledged = Outcome(
                acknowledgeMs: wallMs - slept + hop.simulatedMs, requestID: id, sent: started,
                ackSimulatedMs: hop.simulatedMs, ackSleptMs: slept)
            // The client reads its decision before its next request, so that every design carries the same load
            // (one request in flight per thread); the decision's time is the invocation's end, not this poll's.
            _ = await observer.waitForReports([id], timeout: .seconds(300))
            return completeAsync(acknowledged)
        }

        /// An async outcome with its decision: the asynchronous invocation's end, its answer from the log.
        func completeAsync(_ o: Outcome) -> Outcome {
            var o = o
            guard let id = o.requestID, let sent = o.sent, let report = observer.report(id) else { return o }
            guard !report.failed, let summary = observer.answer(id) else {
                o.errorType = "AsyncInvocationFailed"
                return o
            }
            let wallMs = (report.at - sent).inMilliseconds
            let own = report.ownSimulatedMs
            o.latencyMs =
                wallMs - o.ackSleptMs + o.ackSimulatedMs - own * scale + own - summary.handlerMs
                + summary.durationOnLambdaMs
            o.summary = summary
            o.billedDurationMs = report.durationMs - summary.handlerMs + summary.durationOnLambdaMs
            return o
        }
    }
}
