#if canImport(Glibc)
import Glibc
#endif

/// Whole-buffer reads and writes on raw file descriptors (no stdio, no Foundation), for the pipe floor.
enum PeerIO {
    /// Writes every byte, retrying on short writes and EINTR; false if the descriptor failed.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { writeAll(fd, $0) }
    }

    @discardableResult
    static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Bool {
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
    static func readExactly(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
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

/// The pipe floor's echo: each message is a 4-byte little-endian length and that many bytes; it is sent back as is.
enum FramedEcho {
    static func run(input: Int32, output: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4 + 64 * 1024)
        while true {
            let ok = buffer.withUnsafeMutableBytes { raw -> Bool in
                guard readExactly(input, UnsafeMutableRawBufferPointer(rebasing: raw[0..<4])) else { return false }
                let length = Int(raw.loadUnaligned(as: UInt32.self).littleEndian)
                guard length <= raw.count - 4 else { return false }
                guard readExactly(input, UnsafeMutableRawBufferPointer(rebasing: raw[4..<(4 + length)])) else {
                    return false
                }
                return PeerIO.writeAll(output, UnsafeRawBufferPointer(rebasing: raw[0..<(4 + length)]))
            }
            if !ok { return }
        }
    }

    private static func readExactly(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer) -> Bool {
        PeerIO.readExactly(fd, buffer)
    }
}
