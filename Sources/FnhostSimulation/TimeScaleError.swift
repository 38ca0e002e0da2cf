/// A time scale that is not a finite number ≥ 0.
public struct TimeScaleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String

    public init(text: String) {
        self.text = text
    }

    public var description: String {
        "time scale '\(text)' must be a finite number ≥ 0: 1 is real time, 0.01 runs simulated delays 100× faster, "
            + "0 skips the sleeping (e.g. --time-scale 0.01)"
    }
}
