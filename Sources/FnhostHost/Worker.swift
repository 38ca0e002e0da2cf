import FnhostManifest
import FnhostPool
import FnhostSimulation
import FnhostWire
import Synchronization

/// One execution environment: a worker process, its private Runtime API endpoint, and the channel between them.
/// It serves one invocation at a time and is lent out by its function's ``WorkerPool``.
public final class Worker: PooledWorker {
    public let id: Int
    /// `FUNCTION-N`, given to the process as `FNHOST_WORKER_ID`.
    public let name: String
    public let function: String
    /// Measured: from spawning the process until it asked for its first event.
    public let initDurationMs: Double
    /// Measured: the part of ``initDurationMs`` spent spawning the process (through `fnhost-launch`).
    let spawnMs: Double
    /// Simulated: the cold-start delay the profile added to this worker's start.
    let simulatedColdStart: SimulatedDelay
    let process: WorkerProcess
    private let server: RuntimeAPIServer
    private let channel: RuntimeChannel
    private let logs: WorkerLogRouter
    private let deadlines: DeadlineWatcher
    public var pid: Int32 { process.pid }

    init(
        id: Int, name: String, function: String, initDurationMs: Double, spawnMs: Double,
        simulatedColdStart: SimulatedDelay,
        process: WorkerProcess,
        server: RuntimeAPIServer, channel: RuntimeChannel, logs: WorkerLogRouter, deadlines: DeadlineWatcher
    ) {
        self.id = id
        self.name = name
        self.function = function
        self.initDurationMs = initDurationMs
        self.spawnMs = spawnMs
        self.simulatedColdStart = simulatedColdStart
        self.process = process
        self.server = server
        self.channel = channel
        self.logs = logs
        self.deadlines = deadlines
    }

    /// Runs one invocation: hands the event over and waits for the answer, the worker's death, or the deadline
    /// (then the worker is killed, as Lambda kills a timed-out environment). Returns the lines it logged.
    func run(_ delivery: Delivery, timeout: Duration) async -> (WorkerOutcome, [String]) {
        logs.begin(delivery.requestID)
        nested.withLock { $0 = NestedCalls() }
        currentTrace.withLock { $0 = delivery.traceID }
        defer { currentTrace.withLock { $0 = nil } }
        let timer = deadlines.schedule(at: .now + timeout) { [channel, process] in
            channel.close(.timedOut)
            Task { await process.kill() }
        }
        let outcome = await channel.deliver(delivery)
        deadlines.cancel(timer)
        return (outcome, logs.end())
    }

    /// Whether the worker is alive and can take an event.
    var isAlive: Bool { channel.isOpen && process.isRunning }

    public func stop() async {
        channel.close(.stopped)
        await process.kill()
        await server.stop()
    }

    private let nested = Mutex(NestedCalls())
    /// The `Lambda-Runtime-Trace-Id` of the invocation being served: a call this worker makes without its own
    /// `X-Amzn-Trace-Id` joins it.
    private let currentTrace = Mutex<String?>(nil)
    var traceHeader: String? { currentTrace.withLock { $0 } }

    /// A call this worker's current invocation made to another function has completed (now).
    func recordNested(_ result: InvocationResult) {
        let end = ContinuousClock.now
        let elapsed = Duration.milliseconds(result.measuredLatencyMs) + result.realSleep
        nested.withLock {
            $0.record(
                .init(
                    start: end - elapsed, end: end, sleep: result.realSleep, simulatedMs: result.simulatedMs,
                    spans: result.trace?.spans ?? []))
        }
    }

    func takeNested() -> NestedCalls { nested.withLock { $0 } }

    /// Peak resident memory in MB, rounded up (the process's VmHWM); once the process is gone, the last value read.
    ///
    /// Not the worker's own `getrusage` peak: Linux carries `ru_maxrss` across `execve`, and a worker is spawned
    /// from the host, so it would report the host's peak.
    func peakMemoryMB() -> Int {
        let now = process.peakMemoryMB()
        return lastPeak.withLock { peak in
            if let now { peak = max(peak, now) }
            return peak
        }
    }
    private let lastPeak = Mutex(0)

    /// Current resident memory in kB (for benchmarks and metrics).
    public func residentKB() -> Int? { process.residentKB() }
}

/// Sends a worker's output lines to the log sink, tagged with the request it is serving, and keeps the lines of
/// the current invocation (for `X-Amz-Log-Type: Tail`).
final class WorkerLogRouter: Sendable {
    private struct State {
        var requestID: String?
        var lines: [String] = []
        var bytes = 0
    }
    private let state = Mutex(State())
    private let sink: any LogSink
    let function: String
    let worker: String
    /// Lambda's Tail returns the last 4 KB; keep a little more than that per invocation.
    static let keepBytes = 8 * 1024

    init(sink: any LogSink, function: String, worker: String) {
        self.sink = sink
        self.function = function
        self.worker = worker
    }

    func line(_ text: String) {
        let id = state.withLock { s -> String? in
            if s.requestID != nil {
                s.lines.append(text)
                s.bytes += text.utf8.count + 1
                while s.bytes > Self.keepBytes, s.lines.count > 1 { s.bytes -= s.lines.removeFirst().utf8.count + 1 }
            }
            return s.requestID
        }
        sink.functionOutput(text, function: function, worker: worker, requestID: id)
    }

    func begin(_ requestID: String) { state.withLock { $0 = State(requestID: requestID) } }

    func end() -> [String] {
        state.withLock { s in
            defer { s = State() }; return s.lines
        }
    }
}
