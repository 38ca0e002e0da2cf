import FnhostSimulation
import FnhostTraces
import FnhostWire
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
            text.append(Hex.digits[Int(byte >> 4)])
            text.append(Hex.digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// A new span id.
    func spanID() -> SpanID { generator.withLock { SpanID.random(using: &$0) } }

    /// A new trace id, its first 32 bits the epoch seconds (X-Ray's rule).
    func newTraceID() -> TraceID {
        let epoch = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
        return generator.withLock { TraceID.random(epochSeconds: epoch, using: &$0) }
    }
}
