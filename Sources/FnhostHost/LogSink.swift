#if canImport(Glibc)
import Glibc
#endif

/// Where the host's log stream goes: the platform's lines (`START`, `END`, `REPORT`, init failures) and every line
/// a worker writes. The command line prints them to standard error; tests and `serve` can collect them.
public protocol LogSink: Sendable {
    func platform(_ line: String, function: String, requestID: String?)
    func functionOutput(_ line: String, function: String, worker: String, requestID: String?)
}

/// Writes each line to standard error, as one `write(2)` so that lines from concurrent workers never interleave.
public struct StandardErrorLogSink: LogSink {
    public init() {}
    public func platform(_ line: String, function: String, requestID: String?) { Self.write(line) }
    public func functionOutput(_ line: String, function: String, worker: String, requestID: String?) { Self.write(line) }

    static func write(_ line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(2, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return }
                offset += n
            }
        }
    }
}

/// Discards everything (for benchmarks and quiet runs).
public struct DiscardingLogSink: LogSink {
    public init() {}
    public func platform(_ line: String, function: String, requestID: String?) {}
    public func functionOutput(_ line: String, function: String, worker: String, requestID: String?) {}
}
