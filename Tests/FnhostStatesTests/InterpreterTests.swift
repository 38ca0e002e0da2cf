import FnhostStates
import FnhostWire
import Synchronization
import Testing

/// The interpreter beyond the corpus: the `lambda:invoke` result shape, history details and ids, jitter, stopping,
/// and checkpoints with resuming.
@Suite struct InterpreterTests {
    static let start = ConformanceTests.start

    func interpreter(_ json: String, script: [String: [ScriptedInvoker.Answer]] = [:]) throws
        -> (Interpreter, RecordingClock, ScriptedInvoker)
    {
        let clock = RecordingClock(start: Self.start)
        let invoker = ScriptedInvoker(script: script, clock: clock.scaled)
        let definition = try StateMachineDefinition.parse(json)
        return (Interpreter(definition: definition, invoker: invoker, clock: clock, seed: 3), clock, invoker)
    }

    @Test("lambda:invoke gives the Lambda Invoke API's answer: Payload, StatusCode 200, ExecutedVersion, metadata")
    func lambdaInvokeShape() async throws {
        let (i, _, _) = try interpreter(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","#
                + #""Parameters":{"FunctionName":"f","Payload":{"k.$":"$.v"}},"End":true}}}"#)
        let result = await i.run(ConformanceTests.identity("shape", input: .object(["v": .number(2)])))
        guard case .succeeded(.object(let o)) = result.outcome else {
            Issue.record("\(result.outcome)")
            return
        }
        #expect(o["Payload"] == .object(["k": .number(2)]))
        #expect(o["StatusCode"] == .number(200))
        #expect(o["ExecutedVersion"] == .string("$LATEST"))
        guard case .object(let meta)? = o["SdkHttpMetadata"], case .object(let response)? = o["SdkResponseMetadata"],
            case .string(let requestId)? = response["RequestId"]
        else {
            Issue.record("no metadata")
            return
        }
        #expect(meta["HttpStatusCode"] == .number(200))
        #expect(requestId.count == 36)
        let scheduled = result.events.first { $0.type == "TaskScheduled" }
        guard case .object(let details)? = scheduled?.details else {
            Issue.record("no TaskScheduled details")
            return
        }
        #expect(scheduled?.detailsField == "taskScheduledEventDetails")
        #expect(details["resourceType"] == .string("lambda"))
        #expect(details["resource"] == .string("invoke"))
        #expect(details["parameters"] == .string(#"{"FunctionName":"f","Payload":{"k":2}}"#))
    }

    @Test("events carry AWS's detail objects, and each follows the one before it in a sequence")
    func historyDetails() async throws {
        let (i, _, _) = try interpreter(
            #"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"ResultPath":"$.r","Next":"W"},"#
                + #""W":{"Type":"Wait","Seconds":5,"End":true}}}"#)
        let result = await i.run(ConformanceTests.identity("details", input: .object([:])))
        #expect(result.events.map(\.previousEventId) == [0, 1, 2, 3, 4, 5])
        let entered = result.events[1]
        #expect(entered.detailsField == "stateEnteredEventDetails")
        #expect(
            entered.details
                == .object([
                    "name": .string("P"), "input": .string("{}"), "inputDetails": .object(["truncated": .bool(false)]),
                ]))
        #expect(result.events[2].details?.objectField("output") == .string(#"{"r":1}"#))
        // The Wait's exit is five simulated seconds after its entry.
        #expect(result.events[4].timestamp.epochMilliseconds - result.events[3].timestamp.epochMilliseconds == 5000)
        #expect(result.events.last?.detailsField == "executionSucceededEventDetails")
        let api = result.events[0].apiJSON
        #expect(api.objectField("type") == .string("ExecutionStarted"))
        #expect(api.objectField("executionStartedEventDetails")?.objectField("roleArn") != nil)
    }

    @Test("FULL jitter waits a seeded random part of each backoff interval")
    func fullJitter() async throws {
        let (i, clock, invoker) = try interpreter(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","Retry":[{"ErrorEquals":["E"],"#
                + #""IntervalSeconds":10,"MaxAttempts":4,"BackoffRate":2,"JitterStrategy":"FULL"}],"End":true}}}"#,
            script: [
                "f": [
                    ScriptedInvoker.Answer(
                        result: .functionError(payload: .object(["errorType": .string("E")])), seconds: 0)
                ]
            ])
        let result = await i.run(ConformanceTests.identity("jitter", input: .object([:])))
        #expect(result.outcome.status == "FAILED")
        let sleeps = clock.recorded
        #expect(sleeps.count == 4)
        for (n, s) in sleeps.enumerated() { #expect(s >= 0 && s <= 10 * Double(1 << n)) }
        #expect(Set(sleeps).count == 4)
        #expect(invoker.log.withLock { $0.invocations.map(\.attempt) } == [1, 2, 3, 4, 5])
        // The same seed gives the same waits.
        let (again, clock2, _) = try interpreter(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","Retry":[{"ErrorEquals":["E"],"#
                + #""IntervalSeconds":10,"MaxAttempts":4,"BackoffRate":2,"JitterStrategy":"FULL"}],"End":true}}}"#,
            script: [
                "f": [
                    ScriptedInvoker.Answer(
                        result: .functionError(payload: .object(["errorType": .string("E")])), seconds: 0)
                ]
            ])
        _ = await again.run(ConformanceTests.identity("jitter", input: .object([:])))
        #expect(clock2.recorded == sleeps)
    }

    @Test("cancelling the running execution aborts it: ExecutionAborted, the invocation cancelled")
    func abort() async throws {
        let (i, _, invoker) = try interpreter(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"slow","End":true}}}"#,
            script: ["slow": [ScriptedInvoker.Answer(result: nil, seconds: 1_000_000)]])
        let task = Task { await i.run(ConformanceTests.identity("abort", input: .object([:]))) }
        while invoker.log.withLock({ $0.invocations.isEmpty }) { try await Task.sleep(for: .milliseconds(1)) }
        task.cancel()
        let result = await task.value
        #expect(result.outcome == .aborted)
        #expect(result.events.last?.type == "ExecutionAborted")
        #expect(invoker.log.withLock { $0.cancelled.count } == 1)
    }

    @Test("checkpoints mark each top-level state, a Wait's deadline and a task in flight")
    func checkpoints() async throws {
        let (i, _, _) = try interpreter(
            #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"T"},"#
                + #""T":{"Type":"Task","Resource":"f","End":true}}}"#)
        let seen = Mutex([ExecutionCheckpoint]())
        _ = await i.run(ConformanceTests.identity("cp", input: .object([:]))) { progress in
            if case .checkpoint(let c) = progress { seen.withLock { $0.append(c) } }
        }
        let phases = seen.withLock { $0.map(\.phase) }
        #expect(
            phases == [
                .entering, .waiting(deadline: Self.start.adding(seconds: 30)), .entering, .taskInFlight(attempt: 1),
            ])
        #expect(seen.withLock { $0.map(\.stateName) } == ["W", "W", "T", "T"])
    }

    @Test("a resumed Wait waits only until its deadline, and event ids go on from the checkpoint")
    func resumeWait() async throws {
        let (i, clock, _) = try interpreter(
            #"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"Next":"P"},"P":{"Type":"Pass","End":true}}}"#)
        // Persisted at the Wait (entered at 12:00:00, deadline 12:00:30) and resumed by a clock at 12:00:00 again:
        // encoded and decoded as a store would.
        let checkpoint = ExecutionCheckpoint(
            stateName: "W", input: .object(["k": .number(1)]), lastEventId: 2, nextEventId: 3, retryCounts: [],
            phase: .waiting(deadline: Self.start.adding(seconds: 12)))
        let stored = try JSONValue.parse(String(decoding: try encodeJSON(checkpoint), as: UTF8.self))
        let restored = try decodeJSON(ExecutionCheckpoint.self, from: stored)
        #expect(restored == checkpoint)
        let result = await i.resume(ConformanceTests.identity("resume", input: .object([:])), from: restored)
        #expect(result.outcome == .succeeded(output: .object(["k": .number(1)])))
        #expect(clock.recorded == [12])
        #expect(
            result.events.map(\.type) == [
                "WaitStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded",
            ])
        #expect(result.events.first?.id == 3)
        #expect(result.events.first?.previousEventId == 2)
    }

    @Test("a task in flight at a restart is not run again unless the definition's Retry says so")
    func resumeTaskInFlight() async throws {
        let plain = #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","End":true}}}"#
        let checkpoint = ExecutionCheckpoint(
            stateName: "T", input: .object([:]), lastEventId: 4, nextEventId: 5, retryCounts: [],
            phase: .taskInFlight(attempt: 1))
        let (i, _, invoker) = try interpreter(plain)
        let failed = await i.resume(ConformanceTests.identity("r1", input: .object([:])), from: checkpoint)
        #expect(failed.outcome.status == "FAILED")
        if case .failed(let e) = failed.outcome { #expect(e.name == "Fnhost.TaskInterrupted") }
        #expect(failed.events.map(\.type) == ["LambdaFunctionFailed", "ExecutionFailed"])
        #expect(invoker.log.withLock { $0.invocations.isEmpty })

        let retried =
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","Retry":[{"ErrorEquals":["States.TaskFailed"],"IntervalSeconds":2}],"End":true}}}"#
        let (j, clock, invoker2) = try interpreter(retried)
        let result = await j.resume(ConformanceTests.identity("r2", input: .object([:])), from: checkpoint)
        #expect(result.outcome == .succeeded(output: .object([:])))
        #expect(clock.recorded == [2])
        #expect(invoker2.log.withLock { $0.invocations.map(\.attempt) } == [2])
        #expect(
            result.events.map(\.type) == [
                "LambdaFunctionFailed", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                "TaskStateExited", "ExecutionSucceeded",
            ])
    }
}

extension InterpreterTests {
    @Test("a Parallel state running at a restart fails with Fnhost.TaskInterrupted, which its Catch can take")
    func resumeParallelRunning() async throws {
        let (i, _, invoker) = try interpreter(
            #"{"StartAt":"P","States":{"P":{"Type":"Parallel","Catch":[{"ErrorEquals":["Fnhost.TaskInterrupted"],"#
                + #""ResultPath":"$.interrupted","Next":"After"}],"End":true,"Branches":[{"StartAt":"T","States":"#
                + #"{"T":{"Type":"Task","Resource":"f","End":true}}}]},"After":{"Type":"Pass","End":true}}}"#)
        let checkpoint = ExecutionCheckpoint(
            stateName: "P", input: .object(["k": .number(1)]), lastEventId: 3, nextEventId: 6, retryCounts: [],
            phase: .running)
        let result = await i.resume(ConformanceTests.identity("rp", input: .object([:])), from: checkpoint)
        #expect(invoker.log.withLock { $0.invocations.isEmpty })
        #expect(
            result.events.map(\.type) == [
                "ParallelStateFailed", "ParallelStateExited", "PassStateEntered", "PassStateExited",
                "ExecutionSucceeded",
            ])
        guard case .succeeded(let output) = result.outcome else {
            Issue.record("\(result.outcome)")
            return
        }
        #expect(output.objectField("interrupted")?.objectField("Error") == .string("Fnhost.TaskInterrupted"))
        #expect(output.objectField("k") == .number(1))
    }

    @Test("a retry wait persisted at a restart is waited out, then the next attempt runs")
    func resumeRetrying() async throws {
        let (i, clock, invoker) = try interpreter(
            #"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"f","Retry":[{"ErrorEquals":["E"],"#
                + #""IntervalSeconds":4,"MaxAttempts":2}],"End":true}}}"#,
            script: [
                "f": [
                    ScriptedInvoker.Answer(
                        result: .functionError(payload: .object(["errorType": .string("E")])), seconds: 0)
                ]
            ])
        let checkpoint = ExecutionCheckpoint(
            stateName: "T", input: .object([:]), lastEventId: 5, nextEventId: 6, retryCounts: [1],
            phase: .retrying(attempt: 2, deadline: Self.start.adding(seconds: 3)))
        let result = await i.resume(ConformanceTests.identity("rr", input: .object([:])), from: checkpoint)
        #expect(result.outcome.status == "FAILED")
        // 3 s left of the persisted wait, then attempt 2 fails, one more retry (8 s), attempt 3 fails: the retrier's
        // count went on from the checkpoint's 1.
        #expect(clock.recorded == [3, 8])
        #expect(invoker.log.withLock { $0.invocations.map(\.attempt) } == [2, 3])
    }
}

extension InterpreterTests {
    @Test("a loop that fills the history fails with States.Runtime as its 25,000th event, ExecutionFailed")
    func historyQuota() async throws {
        let (i, _, _) = try interpreter(
            #"{"StartAt":"Inc","States":{"Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"#
                + #""Next":"Loop"},"Loop":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":1000000,"#
                + #""Next":"Inc"}],"Default":"Done"},"Done":{"Type":"Succeed"}}}"#)
        let result = await i.run(ConformanceTests.identity("quota", input: .object(["n": .number(0)])))
        #expect(result.outcome.status == "FAILED")
        if case .failed(let e) = result.outcome { #expect(e.name == "States.Runtime", "\(e)") }
        #expect(result.events.count == 25_000)
        #expect(result.events.last?.type == "ExecutionFailed")
        #expect(result.events.last?.id == 25_000)
        #expect(result.events.map(\.id) == Array(1...25_000))
    }
}

extension JSONValue {
    func objectField(_ name: String) -> JSONValue? {
        if case .object(let o) = self { return o[name] }
        return nil
    }
}
