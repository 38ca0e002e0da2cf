/// Why a distribution's text form (`constant:5`, `lognormal:median=40,p99=120`, …) was refused.
///
/// Profiles and command-line flags are written by hand, so every case says what was wrong and shows the right form.
public enum DistributionSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text was empty.
    case empty
    /// The part before `:` is not a known kind of distribution.
    case unknownKind(String)
    /// The text after the kind does not have the kind's shape (e.g. `uniform:5`).
    case malformed(kind: String, text: String)
    /// A number could not be read, or is infinite or NaN.
    case invalidNumber(kind: String, field: String, text: String)
    /// A delay or parameter is negative.
    case negative(kind: String, field: String, value: Double)
    /// A required parameter is absent.
    case missingParameter(kind: String, parameter: String)
    /// A parameter the kind does not take.
    case unknownParameter(kind: String, parameter: String)
    /// A parameter given twice.
    case duplicateParameter(kind: String, parameter: String)
    /// `uniform` with its minimum above its maximum.
    case reversedRange(min: Double, max: Double)
    /// `lognormal` with a median of 0: its logarithm is undefined.
    case zeroMedian
    /// `lognormal` with a p99 below its median.
    case p99BelowMedian(median: Double, p99: Double)
    /// `empirical` or `percentiles` with nothing in it.
    case noSamples(kind: String)
    /// `percentiles` with fewer than two points.
    case tooFewPercentiles(count: Int)
    /// A percentile outside 0...100.
    case percentileOutOfRange(Double)
    /// A higher percentile with a lower value than a lower one.
    case percentilesDecrease(lower: Distribution.Percentile, higher: Distribution.Percentile)

    public var description: String {
        switch self {
        case .empty:
            return "empty distribution; write one of: \(Self.allExamples)"
        case .unknownKind(let kind):
            return "unknown distribution '\(kind)'; expected one of: \(Self.allExamples)"
        case .malformed(let kind, let text):
            return "'\(kind):\(text)' is not a valid \(kind) distribution; write it like '\(Self.example(kind))'"
        case .invalidNumber(let kind, let field, let text):
            return "\(kind) \(field) '\(text)' is not a finite number; write it like '\(Self.example(kind))'"
        case .negative(let kind, let field, let value):
            return "\(kind) \(field) is \(SpecNumber.format(value)) but delays cannot be negative; "
                + "write it like '\(Self.example(kind))'"
        case .missingParameter(let kind, let parameter):
            return "\(kind) needs '\(parameter)='; write it like '\(Self.example(kind))'"
        case .unknownParameter(let kind, let parameter):
            return "\(kind) takes no parameter '\(parameter)'; write it like '\(Self.example(kind))'"
        case .duplicateParameter(let kind, let parameter):
            return "\(kind) has '\(parameter)' twice; give each parameter once, like '\(Self.example(kind))'"
        case .reversedRange(let min, let max):
            return "uniform range \(SpecNumber.format(min))..\(SpecNumber.format(max)) has its minimum above its "
                + "maximum; write the smaller bound first, like 'uniform:2..8'"
        case .zeroMedian:
            return "lognormal median must be above 0 (its logarithm is taken); write it like "
                + "'\(Self.example("lognormal"))', or use 'constant:0' for no delay"
        case .p99BelowMedian(let median, let p99):
            return "lognormal p99 (\(SpecNumber.format(p99))) is below its median (\(SpecNumber.format(median))); "
                + "the 99th percentile must be at least the median, like '\(Self.example("lognormal"))'"
        case .noSamples(let kind):
            return "\(kind) needs at least one value; write it like '\(Self.example(kind))'"
        case .tooFewPercentiles(let count):
            return "percentiles needs at least two points to interpolate between, got \(count); write it like "
                + "'\(Self.example("percentiles"))', or use 'constant:N' for a single value"
        case .percentileOutOfRange(let p):
            return "percentile p\(SpecNumber.format(p)) is outside p0...p100; write it like "
                + "'\(Self.example("percentiles"))'"
        case .percentilesDecrease(let lower, let higher):
            return "p\(SpecNumber.format(higher.percentile))=\(SpecNumber.format(higher.value)) is below "
                + "p\(SpecNumber.format(lower.percentile))=\(SpecNumber.format(lower.value)); values must not "
                + "decrease as the percentile rises, like '\(Self.example("percentiles"))'"
        }
    }

    static let examples: KeyValuePairs<String, String> = [
        "constant": "constant:5",
        "uniform": "uniform:25..100",
        "normal": "normal:mean=5,sd=1",
        "lognormal": "lognormal:median=40,p99=120",
        "empirical": "empirical:1,2,3.5",
        "percentiles": "percentiles:p50=40,p90=70,p99=110",
    ]

    static var allExamples: String {
        examples.map { "'\($0.value)'" }.joined(separator: ", ")
    }

    static func example(_ kind: String) -> String {
        examples.first { $0.key == kind }?.value ?? allExamples
    }
}
