import FnhostWire
import Testing

/// The platform's log lines and error objects, exactly as Lambda writes them.
@Suite struct WireFormatTests {
    static let id = "8f5c3a0e-1b2d-4c5e-9f60-7a8b9c0d1e2f"

    @Test func startAndEndLinesAreLambdas() {
        #expect(LogLines.start(requestID: Self.id) == "START RequestId: \(Self.id) Version: $LATEST")
        #expect(LogLines.end(requestID: Self.id) == "END RequestId: \(Self.id)")
    }

    @Test func aColdReportHasInitDurationLastAndTabsBetweenFields() {
        let line = LogLines.report(
            .init(
                requestID: Self.id, durationMs: 12.341, memorySizeMB: 128, maxMemoryUsedMB: 41, initDurationMs: 180.2249
            ))
        #expect(
            line == "REPORT RequestId: \(Self.id)\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\t"
                + "Max Memory Used: 41 MB\tInit Duration: 180.22 ms")
    }

    @Test func aWarmReportHasNoInitDuration() {
        let line = LogLines.report(.init(requestID: Self.id, durationMs: 3, memorySizeMB: 256, maxMemoryUsedMB: 9))
        #expect(
            line == "REPORT RequestId: \(Self.id)\tDuration: 3.00 ms\tBilled Duration: 3 ms\tMemory Size: 256 MB\t"
                + "Max Memory Used: 9 MB")
        #expect(!line.contains("Init Duration"))
    }

    @Test(
        arguments: [
            (0.0, 1), (0.2, 1), (1.0, 1), (1.0001, 2), (12.34, 13), (12.995, 13), (999.5, 1000), (1000, 1000),
        ] as [(Double, Int)])
    func billedDurationIsTheDurationRoundedUpToTheMillisecond(duration: Double, billed: Int) {
        let report = LogLines.Report(requestID: Self.id, durationMs: duration, memorySizeMB: 128, maxMemoryUsedMB: 1)
        #expect(report.billedDurationMs == billed)
        #expect(LogLines.report(report).contains("\tBilled Duration: \(billed) ms\t"))
    }

    @Test(
        arguments: [
            (0.0, "0.00"), (0.004, "0.00"), (0.005, "0.01"), (1.5, "1.50"), (12.346, "12.35"), (12.344, "12.34"),
            (1000, "1000.00"),
        ]
            as [(Double, String)])
    func durationsArePrintedWithTwoDecimals(ms: Double, text: String) {
        #expect(LogLines.milliseconds(ms) == text)
    }

    @Test func theStatusAndFnhostsOwnFieldsComeAfterLambdasFields() {
        let line = LogLines.report(
            .init(
                requestID: Self.id, durationMs: 1000, memorySizeMB: 128, maxMemoryUsedMB: 3,
                extraFields: [("fnhost Simulated Overhead", "12.00 ms")], status: "timeout"))
        let fields = line.split(separator: "\t").map(String.init)
        #expect(fields.count == 7)
        #expect(fields[4] == "Max Memory Used: 3 MB")
        #expect(fields[5] == "fnhost Simulated Overhead: 12.00 ms")
        #expect(fields.last == "Status: timeout")
    }

    @Test(arguments: [(1.0, "1.00"), (3.0, "3.00"), (900.0, "900.00"), (2.5, "2.50")] as [(Double, String)])
    func aTimeoutReadsExactlyAsLambdas(seconds: Double, text: String) {
        let error = FunctionError.timeout(seconds: seconds)
        #expect(error.errorMessage == "Task timed out after \(text) seconds")
        #expect(error.errorType == "Sandbox.Timedout")
    }

    @Test func anExitErrorNamesTheRequestAndHowTheRuntimeEnded() {
        let error = FunctionError.exitError(requestID: Self.id, "signal: killed")
        #expect(error.errorType == "Runtime.ExitError")
        #expect(error.errorMessage == "RequestId: \(Self.id) Error: Runtime exited with error: signal: killed")
    }

    @Test func aThrottleIsLambdas429WithItsReason() {
        let error = ServiceError.throttled(function: "echo", limit: 2)
        #expect(error.type == "TooManyRequestsException")
        #expect(error.status == 429)
        #expect(error.reason == "ReservedFunctionConcurrentInvocationLimitExceeded")
        #expect(error.jsonBody.hasPrefix(#"{"Type":"User","message":"#))
        #expect(error.jsonBody.hasSuffix(#","Reason":"ReservedFunctionConcurrentInvocationLimitExceeded"}"#))
    }

    @Test func handWrittenJSONStringsAreEscaped() throws {
        let text = "a \"quoted\" back\\slash\nnew line\ttab \u{01} é"
        let quoted = JSONText.quote(text)
        let decoded = try JSONValue.parse(Array(quoted.utf8))
        #expect(decoded == .string(text))
    }
}
