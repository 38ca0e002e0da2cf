/// The factor applied to every simulated delay before sleeping (`--time-scale`): 0.01 runs a 2 s cold start in
/// 20 ms, so long experiments finish quickly while reports still speak in simulated milliseconds.
///
/// 1 is real time; 0 sleeps not at all (delays are still drawn and reported).
public struct TimeScale: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let factor: Double

    public init(_ factor: Double) throws(TimeScaleError) {
        guard factor.isFinite, factor >= 0 else { throw TimeScaleError(text: SpecNumber.format(factor)) }
        self.factor = factor
    }

    /// Reads a factor as given on the command line (`0.01`).
    public init(parsing text: String) throws(TimeScaleError) {
        guard let factor = SpecNumber.parse(Substring(text)) else { throw TimeScaleError(text: text) }
        try self.init(factor)
    }

    /// Real time (factor 1).
    public static let realTime = TimeScale(uncheckedFactor: 1)

    private init(uncheckedFactor: Double) {
        self.factor = uncheckedFactor
    }

    public var description: String { SpecNumber.format(factor) }
}
