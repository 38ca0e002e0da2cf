/// The compact text form of a distribution, used in profile files and on the command line.
extension Distribution {
    /// Reads a distribution from its text form; `Distribution(spec: d.spec) == d` for every valid `d`.
    ///
    /// | form | meaning |
    /// |---|---|
    /// | `constant:5` (or just `5`) | always 5 ms |
    /// | `uniform:2..8` | uniform between 2 and 8 ms |
    /// | `normal:mean=5,sd=1` | normal, truncated at 0 |
    /// | `lognormal:median=40,p99=120` | log-normal by its median and 99th percentile |
    /// | `empirical:1,2,3.5` | one of the listed samples |
    /// | `percentiles:p50=40,p90=70,p99=110` | piecewise-linear through the percentiles |
    ///
    /// Every value is in milliseconds and must be finite and not negative. Spaces around parts are ignored.
    public init(spec: String) throws(DistributionSpecError) {
        let text = Substring(spec).trimmingSpaces
        guard !text.isEmpty else { throw .empty }
        guard let colon = text.firstIndex(of: ":") else {
            if let value = SpecNumber.parse(text) {
                guard value >= 0 else { throw .negative(kind: "constant", field: "value", value: value) }
                self = .constant(value)
                return
            }
            throw .unknownKind(String(text))
        }
        let kind = text[..<colon].trimmingSpaces.lowercased()
        let body = text[text.index(after: colon)...].trimmingSpaces
        switch kind {
        case "constant":
            self = .constant(try Self.number(body, kind: kind, field: "value"))
        case "uniform":
            self = try Self.parseUniform(body)
        case "normal":
            let parameters = try SpecParameters(body, kind: kind, allowed: ["mean", "sd"])
            let mean = try parameters.number("mean")
            let stddev = try parameters.number("sd")
            self = .normal(mean: mean, stddev: stddev)
        case "lognormal":
            let parameters = try SpecParameters(body, kind: kind, allowed: ["median", "p99"])
            let median = try parameters.number("median")
            let p99 = try parameters.number("p99")
            guard median > 0 else { throw .zeroMedian }
            guard p99 >= median else { throw .p99BelowMedian(median: median, p99: p99) }
            self = .lognormal(median: median, p99: p99)
        case "empirical":
            guard !body.isEmpty else { throw .noSamples(kind: kind) }
            var samples: [Double] = []
            for (index, part) in body.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                samples.append(try Self.number(part, kind: kind, field: "sample \(index + 1)"))
            }
            self = .empirical(samples)
        case "percentiles":
            self = .percentiles(try Self.parsePercentiles(body))
        default:
            throw .unknownKind(String(kind))
        }
    }

    /// The text form, e.g. `lognormal:median=40,p99=120`.
    public var spec: String {
        let f = SpecNumber.format
        switch self {
        case .constant(let value):
            return "constant:\(f(value))"
        case .uniform(let min, let max):
            return "uniform:\(f(min))..\(f(max))"
        case .normal(let mean, let stddev):
            return "normal:mean=\(f(mean)),sd=\(f(stddev))"
        case .lognormal(let median, let p99):
            return "lognormal:median=\(f(median)),p99=\(f(p99))"
        case .empirical(let samples):
            return "empirical:" + samples.map(f).joined(separator: ",")
        case .percentiles(let points):
            return "percentiles:" + points.map { "p\(f($0.percentile))=\(f($0.value))" }.joined(separator: ",")
        }
    }

    private static func number(_ text: Substring, kind: String, field: String) throws(DistributionSpecError) -> Double {
        guard let value = SpecNumber.parse(text) else {
            throw .invalidNumber(kind: kind, field: field, text: String(text.trimmingSpaces))
        }
        guard value >= 0 else { throw .negative(kind: kind, field: field, value: value) }
        return value
    }

    private static func parseUniform(_ body: Substring) throws(DistributionSpecError) -> Distribution {
        guard let dots = body.firstRange(of: "..") else { throw .malformed(kind: "uniform", text: String(body)) }
        let min = try number(body[..<dots.lowerBound], kind: "uniform", field: "minimum")
        let max = try number(body[dots.upperBound...], kind: "uniform", field: "maximum")
        guard min <= max else { throw .reversedRange(min: min, max: max) }
        return .uniform(min: min, max: max)
    }

    private static func parsePercentiles(_ body: Substring) throws(DistributionSpecError) -> [Percentile] {
        let kind = "percentiles"
        guard !body.isEmpty else { throw .noSamples(kind: kind) }
        var points: [Percentile] = []
        for part in body.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else { throw .malformed(kind: kind, text: String(body)) }
            let name = part[..<equals].trimmingSpaces
            guard name.first == "p" || name.first == "P" else {
                throw .unknownParameter(kind: kind, parameter: String(name))
            }
            let percentile = try number(name.dropFirst(), kind: kind, field: "percentile '\(name)'")
            guard percentile <= 100 else { throw .percentileOutOfRange(percentile) }
            guard !points.contains(where: { $0.percentile == percentile }) else {
                throw .duplicateParameter(kind: kind, parameter: String(name))
            }
            let value = try number(part[part.index(after: equals)...], kind: kind, field: String(name))
            points.append(Percentile(percentile, value))
        }
        guard points.count >= 2 else { throw .tooFewPercentiles(count: points.count) }
        points.sort { $0.percentile < $1.percentile }
        for (lower, higher) in zip(points, points.dropFirst()) where higher.value < lower.value {
            throw .percentilesDecrease(lower: lower, higher: higher)
        }
        return points
    }
}
