#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns raw 64-bit draws into the uniform numbers the distributions need, with arithmetic fixed here rather than
/// left to the standard library's `random(in:using:)`, whose algorithm is not promised to stay the same.
enum RandomUnit {
    /// A uniform double in [0, 1): the top 53 bits of one draw.
    static func halfOpen(using generator: inout some RandomNumberGenerator) -> Double {
        Double(generator.next() >> 11) * 0x1p-53
    }

    /// A uniform double in (0, 1]: safe to take the logarithm of.
    static func openClosed(using generator: inout some RandomNumberGenerator) -> Double {
        Double((generator.next() >> 11) + 1) * 0x1p-53
    }

    /// A uniform index in 0..<count (count > 0), by the multiply-high method.
    static func index(below count: Int, using generator: inout some RandomNumberGenerator) -> Int {
        Int(truncatingIfNeeded: generator.next().multipliedFullWidth(by: UInt64(count)).high)
    }

    /// A standard normal deviate by the Box–Muller transform (two draws, one result).
    static func standardNormal(using generator: inout some RandomNumberGenerator) -> Double {
        let u1 = openClosed(using: &generator)
        let u2 = halfOpen(using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
