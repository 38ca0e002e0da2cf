#if canImport(Glibc)
import Glibc
#endif

/// Whole-buffer reads and writes on raw file descriptors (no stdio, no Foundation): the pipe floor's two ends, the
/// runner and its peer, and the lines they print.
public enum BenchIO {
    /// Writes every byte, retrying on short writes and EINTR; false if the descriptor failed.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    /// Writes every byte of `buffer`, retrying on short writes and EINTR; false if the descriptor failed.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Fills `buffer` completely; false at end-of-file or on an error.
    public static func readExactly(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buffer.count {
            let n = read(fd, buffer.baseAddress! + offset, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }
}
