@_spi(Benchmark) import FnhostHost

#if canImport(Glibc)
import Glibc
#endif

/// The machine a run measured: what BENCHMARKS.md must state beside the figures, read from /proc.
struct Machine: Codable, Sendable {
    var cpus: Int
    var cpuModel: String
    var memory: String
    var kernel: String
    var swift: String
    var loadAtStart: String
    var loadAtEnd: String?

    static func describe(swiftVersion: String) -> Machine {
        let cpuinfo = (try? ProcFS.readFile("/proc/cpuinfo")) ?? ""
        let model =
            cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }
            .flatMap { $0.split(separator: ":", maxSplits: 1).last }
            .map { String($0).strippingSpaces } ?? "unknown CPU"
        let memKB = ProcFS.field("/proc/meminfo", "MemTotal:") ?? 0
        let kernel = ((try? ProcFS.readFile("/proc/sys/kernel/osrelease")) ?? "?").strippingSpaces
        return Machine(
            cpus: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), cpuModel: model,
            memory: Format.fixed(Double(memKB) / 1024 / 1024, 1) + " GiB", kernel: "Linux " + kernel,
            swift: swiftVersion, loadAtStart: loadAverage(), loadAtEnd: nil
        )
    }

    /// The 1-, 5- and 15-minute load averages, as `uptime` prints them.
    static func loadAverage() -> String {
        let text = (try? ProcFS.readFile("/proc/loadavg")) ?? ""
        return text.split(separator: " ").prefix(3).joined(separator: ", ")
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces, tabs and newlines.
    var strippingSpaces: String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" { s.removeLast() }
        return String(s)
    }
}

/// Small readers of /proc for the benchmark: resident sizes and children (files and directories are read by the
/// host's own `ProcFS`).
extension ProcFS {
    /// The number after `name` in a `Key:   value kB` file (/proc/PID/status, /proc/meminfo, smaps_rollup).
    static func field(_ path: String, _ name: String) -> Int? {
        guard let text = try? readFile(path) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap {
                Int($0)
            }
        }
        return nil
    }

    /// Resident set size of `pid` in kB (VmRSS).
    static func residentKB(_ pid: Int32) -> Int? { field("/proc/\(pid)/status", "VmRSS:") }

    /// Proportional set size of `pid` in kB (shared pages divided among the processes that map them).
    static func proportionalKB(_ pid: Int32) -> Int? { field("/proc/\(pid)/smaps_rollup", "Pss:") }

    /// The direct children of `pid` (over all its threads).
    static func children(_ pid: Int32) -> [Int32] {
        let tasks = (try? listDirectory("/proc/\(pid)/task")) ?? []
        var result: [Int32] = []
        for tid in tasks {
            guard let text = try? readFile("/proc/\(pid)/task/\(tid)/children") else { continue }
            result += text.split(separator: " ").compactMap { Int32($0.strippingSpaces) }
        }
        return result
    }

    /// The path of the executable `pid` runs.
    static func executable(_ pid: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
