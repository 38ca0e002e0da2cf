import FnhostWire

#if canImport(Glibc)
import Glibc
#endif

/// What this machine's CPUs did over a stretch of an experiment, so a result that measured the laptop rather than
/// the simulated platform says so. Read from `/proc/stat` (every CPU) and from `/proc/PID/stat` of this process and
/// every process it started (the host and its workers).
public struct MachineLoad: Sendable, Codable, Equatable {
    /// CPUs online.
    public var cores: Int
    /// Wall-clock seconds the load was measured over.
    public var wallSeconds: Double
    /// Busy fraction of all CPUs together, 0...1, whatever ran on them.
    public var machineBusy: Double
    /// CPU seconds of the fnhost process itself.
    public var hostCPUSeconds: Double
    /// CPU seconds of the processes fnhost started (workers and whatever they started), reaped ones included.
    public var workersCPUSeconds: Double

    /// Busy fraction of the machine at or above which a level is reported as saturated.
    public static let saturationThreshold = 0.85

    public init(
        cores: Int, wallSeconds: Double, machineBusy: Double, hostCPUSeconds: Double, workersCPUSeconds: Double
    ) {
        self.cores = cores
        self.wallSeconds = wallSeconds
        self.machineBusy = machineBusy
        self.hostCPUSeconds = hostCPUSeconds
        self.workersCPUSeconds = workersCPUSeconds
    }

    /// fnhost's share of the machine: (host + workers) CPU seconds over cores × wall seconds.
    public var fnhostBusy: Double {
        guard wallSeconds > 0, cores > 0 else { return 0 }
        return (hostCPUSeconds + workersCPUSeconds) / (Double(cores) * wallSeconds)
    }

    /// The machine's CPUs were (nearly) all busy: latencies measured meanwhile include waiting for a CPU.
    public var isSaturated: Bool { machineBusy >= Self.saturationThreshold }

    /// One line for a table's margin: "CPU 92 % (fnhost 88 %: host 0.9 s, workers 2.6 s)".
    public var summary: String {
        let percent = { (x: Double) in String(Int((x * 100).rounded())) }
        let seconds = { (x: Double) in String(Double(Int((x * 10).rounded())) / 10) }
        return "CPU \(percent(machineBusy)) % of \(cores) cores (fnhost \(percent(fnhostBusy)) %: host "
            + "\(seconds(hostCPUSeconds)) s, workers \(seconds(workersCPUSeconds)) s)"
    }

    /// What a saturated level should make its reader do.
    public static let saturationAdvice =
        "this machine's CPUs, not the simulated platform, limited this level: its latencies include waiting for a CPU. "
        + "Lower the concurrency or the request rate, or raise --time-scale so the simulated delays dominate the real work."

    /// Starts measuring; `finish()` on the result gives the load since.
    public static func start() -> MachineLoadMeter { MachineLoadMeter() }
}

/// A load measurement in progress: the counters at its start.
public struct MachineLoadMeter: Sendable {
    private let started: ContinuousClock.Instant
    private let machine: CPUCounters.Machine
    private let process: CPUCounters.Process

    init() {
        started = .now
        machine = CPUCounters.machine()
        process = CPUCounters.process()
    }

    /// The load between `start()` and now.
    public func finish() -> MachineLoad {
        let wall = (ContinuousClock.now - started).inMilliseconds / 1000
        let machineNow = CPUCounters.machine()
        let processNow = CPUCounters.process()
        let total = machineNow.total - machine.total
        let busy = total > 0 ? Double(machineNow.busy - machine.busy) / Double(total) : 0
        return MachineLoad(
            cores: CPUCounters.cores, wallSeconds: wall, machineBusy: min(1, max(0, busy)),
            hostCPUSeconds: max(0, processNow.host - process.host),
            workersCPUSeconds: max(0, processNow.workers - process.workers))
    }
}

/// Raw CPU counters from `/proc`, in clock ticks turned to seconds.
enum CPUCounters {
    struct Machine: Sendable {
        var busy: UInt64
        var total: UInt64
    }
    struct Process: Sendable {
        var host: Double
        var workers: Double
    }

    static let cores = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    static let ticksPerSecond = Double(max(1, sysconf(Int32(_SC_CLK_TCK))))

    /// The first line of `/proc/stat`: user nice system idle iowait irq softirq steal …
    static func machine() -> Machine {
        guard let text = try? ProcFS.readFile("/proc/stat"), let line = text.split(separator: "\n").first else {
            return Machine(busy: 0, total: 0)
        }
        return parseMachine(line)
    }

    static func parseMachine(_ line: Substring) -> Machine {
        let fields = line.split(separator: " ").dropFirst().prefix(8).compactMap { UInt64($0) }
        guard fields.count >= 4 else { return Machine(busy: 0, total: 0) }
        let total = fields.reduce(0, +)
        let idle = fields[3] + (fields.count > 4 ? fields[4] : 0)
        return Machine(busy: total - idle, total: total)
    }

    /// This process's own CPU, and its descendants': the live ones' and (through cutime/cstime) the reaped ones'.
    static func process() -> Process {
        let me = getpid()
        let own = ticks(of: me)
        var workers = Double(own.childTicks)
        for pid in ProcFS.processTree(root: me).dropFirst() {
            workers += Double(ticks(of: pid).ownTicks)
        }
        return Process(host: Double(own.ownTicks) / ticksPerSecond, workers: workers / ticksPerSecond)
    }

    /// utime+stime and cutime+cstime of one process (fields 14–17 of `/proc/PID/stat`).
    static func ticks(of pid: pid_t) -> (ownTicks: UInt64, childTicks: UInt64) {
        guard let text = try? ProcFS.readFile("/proc/\(pid)/stat") else { return (0, 0) }
        return parseProcessStat(text)
    }

    static func parseProcessStat(_ text: String) -> (ownTicks: UInt64, childTicks: UInt64) {
        guard let close = text.lastIndex(of: ")") else { return (0, 0) }
        // After the command name: state is field 3, so utime (14) is index 11 of what follows.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 14, let utime = UInt64(fields[11]), let stime = UInt64(fields[12]),
            let cutime = UInt64(fields[13]), let cstime = UInt64(fields[14])
        else { return (0, 0) }
        return (utime + stime, cutime + cstime)
    }
}
