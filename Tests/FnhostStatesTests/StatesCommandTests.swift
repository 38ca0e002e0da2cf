import FnhostWire
import Foundation
import TestSupport
import Testing

/// `fnhost states run` as the built binary, on the shipped hello-shell function (real worker processes).
@Suite struct StatesCommandTests {
    static let definition = """
        {"StartAt":"Hello","States":{
         "Hello":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:hello-shell",
           "ResultPath":"$.first","Next":"Failing"},
         "Failing":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
           "Parameters":{"FunctionName":"hello-shell","Payload":{"fail":true}},
           "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":1,"MaxAttempts":1}],
           "Catch":[{"ErrorEquals":["HelloShell.RequestedFailure"],"ResultPath":"$.caught","Next":"Done"}],"End":true},
         "Done":{"Type":"Pass","End":true}}}
        """

    func run(_ definition: String, _ arguments: [String]) async throws -> CommandResult {
        try await withTemporaryDirectory { dir in
            try definition.write(toFile: dir + "/hello.asl.json", atomically: true, encoding: .utf8)
            return try await Command.fnhost(
                ["states", "run", dir + "/hello.asl.json", "--functions", Paths.functions, "--time-scale", "0.01"]
                    + arguments, timeLimit: 120)
        }
    }

    @Test("a state machine runs on real workers: output on stdout, the history as JSON lines on stderr")
    func runsOnTheShippedFunctions() async throws {
        let result = try await run(Self.definition, ["--input", #"{"who":"states"}"#])
        #expect(result.exitCode == 0, "\(result)")
        let output = try JSONValue.parse(result.outputLines.last ?? "")
        guard case .object(let o) = output, case .object(let first)? = o["first"],
            case .object(let caught)? = o["caught"]
        else {
            Issue.record("unexpected output \(output)")
            return
        }
        #expect(first["event"] == .object(["who": .string("states")]))
        #expect(caught["Error"] == .string("HelloShell.RequestedFailure"))
        let types = result.standardError.split(separator: "\n").compactMap { line -> String? in
            guard case .object(let e)? = try? JSONValue.parse(String(line)), case .string(let t)? = e["type"] else {
                return nil
            }
            return t
        }
        #expect(
            types == [
                "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted",
                "LambdaFunctionSucceeded", "TaskStateExited", "TaskStateEntered", "TaskScheduled", "TaskStarted",
                "TaskFailed", "TaskScheduled", "TaskStarted", "TaskFailed", "TaskStateExited", "PassStateEntered",
                "PassStateExited", "ExecutionSucceeded",
            ])
    }

    @Test("a failed execution exits 1 with {error, cause}; a bad definition exits 3; input that is not JSON, 64")
    func exitCodes() async throws {
        let failing = #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"hello-shell","End":true}}}"#
        let failed = try await run(failing, ["--input", #"{"fail":true}"#, "-q"])
        #expect(failed.exitCode == 1, "\(failed)")
        guard case .object(let error)? = try? JSONValue.parse(failed.outputLines.last ?? "") else {
            Issue.record("no error line: \(failed)")
            return
        }
        #expect(error["Error"] == .string("HelloShell.RequestedFailure"))

        let invalid = try await run(#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"}}}"#, [])
        #expect(invalid.exitCode == 3, "\(invalid)")
        #expect(invalid.standardError.contains("MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next"))

        let badInput = try await run(failing, ["--input", "{not json"])
        #expect(badInput.exitCode == 64, "\(badInput)")
        #expect(badInput.standardError.contains("InvalidExecutionInput"))
    }
}
