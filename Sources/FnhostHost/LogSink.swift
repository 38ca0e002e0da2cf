import FnhostWire
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where the host's log stream goes: the platform's lines (`START`, `END`, `REPORT`, init failures) and every line
/// a worker writes. The command line prints them; tests and `serve` can collect them.
public protocol LogSink: Sendable {
    func platform(_ line: String, function: String, requestID: String?)
    func functionOutput(_ line: String, function: String, worker: String, requestID: String?)
}

/// How log lines are written: as Lambda prints them, or one JSON object per line for log shippers.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json
}

/// Writes each line to a file descriptor (standard error by default) as one `write(2)`, so that lines from
/// concurrent workers never interleave.
public struct StreamLogSink: LogSink {
    let fd: Int32
    let format: LogFormat

    public init(fileDescriptor: Int32 = 2, format: LogFormat = .text) {
        self.fd = fileDescriptor
        self.format = format
    }

    public func platform(_ line: String, function: String, requestID: String?) {
        emit(line, type: "platform", function: function, worker: nil, requestID: requestID)
    }

    public func functionOutput(_ line: String, function: String, worker: String, requestID: String?) {
        emit(line, type: "function", function: function, worker: worker, requestID: requestID)
    }

    /// A line of fnhost's own (server start, warnings), in the same format.
    public func note(_ message: String) {
        emit(message, type: "fnhost", function: nil, worker: nil, requestID: nil)
    }

    private func emit(_ line: String, type: String, function: String?, worker: String?, requestID: String?) {
        switch format {
        case .text: Self.write(line, to: fd)
        case .json:
            var fields = [
                "\"time\":\(JSONText.quote(FunctionHost.timestamp()))",
                "\"type\":\"\(type)\"",
            ]
            if let function { fields.append("\"function\":\(JSONText.quote(function))") }
            if let worker { fields.append("\"worker\":\(JSONText.quote(worker))") }
            if let requestID { fields.append("\"requestId\":\(JSONText.quote(requestID))") }
            fields.append("\"message\":\(JSONText.quote(line))")
            Self.write("{" + fields.joined(separator: ",") + "}", to: fd)
        }
    }

    static func write(_ line: String, to fd: Int32) {
        var text = line
        text.append("\n")
        text.withUTF8 { buf in
            var offset = 0
            while offset < buf.count {
                let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
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
