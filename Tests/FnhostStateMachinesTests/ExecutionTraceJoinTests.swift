import FnhostHost
import FnhostSimulation
import FnhostStateMachines
import FnhostStepFunctions
import FnhostTraces
import FnhostWire
import Foundation
import TestSupport
import Testing

/// The eligibility machine (EXPRESS, a Parallel of three Tasks, then a fourth) through StartSyncExecution on a real
/// host: its task invocations join the execution's one trace, which reaches the host's recorder, as `fnhost serve`
/// and the architectures experiment wire it.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ExecutionTraceJoinTests {
    @Test(
        "StartSyncExecution records one trace: the Parallel's branches, each task's invocation below its state with its nested calls kept, and no trace per task"
    )
    func syncExecutionIsOneTraceOnTheHostsRecorder() async throws {
        try await EligibilityStateMachineTests.withEligibilityMachine("execution-trace") { host, service, arn in
            let request = EligibilityStateMachineTests.requests[0]
            let body = JSONValue.object(["stateMachineArn": .string(arn), "input": .string(request)])
            let (status, answer) = await service.handle(
                target: "AWSStepFunctions.StartSyncExecution", body: body.serialized)
            #expect(status == 200, "\(String(decoding: answer, as: UTF8.self))")
            guard case .object(let execution) = try JSONValue.parse(answer),
                case .string(let executionArn)? = execution["executionArn"]
            else { throw TestFailure("no execution: \(String(decoding: answer, as: UTF8.self))") }

            let traces = host.traces.store.all()
            #expect(traces.count == 1, "one trace, none per task: \(traces.map { "\($0.root) \($0.trigger)" })")
            let trace = try #require(traces.first)
            #expect(trace.trigger == .stateMachine && trace.root == "eligibility" && trace.outcome == .ok)
            #expect(trace.spans[0].attributes["executionArn"] == executionArn)
            #expect(trace.spans[0].attributes["type"] == "EXPRESS")
            let byID = Dictionary(trace.spans.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            #expect(byID.count == trace.spans.count)
            for span in trace.spans.dropFirst() {
                #expect(span.parent.flatMap { byID[$0] } != nil, "\(span.name) has its parent")
            }
            let checks = try #require(trace.spans.first { $0.name == "Checks" })
            for (number, stateName, function) in [
                (1, "OrgStatus", "org-status"), (2, "Coverage", "coverage"), (3, "RequestLog", "request-log"),
            ] {
                let task = try #require(trace.spans.first { $0.name == stateName })
                let branch = try #require(task.parent.flatMap { byID[$0] })
                #expect(branch.name == "branch \(number)" && branch.parent == checks.id)
                let invocation = try #require(
                    trace.spans.first { $0.function == function && $0.parent == task.id },
                    "\(function)'s invocation below \(stateName)")
                #expect(invocation.kind == .call && invocation.attributes["state.attempt"] == "1")
                #expect(invocation.startMs >= task.startMs && invocation.endMs <= task.endMs + 0.001)
                #expect(
                    trace.spans.contains { $0.name == "duration" && $0.parent == invocation.id },
                    "\(function)'s worker duration")
            }
            // org-status calls rules: that call keeps its place inside org-status's duration.
            let rules = try #require(trace.spans.first { $0.function == "rules" && $0.kind == .call })
            let caller = try #require(rules.parent.flatMap { byID[$0] })
            #expect(caller.name == "duration" && caller.function == "org-status")
            #expect(trace.spans.contains { $0.name == "Combine" && $0.kind == .transition })
            #expect(
                trace.spans.contains { $0.name == "state transition" && $0.timing == .simulated },
                "the profile's transition delays")
        }
    }
}
