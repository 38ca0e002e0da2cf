import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

// Process checks through /proc, the ledger of every process the tests started (servers and their workers), checked
// once a whole suite is done, timing, and blocking work on threads of its own.

/// One process, identified by its pid and its start time (so that a recycled pid is never taken for it).
public struct ProcessIdentity: Hashable, Sendable, CustomStringConvertible {
    public var pid: Int32
    public var startTime: UInt64

    public init(pid: Int32, startTime: UInt64) {
        self.pid = pid
        self.startTime = startTime
    }

    /// The process now running under `pid`, if there is one.
    public static func current(_ pid: Int32) -> ProcessIdentity? {
        guard let stat = ProcStat(pid: pid) else { return nil }
        return ProcessIdentity(pid: pid, startTime: stat.startTime)
    }

    /// Whether this very process still runs (a zombie does not count: it is gone for every purpose here).
    public var isRunning: Bool {
        guard let stat = ProcStat(pid: pid), stat.startTime == startTime else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    public var description: String {
        let command =
            (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?
            .replacingOccurrences(of: "\0", with: " ") ?? "?"
        return "\(pid) (\(command.prefix(120)))"
    }
}

/// The fields of /proc/PID/stat the tests need.
public struct ProcStat: Sendable {
    public var state: Character
    public var parent: Int32
    public var startTime: UInt64

    public init?(pid: Int32) {
        guard pid > 0, let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After the command's closing parenthesis: state, ppid, pgrp, … and starttime as the 20th field.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19, let state = fields[0].first, let parent = Int32(fields[1]),
            let start = UInt64(fields[19])
        else { return nil }
        self.state = state
        self.parent = parent
        self.startTime = start
    }
}

/// Questions about processes by pid, answered from /proc.
public enum Processes {
    /// Whether a process with this pid exists and is not a zombie (a dead worker whose new parent has not reaped it
    /// yet is gone for every purpose that matters here).
    public static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = ProcStat(pid: pid) else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    /// Every live descendant of `pid` (children, their children, …), from a scan of /proc.
    public static func descendants(of pid: Int32) -> [ProcessIdentity] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        var children: [Int32: [ProcessIdentity]] = [:]
        for entry in entries {
            guard let child = Int32(entry), let stat = ProcStat(pid: child), stat.state != "Z" else { continue }
            children[stat.parent, default: []].append(ProcessIdentity(pid: child, startTime: stat.startTime))
        }
        var found: [ProcessIdentity] = []
        var frontier = [pid]
        while let next = frontier.popLast() {
            for child in children[next] ?? [] {
                found.append(child)
                frontier.append(child.pid)
            }
        }
        return found
    }

    /// Waits until none of `processes` runs; returns those still running at the deadline.
    public static func survivors(of processes: [ProcessIdentity], within limit: Duration) async -> [ProcessIdentity] {
        _ = await eventually(within: limit) { !processes.contains(where: \.isRunning) }
        return processes.filter(\.isRunning)
    }

    /// Waits until every pid is gone; true if they all went within the limit.
    public static func allGone(_ pids: [Int32], within limit: Duration) async -> Bool {
        await eventually(within: limit) { !pids.contains(where: isRunning) }
    }
}

/// Every process the tests started or saw a server start: checked after the whole suite.
public enum ProcessLedger {
    private static let seen = Mutex<Set<ProcessIdentity>>([])

    public static func record(_ processes: some Sequence<ProcessIdentity>) {
        seen.withLock { $0.formUnion(processes) }
    }

    public static var all: [ProcessIdentity] { seen.withLock { Array($0) } }
}

/// Runs blocking work on a thread of its own, so that many blocking calls at once never starve the cooperative
/// pool (two threads on a two-core machine).
public func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

/// How long `body` took, by the continuous clock.
public func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, ContinuousClock.now - start)
}
