import FnhostSimulation
import FnhostTraces
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Request ids (UUID v4, lowercase, as Lambda's) and X-Ray trace ids for every invocation.
///
/// They need to be unique, not secret: one draw from the system's generator seeds a fast generator, instead of a
/// `getrandom` system call per id (`UUID()` and `SystemRandomNumberGenerator` each make one; four per invocation
/// cost ~10 µs on the warm path).
final class Identifiers: Sendable {
    private let generator: Mutex<SeededGenerator>

    init() {
        var system = SystemRandomNumberGenerator()
        generator = Mutex(SeededGenerator(seed: system.next()))
    }

    /// A random (version 4) UUID, lowercase: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`.
    func requestID() -> String {
        let (high, low) = generator.withLock { ($0.next(), $0.next()) }
        var bytes =
            (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { text.append(UInt8(ascii: "-")) }
            text.append(Self.hexDigits[Int(byte >> 4)])
            text.append(Self.hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// An X-Ray trace header: `Root=1-EPOCHHEX-24HEX;Parent=16HEX;Sampled=0`.
    func traceID() -> String {
        let (a, b, c) = generator.withLock { ($0.next(), $0.next(), $0.next()) }
        let epoch = String(Int(Date().timeIntervalSince1970), radix: 16)
        return "Root=1-\(epoch)-\(Self.hex(a, 16))\(Self.hex(b, 8));Parent=\(Self.hex(c, 16));Sampled=0"
    }

    /// A new span id.
    func spanID() -> SpanID { generator.withLock { SpanID.random(using: &$0) } }

    /// A new trace id, its first 32 bits the epoch seconds (X-Ray's rule).
    func newTraceID() -> TraceID {
        let epoch = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
        return generator.withLock { TraceID.random(epochSeconds: epoch, using: &$0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The low `digits` hex digits of `value`, zero-padded.
    static func hex(_ value: UInt64, _ digits: Int) -> String {
        var text = [UInt8](repeating: UInt8(ascii: "0"), count: digits)
        var v = value
        for i in stride(from: digits - 1, through: 0, by: -1) {
            text[i] = hexDigits[Int(v & 0xF)]
            v >>= 4
        }
        return String(decoding: text, as: UTF8.self)
    }
}
