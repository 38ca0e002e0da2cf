import FnhostStates
import FnhostWire

/// The ASL interpreter's own cost per state transition (issue 13): executions of a machine of 100 Pass states, no
/// tasks, no pacer, no waits, each timed and divided by its transitions, beside a floor measured in the same run:
/// serialising the state's input and output as the two events of a transition must (the JSON text each
/// `…StateEntered`/`…StateExited` event carries), with the same document.
extension Runner {
    func states() async throws {
        let section = "state machines (ASL interpreter, per transition)"
        let states = 100
        let executions = quick ? 20 : 400
        let warmup = max(3, executions / 10)
        var definition: [String: JSONValue] = [:]
        for i in 0..<states {
            var state: [String: JSONValue] = ["Type": .string("Pass")]
            if i == states - 1 { state["End"] = .bool(true) } else { state["Next"] = .string("P\(i + 1)") }
            definition["P\(i)"] = .object(state)
        }
        let machine = try StateMachineDefinition.parse(
            JSONValue.object(["StartAt": .string("P0"), "States": .object(definition)]).serialized)
        // A small document such as the eligibility flow passes between states.
        let input = JSONValue.object([
            "orgId": .string("ORG-0042"), "memberId": .string("MEM-000123"), "date": .string("2026-03-01"),
            "checks": .array([.bool(true), .bool(false), .number(3)]),
        ])
        let start = Timestamp(epochMilliseconds: 1_767_225_600_000)
        progress.begin("states: \(executions) executions of \(states) Pass states, and the JSON floor")

        var floorSamples: [Double] = []
        for round in 0..<(executions + warmup) {
            let started = Monotonic.now()
            var bytes = 0
            for _ in 0..<states {
                bytes &+= input.serialized.count
                bytes &+= input.serialized.count
            }
            let perTransition = Monotonic.microseconds(since: started) / Double(states)
            blackHole(bytes)
            if round >= warmup { floorSamples.append(perTransition) }
        }
        let floor = Figure(
            id: "states.floor.json", section: section,
            label: "floor: serialise a state's input and output (its two events' JSON)", unit: "µs",
            summary: Summary(floorSamples))
        report.add(floor)

        let interpreter = Interpreter(
            definition: machine, invoker: NoTasks(), clock: ScaledClock(start: start, realSecondsPerSecond: 1))
        var samples: [Double] = []
        var failures = 0
        for round in 0..<(executions + warmup) {
            let identity = ExecutionIdentity(
                executionArn: "arn:aws:states:us-east-1:000000000000:execution:bench:e\(round)", name: "e\(round)",
                stateMachineArn: "arn:aws:states:us-east-1:000000000000:stateMachine:bench",
                stateMachineName: "bench", roleArn: "arn:aws:iam::000000000000:role/fnhost", startTime: start,
                input: input)
            let started = Monotonic.now()
            let result = await interpreter.run(identity)
            let perTransition = Monotonic.microseconds(since: started) / Double(states)
            if result.outcome.status != "SUCCEEDED" || result.events.count != 2 * states + 2 { failures += 1 }
            if round >= warmup { samples.append(perTransition) }
        }
        if failures > 0 { problem("states: \(failures) executions did not succeed with \(2 * states + 2) events") }
        report.add(
            Figure(
                id: "states.pass-transition", section: section,
                label: "interpreter: one Pass state (entered + exited events, checkpoint)", unit: "µs",
                summary: Summary(samples),
                note:
                    "\(states) Pass states per execution, no pacer, observer none; per transition = execution ÷ \(states)"
            ).against(floor))
    }
}

/// A machine of Pass states calls no function.
private struct NoTasks: TaskInvoker {
    func invoke(_ invocation: TaskInvocation) async -> TaskInvocationResult {
        .serviceError(name: "Bench.NoTasks", message: "the benchmark machine has no tasks")
    }
}
