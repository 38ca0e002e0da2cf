#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard output and standard error with `write(2)`, the way command-line tools do.
///
/// `FileHandle.write(_:)` traps when the reader has gone (`fnhost invoke … | head -1`); here a closed standard output
/// ends the process as SIGPIPE ends any Unix tool (exit status 141), and a closed standard error is ignored.
enum StandardStreams {
    static func out(_ bytes: [UInt8]) { write(bytes, to: 1) }
    static func out(_ text: String) { write(Array(text.utf8), to: 1) }
    static func err(_ text: String) { write(Array(text.utf8), to: 2) }

    private static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n < 0 && errno == EPIPE && fd == 1 { readerGone() }
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Standard output's reader has gone: end as a Unix tool does when it writes to a closed pipe.
    private static func readerGone() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)
    }
}
