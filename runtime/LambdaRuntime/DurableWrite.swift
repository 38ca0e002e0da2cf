#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing a whole buffer to a file and forcing it to disk before a function answers, for functions that keep a
/// durable log (request-log, poison-consumer): one copy of the short-write, `EINTR` and `fsync` rules.
public enum DurableWrite {
    /// Which step failed (`write` or `fsync`) and the system's reason.
    public struct Failure: Error, Sendable {
        public let step: String
        public let reason: String
    }

    /// Writes every byte of `bytes` to `fd` (retrying short writes and `EINTR`), then `fsync`s it.
    public static func all(_ bytes: [UInt8], to fd: Int32) throws(Failure) {
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw Failure(step: "write", reason: String(cString: strerror(errno)))
            }
            written += n
        }
        guard fsync(fd) == 0 else { throw Failure(step: "fsync", reason: String(cString: strerror(errno))) }
    }
}
