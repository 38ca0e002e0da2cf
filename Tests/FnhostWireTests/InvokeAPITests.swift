import FnhostWire
import Testing

/// The Invoke API's rules that the host and the server share: function names, blank payloads, payload validation.
@Suite("Invoke API rules")
struct InvokeAPITests {
    @Test(arguments: ["a", "org-status", "Under_Score-9", String(repeating: "x", count: 64)])
    func lambdaFunctionNamesAreAccepted(_ name: String) {
        #expect(InvokeAPI.isValidFunctionName(name))
    }

    @Test(arguments: ["", String(repeating: "x", count: 65), "has space", "dot.name", "é", "a/b", "a:1", "null\0"])
    func namesOutsideLambdasPatternAreRefused(_ name: String) {
        #expect(!InvokeAPI.isValidFunctionName(name))
    }

    @Test(arguments: ["", " ", "\n\t\r "])
    func aBlankPayloadIsTheEmptyObject(_ payload: String) throws {
        #expect(try InvokeAPI.event(fromPayload: Array(payload.utf8)) == Array("{}".utf8))
    }

    @Test func aJSONPayloadIsPassedOnByteForByte() throws {
        let payload = Array(#" {"orgId": "ORG-0042", "n": 123456789012345678901234567890} "#.utf8)
        #expect(try InvokeAPI.event(fromPayload: payload) == payload)
    }

    @Test(arguments: ["{", "nope", #"{"a":1} x"#])
    func aPayloadThatIsNotJSONIsInvalidRequestContent(_ payload: String) {
        let error = #expect(throws: ServiceError.self) { try InvokeAPI.event(fromPayload: Array(payload.utf8)) }
        #expect(error?.type == "InvalidRequestContentException")
        #expect(error?.status == 400)
    }

    @Test func nestingDeeperThanLambdasLimitIsRefused() {
        let depth = InvokeAPI.maxEventNesting + 1
        let payload = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        #expect(throws: ServiceError.self) { try InvokeAPI.event(fromPayload: payload) }
    }
}

/// Nearest-rank percentiles and durations in milliseconds, as every report prints them.
@Suite("Percentiles and durations")
struct PercentileTests {
    @Test(arguments: [
        (50.0, 5.0), (90.0, 9.0), (95.0, 10.0), (99.0, 10.0), (100.0, 10.0), (0.0, 1.0), (10.0, 1.0), (11.0, 2.0),
    ])
    func nearestRankOfOneToTen(_ p: Double, _ expected: Double) {
        let sorted = (1...10).map(Double.init)
        #expect(Percentile.nearestRank(sorted, p) == expected)
    }

    @Test func anEmptySampleHasPercentileZero() {
        #expect(Percentile.nearestRank([Double](), 50) == 0)
    }

    @Test func durationsConvertToFractionalMilliseconds() {
        #expect(Duration.milliseconds(1500).inMilliseconds == 1500)
        #expect(Duration.microseconds(250).inMilliseconds == 0.25)
        #expect(Duration.seconds(-2).inMilliseconds == -2000)
    }
}
