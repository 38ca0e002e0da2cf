import FnhostWire
import Foundation
import LambdaRuntime

#if canImport(Glibc)
import Glibc
#endif

/// The ids the consumer processed, one JSON line each (`{"id":…,"source":…,"request":…,"at":epoch ms}`), appended by every worker
/// at once: an exclusive `flock`, one `write` on an `O_APPEND` descriptor, `fsync` before the handler answers, so a
/// line in the file is work that was done (the experiment counts processed-more-than-once from it).
final class ProcessedLog: Sendable {
    let path: String
    private let fd: Int32

    init(path: String) throws(HandlerError) {
        self.path = path
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw Self.failure("open", path) }
    }

    deinit { close(fd) }

    func append(_ records: [PoisonRecord], requestID: String) throws(HandlerError) {
        guard !records.isEmpty else { return }
        var bytes: [UInt8] = []
        let at = (Date().timeIntervalSince1970 * 1000).rounded(.down)
        for r in records {
            let line = JSONValue.object([
                "id": .string(r.id), "source": .string(r.source), "request": .string(requestID),
                "at": .number(at),
            ])
            bytes += line.serialized
            bytes.append(UInt8(ascii: "\n"))
        }
        guard flock(fd, LOCK_EX) == 0 else { throw Self.failure("lock", path) }
        defer { flock(fd, LOCK_UN) }
        do { try DurableWrite.all(bytes, to: fd) } catch { throw Self.failure(error.step, path) }
    }

    private static func failure(_ step: String, _ path: String) -> HandlerError {
        HandlerError(
            type: "ProcessedLogUnavailable", message: "\(step) \(path) failed: \(String(cString: strerror(errno)))")
    }
}
