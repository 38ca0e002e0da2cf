#if canImport(Glibc)
import Glibc
#endif

/// Reads what the host needs from `/proc` with plain system calls (no Foundation): the processes a worker started,
/// whether one still runs, the files that hold a socket. The benchmark reads `/proc` through it too (SPI).
@_spi(Benchmark) public enum ProcFS {
    /// A small file's text.
    public static func readFile(_ path: String) throws(ProcFSError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ProcFSError(path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names in a directory, without `.` and `..`.
    public static func listDirectory(_ path: String) throws(ProcFSError) -> [String] {
        guard let dir = opendir(path) else { throw ProcFSError(path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `root` and every process it started, through `/proc/PID/task/TID/children`.
    static func processTree(root: pid_t) -> [pid_t] {
        var result: [pid_t] = []
        var queue = [root]
        while let pid = queue.popLast(), result.count < 4096 {
            result.append(pid)
            guard let tasks = try? listDirectory("/proc/\(pid)/task") else { continue }
            for task in tasks {
                guard let children = try? readFile("/proc/\(pid)/task/\(task)/children") else { continue }
                queue += children.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { pid_t($0) }
            }
        }
        return result
    }

    /// Whether `pid` still runs: it exists and has not yet become a zombie. A killed process that is not this
    /// process's child keeps running for a moment after the signal (and, once dead, may stay a zombie until whoever
    /// adopted it reaps it).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard let stat = try? readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].first { $0 != " " }
        return state != nil && state != "Z" && state != "X"
    }
}

/// A `/proc` file that could not be read: the process it describes is gone, usually.
@_spi(Benchmark) public struct ProcFSError: Error, CustomStringConvertible {
    public var path: String
    public var errno: Int32
    public var description: String { "cannot read \(path): \(String(cString: strerror(errno)))" }
}
