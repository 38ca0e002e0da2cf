import Foundation
import Synchronization
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

// Process checks through /proc, polling with a deadline, and the ledger of every process the tests started (the
// servers and their workers), checked once the whole suite is done.

/// One process, identified by its pid and its start time (so that a recycled pid is never taken for it).
struct ProcessIdentity: Hashable, Sendable, CustomStringConvertible {
    var pid: Int32
    var startTime: UInt64

    /// The process now running under `pid`, if there is one.
    static func current(_ pid: Int32) -> ProcessIdentity? {
        guard let stat = ProcStat(pid: pid) else { return nil }
        return ProcessIdentity(pid: pid, startTime: stat.startTime)
    }

    /// Whether this very process still runs (a zombie does not count: it is gone for every purpose here).
    var isRunning: Bool {
        guard let stat = ProcStat(pid: pid), stat.startTime == startTime else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    var description: String {
        let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?
            .replacingOccurrences(of: "\0", with: " ") ?? "?"
        return "\(pid) (\(command.prefix(120)))"
    }
}

/// The fields of /proc/PID/stat the tests need.
struct ProcStat {
    var state: Character
    var parent: Int32
    var startTime: UInt64

    init?(pid: Int32) {
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

enum Processes {
    /// Whether a process with this pid exists and is not a zombie.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = ProcStat(pid: pid) else { return false }
        return stat.state != "Z" && stat.state != "X"
    }

    /// Every live descendant of `pid` (children, their children, …), from a scan of /proc.
    static func descendants(of pid: Int32) -> [ProcessIdentity] {
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
    static func survivors(of processes: [ProcessIdentity], within limit: Duration) async -> [ProcessIdentity] {
        _ = await eventually(within: limit) { !processes.contains(where: \.isRunning) }
        return processes.filter(\.isRunning)
    }
}

/// Every process the tests started or saw a server start: checked after the whole suite.
enum ProcessLedger {
    private static let seen = Mutex<Set<ProcessIdentity>>([])

    static func record(_ processes: some Sequence<ProcessIdentity>) {
        seen.withLock { $0.formUnion(processes) }
    }

    static var all: [ProcessIdentity] { seen.withLock { Array($0) } }
}

/// Runs blocking work on a thread of its own, so that many blocking calls at once never starve the cooperative
/// pool (two threads on a two-core machine).
func onThread<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { (continuation: CheckedContinuation<T, Never>) in
        let thread = Thread { continuation.resume(returning: work()) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
