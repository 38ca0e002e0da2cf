import FnhostStates
import FnhostStepFunctions
import FnhostTraces
import FnhostWire
import Synchronization
import TestSupport
import Testing

/// A task that never answers until it is cancelled (the execution is suspended or stopped meanwhile).
struct HangingInvoker: TaskInvoker {
    func invoke(_ invocation: TaskInvocation) async -> TaskInvocationResult {
        try? await Task.sleep(for: .seconds(3600))
        return .serviceError(name: "Lambda.ServiceException", message: "cancelled")
    }
}

/// The traces a service hands to its sink.
final class TraceSink: Sendable {
    let traces = Mutex<[Trace]>([])
    func record(_ trace: Trace) { traces.withLock { $0.append(trace) } }
    var all: [Trace] { traces.withLock { $0 } }
}

/// When ``StepFunctionsService`` hands an execution's trace to `Environment.onTrace`: at every end, for a stopped
/// execution and for one resumed after a restart (with the history kept before it).
@Suite struct ExecutionTraceServiceTests {
    static let machineArn = "arn:aws:states:us-east-1:000000000000:stateMachine:m"
    static let retriedTask = #"""
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "f", "End": true,
          "Retry": [{"ErrorEquals": ["Fnhost.TaskInterrupted"], "IntervalSeconds": 1}]}}}
        """#

    func call(_ service: StepFunctionsService, _ op: String, _ members: [String: JSONValue]) async -> JSONValue {
        let answer = await service.handle(target: "AWSStepFunctions." + op, body: JSONValue.object(members).serialized)
        return (try? JSONValue.parse(answer.body)) ?? .null
    }

    func history(_ service: StepFunctionsService, _ arn: String) async -> [String] {
        let page = await call(service, "GetExecutionHistory", ["executionArn": .string(arn), "maxResults": 1000])
        guard case .object(let o) = page, case .array(let events)? = o["events"] else { return [] }
        return events.compactMap { if case .object(let e) = $0, case .string(let t)? = e["type"] { t } else { nil } }
    }

    func service(_ invoker: any TaskInvoker, store: any ExecutionStore, sink: TraceSink) -> StepFunctionsService {
        StepFunctionsService(
            environment: .init(invoker: invoker, realSecondsPerSecond: 0.001, onTrace: { sink.record($0) }),
            store: store)
    }

    @Test("A stopped execution's trace is an error, its open Task state too")
    func stoppedExecutionIsAnError() async throws {
        let sink = TraceSink()
        let service = service(HangingInvoker(), store: InMemoryExecutionStore(), sink: sink)
        _ = await call(
            service, "CreateStateMachine",
            [
                "name": "m", "definition": .string(Self.retriedTask),
                "roleArn": "arn:aws:iam::000000000000:role/r",
            ])
        _ = await call(service, "StartExecution", ["stateMachineArn": .string(Self.machineArn), "name": "s"])
        let arn = "arn:aws:states:us-east-1:000000000000:execution:m:s"
        #expect(
            await eventually(within: .seconds(10)) { await history(service, arn).contains("LambdaFunctionStarted") })
        _ = await call(service, "StopExecution", ["executionArn": .string(arn), "error": "Enough"])
        #expect(await eventually(within: .seconds(10)) { !sink.all.isEmpty })
        let trace = try #require(sink.all.first)
        #expect(sink.all.count == 1)
        #expect(trace.outcome == .error && trace.spans[0].attributes["status"] == "ABORTED")
        let task = try #require(trace.spans.first { $0.name == "T" })
        #expect(task.attributes["fnhost.outcome"] == "error" && task.attributes["state.attempts"] == "1")
    }

    @Test("An execution resumed after a restart is one trace of its whole history, the first attempt from before it")
    func resumedExecutionHasItsWholeHistory() async throws {
        let store = InMemoryExecutionStore()
        let before = TraceSink()
        let first = service(HangingInvoker(), store: store, sink: before)
        _ = await call(
            first, "CreateStateMachine",
            [
                "name": "m", "definition": .string(Self.retriedTask),
                "roleArn": "arn:aws:iam::000000000000:role/r",
            ])
        _ = await call(first, "StartExecution", ["stateMachineArn": .string(Self.machineArn), "name": "r"])
        let arn = "arn:aws:states:us-east-1:000000000000:execution:m:r"
        #expect(await eventually(within: .seconds(10)) { await history(first, arn).contains("LambdaFunctionStarted") })
        await first.suspend()
        #expect(before.all.isEmpty, "a suspended execution has not ended")

        let after = TraceSink()
        let second = service(ScriptedInvoker(), store: store, sink: after)
        try await second.loadStoredMachines()
        #expect(try await second.resumeInterrupted() == 1)
        #expect(await eventually(within: .seconds(10)) { !after.all.isEmpty })
        let trace = try #require(after.all.first)
        #expect(trace.outcome == .ok && trace.spans[0].attributes["executionArn"] == arn)
        #expect(trace.spans[0].attributes["fnhost.timeline"]?.contains("history timestamps") == true)
        let task = try #require(trace.spans.first { $0.name == "T" })
        #expect(task.attributes["state.attempts"] == "2", "the interrupted attempt and the retry")
        #expect(trace.spans.contains { $0.name == "retry interval" && $0.parent == task.id })
        let ids = Set(trace.spans.map(\.id))
        #expect(trace.spans.dropFirst().allSatisfy { $0.parent.map(ids.contains) == true })
    }
}
