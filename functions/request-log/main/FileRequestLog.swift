import FnhostWire
import LambdaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The request log as an append-only file of JSON lines (``RequestLogRecord/line``), shared by every request-log
/// worker at once.
///
/// Each append takes an exclusive `flock` on the file (so that concurrent workers never interleave and each learns
/// its own offset, the file's size before its line), writes the whole line to a descriptor opened with `O_APPEND`,
/// and `fsync`s before answering: an offset a caller holds names a line that survives a crash of fnhost or the
/// machine. A line a killed writer left without its newline is closed first, so it stays one unreadable line that
/// readers report instead of swallowing the next entry.
final class FileRequestLog: RequestLogSink {
    let path: String
    private let fd: Int32

    init(path: String) throws(HandlerError) {
        self.path = path
        Self.makeParentDirectory(of: path)
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw HandlerError(
                type: "RequestLogUnavailable", message: "cannot open \(path) for appending: \(Self.lastError())")
        }
    }

    deinit { close(fd) }

    func append(_ record: RequestLogRecord) throws -> RequestLogAnswer {
        guard flock(fd, LOCK_EX) == 0 else { throw Self.failure("lock", path) }
        defer { flock(fd, LOCK_UN) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw Self.failure("stat", path) }
        var offset = Int64(info.st_size)
        var bytes = record.line
        if offset > 0, !endsInNewline(size: offset) {
            bytes.insert(UInt8(ascii: "\n"), at: 0)
            offset += 1
        }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Self.failure("write", path)
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw Self.failure("fsync", path) }
        return RequestLogAnswer(offset: String(offset), log: "file", location: path)
    }

    /// Whether the file's last byte is a newline (read through a second descriptor: this one is write-only).
    private func endsInNewline(size: Int64) -> Bool {
        let reader = open(path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { return true }
        defer { close(reader) }
        var last: UInt8 = 0
        return pread(reader, &last, 1, off_t(size - 1)) != 1 || last == UInt8(ascii: "\n")
    }

    /// Creates the file's folder and its parents (as `mkdir -p`); an error shows when the file is opened.
    private static func makeParentDirectory(of path: String) {
        let parts = path.split(separator: "/").dropLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in parts {
            prefix += "/" + part
            _ = mkdir(prefix, 0o755)
        }
    }

    private static func lastError() -> String { String(cString: strerror(errno)) }

    private static func failure(_ step: String, _ path: String) -> HandlerError {
        HandlerError(type: "RequestLogUnavailable", message: "\(step) \(path) failed: \(lastError())")
    }
}
