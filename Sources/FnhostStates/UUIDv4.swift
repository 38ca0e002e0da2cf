import FnhostSimulation
import FnhostWire

/// Version 4 UUIDs drawn from the execution's seeded generator, so that `States.UUID()` is repeatable under a seed.
enum UUIDv4 {
    static func make(using random: inout SeededGenerator) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = Digest.hexString(bytes)
        let u = Array(hex)
        return String(u[0..<8]) + "-" + String(u[8..<12]) + "-" + String(u[12..<16]) + "-" + String(u[16..<20]) + "-"
            + String(u[20..<32])
    }
}
