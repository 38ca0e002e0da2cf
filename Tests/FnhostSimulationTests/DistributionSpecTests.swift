import FnhostSimulation
import Foundation
import Testing

@Suite("Distribution spec")
struct DistributionSpecTests {
    @Test(
        "each canonical spec parses and formats back to itself",
        arguments: [
            "constant:5", "constant:0.25", "uniform:2..8", "normal:mean=5,sd=1", "lognormal:median=40,p99=120",
            "empirical:1,2,3.5", "percentiles:p50=40,p90=70,p99=110", "percentiles:p0=25,p99.9=400,p100=1000",
            "constant:1e-05", "uniform:0.1..0.30000000000000004",
        ])
    func canonicalRoundTrip(spec: String) throws {
        let distribution = try Distribution(spec: spec)
        #expect(distribution.spec == spec)
        #expect(try Distribution(spec: distribution.spec) == distribution)
    }

    @Test("specs parse to the expected distributions")
    func parsesToCases() throws {
        #expect(try Distribution(spec: "constant:5") == .constant(5))
        #expect(try Distribution(spec: "uniform:2..8") == .uniform(min: 2, max: 8))
        #expect(try Distribution(spec: "normal:mean=5,sd=1") == .normal(mean: 5, stddev: 1))
        #expect(try Distribution(spec: "lognormal:median=40,p99=120") == .lognormal(median: 40, p99: 120))
        #expect(try Distribution(spec: "empirical:1,2,3.5") == .empirical([1, 2, 3.5]))
        #expect(
            try Distribution(spec: "percentiles:p50=40,p90=70,p99=110")
                == .percentiles([.init(50, 40), .init(90, 70), .init(99, 110)]))
    }

    @Test("lenient forms: a bare number, spaces, upper-case kinds, parameters in any order")
    func lenientForms() throws {
        #expect(try Distribution(spec: "12") == .constant(12))
        #expect(try Distribution(spec: "  uniform : 2 .. 8 ") == .uniform(min: 2, max: 8))
        #expect(try Distribution(spec: "LogNormal:p99=120, median=40") == .lognormal(median: 40, p99: 120))
        #expect(try Distribution(spec: "percentiles:p99=110,p50=40") == .percentiles([.init(50, 40), .init(99, 110)]))
        #expect(try Distribution(spec: "normal:sd=1,mean=5").spec == "normal:mean=5,sd=1")
    }

    @Test(
        "every malformed spec is refused with its specific error",
        arguments: [
            ("", DistributionSpecError.empty),
            ("   ", .empty),
            ("gamma:1,2", .unknownKind("gamma")),
            ("fast", .unknownKind("fast")),
            ("uniform:5", .malformed(kind: "uniform", text: "5")),
            ("normal:mean5,sd=1", .malformed(kind: "normal", text: "mean5,sd=1")),
            ("percentiles:p50", .malformed(kind: "percentiles", text: "p50")),
            ("constant:abc", .invalidNumber(kind: "constant", field: "value", text: "abc")),
            ("constant:inf", .invalidNumber(kind: "constant", field: "value", text: "inf")),
            ("uniform:a..8", .invalidNumber(kind: "uniform", field: "minimum", text: "a")),
            ("normal:mean=x,sd=1", .invalidNumber(kind: "normal", field: "mean", text: "x")),
            ("empirical:1,,3", .invalidNumber(kind: "empirical", field: "sample 2", text: "")),
            ("constant:-5", .negative(kind: "constant", field: "value", value: -5)),
            ("-5", .negative(kind: "constant", field: "value", value: -5)),
            ("uniform:-1..8", .negative(kind: "uniform", field: "minimum", value: -1)),
            ("normal:mean=-5,sd=1", .negative(kind: "normal", field: "mean", value: -5)),
            ("empirical:1,-2", .negative(kind: "empirical", field: "sample 2", value: -2)),
            ("normal:mean=5", .missingParameter(kind: "normal", parameter: "sd")),
            ("lognormal:", .missingParameter(kind: "lognormal", parameter: "median")),
            ("lognormal:median=40,p95=120", .unknownParameter(kind: "lognormal", parameter: "p95")),
            ("percentiles:q50=4,p90=7", .unknownParameter(kind: "percentiles", parameter: "q50")),
            ("normal:mean=5,mean=6,sd=1", .duplicateParameter(kind: "normal", parameter: "mean")),
            ("percentiles:p50=4,p50=5", .duplicateParameter(kind: "percentiles", parameter: "p50")),
            ("uniform:8..2", .reversedRange(min: 8, max: 2)),
            ("lognormal:median=0,p99=10", .zeroMedian),
            ("lognormal:median=40,p99=30", .p99BelowMedian(median: 40, p99: 30)),
            ("empirical:", .noSamples(kind: "empirical")),
            ("percentiles:", .noSamples(kind: "percentiles")),
            ("percentiles:p50=40", .tooFewPercentiles(count: 1)),
            ("percentiles:p50=40,p101=70", .percentileOutOfRange(101)),
            ("percentiles:p50=40,p90=30", .percentilesDecrease(lower: .init(50, 40), higher: .init(90, 30))),
        ] as [(String, DistributionSpecError)])
    func refusesMalformedSpec(spec: String, expected: DistributionSpecError) {
        #expect(throws: expected) { try Distribution(spec: spec) }
    }

    @Test("every error message shows the right form to write")
    func errorMessagesShowAnExample() {
        let errors: [DistributionSpecError] = [
            .empty, .unknownKind("gamma"), .malformed(kind: "uniform", text: "5"),
            .invalidNumber(kind: "normal", field: "mean", text: "x"),
            .negative(kind: "constant", field: "value", value: -1),
            .missingParameter(kind: "normal", parameter: "sd"), .unknownParameter(kind: "lognormal", parameter: "p95"),
            .duplicateParameter(kind: "normal", parameter: "mean"), .reversedRange(min: 8, max: 2), .zeroMedian,
            .p99BelowMedian(median: 40, p99: 30), .noSamples(kind: "empirical"), .tooFewPercentiles(count: 1),
            .percentileOutOfRange(101), .percentilesDecrease(lower: .init(50, 40), higher: .init(90, 30)),
        ]
        for error in errors {
            #expect(error.description.contains(":"), "\(error)")
            #expect(error.description.contains("'"), "\(error)")
        }
        #expect(DistributionSpecError.malformed(kind: "uniform", text: "5").description.contains("uniform:25..100"))
        #expect(DistributionSpecError.unknownKind("gamma").description.contains("lognormal:median=40,p99=120"))
        #expect(DistributionSpecError.negative(kind: "constant", field: "value", value: -1).description.contains("-1"))
    }

    @Test("Codable stores a distribution as its spec string")
    func codableUsesSpec() throws {
        let distributions: [Distribution] = [
            .uniform(min: 25, max: 100), .percentiles([.init(50, 40), .init(99, 110)]),
        ]
        let data = try JSONEncoder().encode(distributions)
        #expect(String(decoding: data, as: UTF8.self) == #"["uniform:25..100","percentiles:p50=40,p99=110"]"#)
        #expect(try JSONDecoder().decode([Distribution].self, from: data) == distributions)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([Distribution].self, from: Data(#"["uniform:9..1"]"#.utf8))
        }
    }
}
