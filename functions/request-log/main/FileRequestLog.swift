import FnhostWire
import LambdaRuntime
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The request log as an append-only file of JSON lines (``RequestLogRecord/line``), shared by every request-log
/// worker at once.
///
/// Each append takes an exclusive `flock` on the file (so that concurrent workers never interleave and each learns
/// its own offset, the file's size before its line), writes the whole line to a descriptor opened with `O_APPEND`,
/// and `fsync`s before answering: an offset a caller holds names a line that survives a crash of fnhost or the
/// machine. A request id already in the file is not written again: the answer gives its first offset, marked
/// `duplicate` (asynchronous delivery is at least once). A line a killed writer left without its newline is closed first, so it stays one unreadable line that
/// readers report instead of swallowing the next entry.
final class FileRequestLog: RequestLogSink {
    let path: String
    private let fd: Int32
    /// The request ids already in the file and their offsets, read up to `parsedUpTo` (the end of the last whole
    /// line seen). Caught up under the file lock before each append, so that a request id is logged once even when
    /// it comes again (an asynchronous event retried, redelivered after a restart) to any worker.
    private let index = Mutex(Index())

    private struct Index {
        var parsedUpTo: Int64 = 0
        var offsets: [String: Int64] = [:]
    }

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
        if let existing = catchUp(to: offset)[record.requestID] {
            return RequestLogAnswer(offset: String(existing), log: "file", location: path, duplicate: true)
        }
        var bytes = record.line
        if offset > 0, !endsInNewline(size: offset) {
            bytes.insert(UInt8(ascii: "\n"), at: 0)
            offset += 1
        }
        do { try DurableWrite.all(bytes, to: fd) } catch { throw Self.failure(error.step, path) }
        index.withLock { $0.offsets[record.requestID] = offset }
        return RequestLogAnswer(offset: String(offset), log: "file", location: path, duplicate: nil)
    }

    /// Reads the whole lines other writers appended since the last look (the caller holds the file lock) and
    /// returns every request id's offset.
    private func catchUp(to size: Int64) -> [String: Int64] {
        index.withLock { index in
            guard size > index.parsedUpTo else { return index.offsets }
            let reader = open(path, O_RDONLY | O_CLOEXEC)
            guard reader >= 0 else { return index.offsets }
            defer { close(reader) }
            var bytes = [UInt8](repeating: 0, count: Int(size - index.parsedUpTo))
            var filled = 0
            while filled < bytes.count {
                let n = bytes[filled...].withUnsafeMutableBytes {
                    pread(reader, $0.baseAddress, $0.count, off_t(index.parsedUpTo) + off_t(filled))
                }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                filled += n
            }
            guard let lastNewline = bytes[..<filled].lastIndex(of: UInt8(ascii: "\n")) else { return index.offsets }
            let contents = RequestLogRecord.readFile(Array(bytes[...lastNewline]))
            for entry in contents.entries where index.offsets[entry.record.requestID] == nil {
                index.offsets[entry.record.requestID] = index.parsedUpTo + Int64(entry.offset)
            }
            index.parsedUpTo += Int64(lastNewline + 1)
            return index.offsets
        }
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
