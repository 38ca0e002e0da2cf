import BenchIO

/// The pipe floor's echo: each message is a 4-byte little-endian length and that many bytes; it is sent back as is.
enum FramedEcho {
    static func run(input: Int32, output: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4 + 64 * 1024)
        while true {
            let ok = buffer.withUnsafeMutableBytes { raw -> Bool in
                guard BenchIO.readExactly(input, UnsafeMutableRawBufferPointer(rebasing: raw[0..<4])) else {
                    return false
                }
                let length = Int(raw.loadUnaligned(as: UInt32.self).littleEndian)
                guard length <= raw.count - 4 else { return false }
                guard BenchIO.readExactly(input, UnsafeMutableRawBufferPointer(rebasing: raw[4..<(4 + length)])) else {
                    return false
                }
                return BenchIO.writeAll(output, UnsafeRawBufferPointer(rebasing: raw[0..<(4 + length)]))
            }
            if !ok { return }
        }
    }
}
