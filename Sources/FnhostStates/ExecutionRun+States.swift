import FnhostSimulation
import FnhostWire

extension ExecutionRun {
    /// Runs one state: its output and the next state's name (nil at the end of its graph).
    func run(_ step: StateStep) async throws -> (JSONValue, String?) {
        let state = step.state
        let lane = step.lane
        let entered: Int
        if await recorder.isFull { throw StatesError.historyFull }
        if step.resuming {
            entered = lane.last
        } else {
            try await pacer?.transition(into: state.name, after: lane.last, execution: identity)
            entered = await recorder.record(
                "\(state.typeName)StateEntered", after: lane.last, "stateEnteredEventDetails",
                [
                    "name": .string(state.name), "input": .string(step.rawInput.text),
                    "inputDetails": .truncatedFalse,
                ])
            lane.last = entered
        }
        let enteredTime = clock.now()
        let context = self.context(stateName: state.name, enteredTime: enteredTime, retryCount: 0)
        var next: String? = nil
        if case .next(let n)? = state.transition { next = n }

        let output: JSONValue
        switch state.kind {
        case .pass(let pass):
            let effective = try selectInput(state, step.rawInput, context)
            var random = self.random("parameters", state: state.name, entered: entered)
            let parameters = try pass.parameters?.evaluate(input: effective, context: context, random: &random)
            let result = pass.result ?? parameters ?? effective
            output = try selectOutput(state, try pass.resultPath.apply(result: result, to: step.rawInput), context)

        case .succeed:
            output = try selectOutput(state, try selectInput(state, step.rawInput, context), context)
            next = nil

        case .fail(let fail):
            var random = self.random("fail", state: state.name, entered: entered)
            let error = try failField(fail.error, "Error", step.rawInput, context, &random)
            let cause = try failField(fail.cause, "Cause", step.rawInput, context, &random)
            throw StatesError(error ?? "", cause ?? "")

        case .choice(let choice):
            let effective = try selectInput(state, step.rawInput, context)
            var chosen: String? = nil
            for branch in choice.choices where try branch.rule.holds(input: effective, context: context) {
                chosen = branch.next
                break
            }
            guard let target = chosen ?? choice.defaultNext else {
                throw StatesError.runtime(
                    "No choice rule of the Choice state '\(state.name)' matched its input and it has no Default "
                        + "(States.NoChoiceMatched; Step Functions reports it as States.Runtime)")
            }
            next = target
            output = try selectOutput(state, effective, context)

        case .wait(let wait):
            let effective = try selectInput(state, step.rawInput, context)
            let deadline: Timestamp
            if case .waiting(let d) = step.resumePhase {
                deadline = d
            } else {
                deadline = try waitDeadline(wait, effective, context, from: enteredTime)
            }
            if step.topLevel {
                await recorder.checkpoint(
                    ExecutionCheckpoint(
                        stateName: state.name, input: step.rawInput, lastEventId: lane.last, nextEventId: 0,
                        retryCounts: [], phase: .waiting(deadline: deadline)))
            }
            try await clock.sleep(seconds: max(0, clock.now().seconds(until: deadline)))
            output = try selectOutput(state, effective, context)

        case .task(let task):
            return try await runTask(task, step, entered: entered, enteredTime: enteredTime, next: next)

        case .parallel(let parallel):
            return try await runParallel(parallel, step, entered: entered, enteredTime: enteredTime, next: next)

        case .map(let map):
            return try await runMap(map, step, entered: entered, enteredTime: enteredTime, next: next)
        }
        try exit(state, output: output, lane: lane)
        lane.last = await recorder.record(
            "\(state.typeName)StateExited", after: lane.last, "stateExitedEventDetails",
            ["name": .string(state.name), "output": .string(output.text), "outputDetails": .truncatedFalse])
        return (output, next)
    }

    /// Refuses an output larger than Step Functions passes between states.
    func exit(_ state: State, output: JSONValue, lane: Lane) throws {
        let size = output.serialized.count
        if size > Self.maxPayloadBytes {
            throw StatesError(
                StatesError.dataLimitExceeded,
                "The state/task '\(state.name)' returned a result with a size exceeding the maximum number of bytes "
                    + "service limit (\(size) > \(Self.maxPayloadBytes)).")
        }
    }

    /// `InputPath` applied: `{}` when null; a path that matches nothing is `States.Runtime`.
    func selectInput(_ state: State, _ raw: JSONValue, _ context: JSONValue) throws(StatesError) -> JSONValue {
        try select(state.inputPath, "InputPath", raw, context)
    }

    /// `OutputPath` applied: `{}` when null.
    func selectOutput(_ state: State, _ value: JSONValue, _ context: JSONValue) throws(StatesError) -> JSONValue {
        try select(state.outputPath, "OutputPath", value, context)
    }

    func select(_ path: JSONPath?, _ field: String, _ value: JSONValue, _ context: JSONValue) throws(StatesError)
        -> JSONValue
    {
        guard let path else { return .object([:]) }
        if path.segments.isEmpty && path.root == .input { return value }
        guard let selected = path.select(input: value, context: context) else {
            throw StatesError.runtime(
                "Invalid path '\(path.text)' : No results for path: \(path.text) (\(field)) in "
                    + "\(JSONText.quoteShortened(value.text, limit: 200))")
        }
        return selected
    }

    func failField(
        _ field: FailField?, _ name: String, _ input: JSONValue, _ context: JSONValue, _ random: inout SeededGenerator
    ) throws(StatesError) -> String? {
        guard let field else { return nil }
        let value: JSONValue
        switch field {
        case .literal(let s): return s
        case .path(let p):
            guard let v = p.select(input: input, context: context) else {
                throw StatesError.runtime("The JSONPath '\(p.text)' of the field '\(name)Path' could not be found")
            }
            value = v
        case .intrinsic(let call):
            value = try call.evaluate(input: input, context: context, random: &random)
        }
        guard case .string(let s) = value else {
            throw StatesError.runtime("The field '\(name)Path' must select a string, not \(value.kind)")
        }
        return s
    }

    func waitDeadline(
        _ wait: WaitState, _ input: JSONValue, _ context: JSONValue, from entered: Timestamp
    ) throws(StatesError) -> Timestamp {
        switch wait {
        case .seconds(let s): return entered.adding(seconds: Double(s))
        case .timestamp(let t): return t
        case .secondsPath(let p):
            guard let v = p.select(input: input, context: context) else {
                throw StatesError.runtime("Invalid path '\(p.text)' : No results for path (SecondsPath)")
            }
            guard case .number(let d) = v, d >= 0, d == d.rounded(), d <= 99_999_999 else {
                throw StatesError.runtime(
                    "The SecondsPath '\(p.text)' must select a non-negative integer, not \(v.shortDescription)")
            }
            return entered.adding(seconds: d)
        case .timestampPath(let p):
            guard let v = p.select(input: input, context: context) else {
                throw StatesError.runtime("Invalid path '\(p.text)' : No results for path (TimestampPath)")
            }
            guard case .string(let s) = v, let t = Timestamp(rfc3339: s) else {
                throw StatesError.runtime(
                    "The TimestampPath '\(p.text)' must select an RFC 3339 timestamp, not \(v.shortDescription)")
            }
            return t
        }
    }

    /// What a Task, Parallel or Map state passes on after its work: `ResultSelector`, `ResultPath` (onto the raw
    /// input), `OutputPath`; or, when `Catch` takes the error, the error output placed by the catcher's `ResultPath`.
    func finishWithCatch(
        _ state: State, _ step: StateStep, catchers: [Catcher], next: String?, context: JSONValue,
        body: () async throws -> JSONValue
    ) async throws -> (JSONValue, String?) {
        let lane = step.lane
        do {
            let output = try await body()
            try exit(state, output: output, lane: lane)
            lane.last = await recorder.record(
                "\(state.typeName)StateExited", after: lane.last, "stateExitedEventDetails",
                ["name": .string(state.name), "output": .string(output.text), "outputDetails": .truncatedFalse])
            return (output, next)
        } catch let error as StatesError {
            guard let catcher = catchers.first(where: { error.isMatched(by: $0.errorEquals) }) else { throw error }
            let output = try catcher.resultPath.apply(result: error.errorOutput, to: step.rawInput)
            lane.last = await recorder.record(
                "\(state.typeName)StateExited", after: lane.last, "stateExitedEventDetails",
                ["name": .string(state.name), "output": .string(output.text), "outputDetails": .truncatedFalse])
            return (output, catcher.next)
        }
    }

    func processResult(
        _ result: JSONValue, selector: PayloadTemplate?, resultPath: ResultPath, _ state: State, _ step: StateStep,
        context: JSONValue, entered: Int
    ) throws -> JSONValue {
        var random = self.random("resultSelector", state: state.name, entered: entered)
        let selected = try selector?.evaluate(input: result, context: context, random: &random) ?? result
        return try selectOutput(state, try resultPath.apply(result: selected, to: step.rawInput), context)
    }
}
