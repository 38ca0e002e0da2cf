import FnhostStates
import FnhostWire
import Synchronization
import Testing

/// The conformance corpus: each case's definition is validated, run on its input with the scripted function
/// answers, and its outcome, output, history event types, invocations and sleeps compared with the expectation.
@Suite struct ConformanceTests {
    static let start = Timestamp(rfc3339: "2026-11-30T12:00:00Z")!

    static func identity(_ name: String, input: JSONValue) -> ExecutionIdentity {
        ExecutionIdentity(
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:Conformance:\(name)", name: name,
            stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:Conformance",
            stateMachineName: "Conformance", roleArn: "arn:aws:iam::123456789012:role/fnhost", startTime: start,
            input: input)
    }

    @Test("the corpus has cases for every state type")
    func corpusCoversEveryStateType() throws {
        let cases = ConformanceCase.all()
        #expect(cases.count >= 40)
        for type in ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"] {
            #expect(cases.contains { $0.definitionText.contains("\"Type\":\"\(type)\"") }, "no case with a \(type)")
        }
    }

    @Test("conformance case", arguments: ConformanceCase.all())
    func conformance(_ c: ConformanceCase) async throws {
        if case .string(let error)? = c.expect["loadError"] {
            Issue.record("\(c.name): \(error)")
            return
        }
        let definition: StateMachineDefinition
        do {
            definition = try StateMachineDefinition.parse(c.definitionText)
        } catch {
            guard case .array(let expected)? = c.expect["invalid"] else {
                Issue.record("\(c.name): the definition was refused: \(error)")
                return
            }
            let found = Set(error.problems.map(\.description))
            let wanted = Set(
                expected.compactMap { v -> String? in
                    if case .string(let s) = v { return s }
                    return nil
                })
            #expect(found == wanted, "\(c.name): \(error)")
            return
        }
        #expect(c.expect["invalid"] == nil, "\(c.name): the definition was accepted, AWS refuses it")
        let clock = RecordingClock(start: Self.start)
        let invoker = try ScriptedInvoker(fixture: c.invoker, clock: clock.scaled)
        let interpreter = Interpreter(definition: definition, invoker: invoker, clock: clock, seed: 7)
        let result = await interpreter.run(Self.identity(c.name, input: c.input))

        if case .string(let status)? = c.expect["status"] {
            #expect(result.outcome.status == status, "\(c.name): \(result.outcome)")
        }
        if let output = c.expect["output"] {
            #expect(result.outcome == .succeeded(output: output), "\(c.name)")
        }
        if case .string(let error)? = c.expect["error"] {
            switch result.outcome {
            case .failed(let e), .timedOut(let e):
                #expect(e.name == error, "\(c.name): \(e)")
                if case .string(let cause)? = c.expect["cause"] { #expect(e.cause == cause, "\(c.name)") }
                if case .string(let part)? = c.expect["causeContains"] {
                    #expect(e.cause.contains(part), "\(c.name): \(e.cause)")
                }
            default: Issue.record("\(c.name): expected the error \(error), got \(result.outcome)")
            }
        }
        if case .array(let events)? = c.expect["events"] {
            let types = result.events.map { JSONValue.string($0.type) }
            #expect(types == events, "\(c.name): \(result.events.map(\.type))")
        }
        if case .array(let events)? = c.expect["eventsUnordered"] {
            let types = result.events.map(\.type).sorted()
            let wanted = events.compactMap { v -> String? in
                if case .string(let s) = v { return s }
                return nil
            }
            #expect(types == wanted.sorted(), "\(c.name): \(result.events.map(\.type))")
        }
        // Ids count from 1 and every event follows an earlier one.
        for (i, event) in result.events.enumerated() {
            #expect(event.id == i + 1)
            #expect(event.previousEventId < event.id)
        }
        let log = invoker.log.withLock { $0 }
        if case .array(let calls)? = c.expect["invocations"] {
            let actual = log.invocations.map {
                JSONValue.object(["function": .string($0.functionName), "payload": $0.payload])
            }
            #expect(actual == calls, "\(c.name)")
        }
        if case .number(let count)? = c.expect["invocationCount"] {
            #expect(log.invocations.count == Int(count), "\(c.name)")
        }
        if case .number(let most)? = c.expect["maxConcurrentInvocations"] {
            #expect(log.maxRunning == Int(most), "\(c.name): \(log.maxRunning) ran at once")
        }
        if case .array(let names)? = c.expect["neverCompleted"] {
            for case .string(let name) in names {
                #expect(!log.completed.contains { $0.functionName == name }, "\(c.name): \(name) ran to its end")
            }
        }
        if case .array(let sleeps)? = c.expect["sleeps"] {
            #expect(clock.recorded.map(JSONValue.number) == sleeps, "\(c.name): \(clock.recorded)")
        }
    }
}
