import FnhostSimulation
import FnhostWire

extension ExecutionRun {
    func runParallel(
        _ parallel: ParallelState, _ step: StateStep, entered: Int, enteredTime: Timestamp, next: String?
    ) async throws -> (JSONValue, String?) {
        let state = step.state
        let lane = step.lane
        let context = self.context(stateName: state.name, enteredTime: enteredTime, retryCount: 0)
        return try await finishWithCatch(state, step, catchers: parallel.catchers, next: next, context: context) {
            let effective = try selectInput(state, step.rawInput, context)
            var random = self.random("parameters", state: state.name, entered: entered)
            let branchInput =
                try parallel.parameters?.evaluate(input: effective, context: context, random: &random) ?? effective
            let results = try await withRetry(
                parallel.retry, step, entered: entered,
                onInterrupted: { attempt in
                    lane.last = await recorder.record("ParallelStateFailed", after: lane.last)
                    return interruptedError(state, attempt: attempt)
                },
                body: { attempt, counts in
                    if step.topLevel { await checkpointRunning(step, counts: counts) }
                    lane.last = await recorder.record("ParallelStateStarted", after: lane.last)
                    let started = lane.last
                    do {
                        let outputs = try await withThrowingTaskGroup(of: (Int, JSONValue, Int).self) { group in
                            for (i, branch) in parallel.branches.enumerated() {
                                group.addTask {
                                    let branchLane = Lane(last: started)
                                    do {
                                        let out = try await self.runGraph(branch, input: branchInput, lane: branchLane)
                                        return (i, out, branchLane.last)
                                    } catch let error as StatesError {
                                        throw BranchFailure(error: error, last: branchLane.last)
                                    }
                                }
                            }
                            var outputs = [JSONValue](repeating: .null, count: parallel.branches.count)
                            var last = started
                            do {
                                for try await (i, out, branchLast) in group {
                                    outputs[i] = out
                                    last = max(last, branchLast)
                                }
                            } catch {
                                // One branch failed: stop the others (their invocations and waits are cancelled).
                                group.cancelAll()
                                throw error
                            }
                            lane.last = last
                            return outputs
                        }
                        lane.last = await recorder.record("ParallelStateSucceeded", after: lane.last)
                        return .array(outputs)
                    } catch let failure as BranchFailure {
                        lane.last = await recorder.record("ParallelStateFailed", after: failure.last)
                        throw failure.error
                    }
                })
            return try processResult(
                results, selector: parallel.resultSelector, resultPath: parallel.resultPath, state, step,
                context: context, entered: entered)
        }
    }

    func checkpointRunning(_ step: StateStep, counts: [Int]) async {
        await recorder.checkpoint(
            ExecutionCheckpoint(
                stateName: step.state.name, input: step.rawInput, lastEventId: step.lane.last, nextEventId: 0,
                retryCounts: counts, phase: .running))
    }

    func runMap(
        _ map: MapState, _ step: StateStep, entered: Int, enteredTime: Timestamp, next: String?
    ) async throws -> (JSONValue, String?) {
        let state = step.state
        let lane = step.lane
        let context = self.context(stateName: state.name, enteredTime: enteredTime, retryCount: 0)
        return try await finishWithCatch(state, step, catchers: map.catchers, next: next, context: context) {
            let effective = try selectInput(state, step.rawInput, context)
            guard let selected = map.itemsPath.select(input: effective, context: context) else {
                throw StatesError.runtime(
                    "Invalid path '\(map.itemsPath.text)' : No results for path (ItemsPath) in "
                        + JSONText.quoteShortened(effective.text, limit: 200))
            }
            guard case .array(let items) = selected else {
                throw StatesError.runtime(
                    "The ItemsPath '\(map.itemsPath.text)' of the Map state '\(state.name)' must select an array, "
                        + "not \(selected.kind)")
            }
            var limit = map.maxConcurrency
            if let path = map.maxConcurrencyPath {
                guard case .number(let d)? = path.select(input: effective, context: context), d >= 0, d == d.rounded(),
                    d < 1e9
                else {
                    throw StatesError.runtime(
                        "The MaxConcurrencyPath '\(path.text)' must select a non-negative integer")
                }
                limit = Int(d)
            }
            if limit == 0 { limit = max(items.count, 1) }
            let results = try await withRetry(
                map.retry, step, entered: entered,
                onInterrupted: { attempt in
                    lane.last = await recorder.record("MapStateFailed", after: lane.last)
                    return interruptedError(state, attempt: attempt)
                },
                body: { attempt, counts in
                    if step.topLevel { await checkpointRunning(step, counts: counts) }
                    lane.last = await recorder.record(
                        "MapStateStarted", after: lane.last, "mapStateStartedEventDetails",
                        ["length": .number(Double(items.count))])
                    let started = lane.last
                    do {
                        let outputs = try await withThrowingTaskGroup(of: (Int, JSONValue, Int).self) { group in
                            var nextIndex = 0
                            var outputs = [JSONValue](repeating: .null, count: items.count)
                            var last = started
                            // At most `limit` iterations at once: start that many, then one more as each ends.
                            while nextIndex < min(limit, items.count) {
                                let i = nextIndex
                                group.addTask {
                                    try await self.runIteration(
                                        map, state, index: i, item: items[i], input: effective, after: started,
                                        entered: entered, enteredTime: enteredTime)
                                }
                                nextIndex += 1
                            }
                            do {
                                while let (i, out, iterationLast) = try await group.next() {
                                    outputs[i] = out
                                    last = max(last, iterationLast)
                                    if nextIndex < items.count {
                                        let j = nextIndex
                                        group.addTask {
                                            try await self.runIteration(
                                                map, state, index: j, item: items[j], input: effective,
                                                after: started, entered: entered, enteredTime: enteredTime)
                                        }
                                        nextIndex += 1
                                    }
                                }
                            } catch {
                                group.cancelAll()
                                throw error
                            }
                            lane.last = last
                            return outputs
                        }
                        lane.last = await recorder.record("MapStateSucceeded", after: lane.last)
                        return .array(outputs)
                    } catch let failure as BranchFailure {
                        lane.last = await recorder.record("MapStateFailed", after: failure.last)
                        throw failure.error
                    }
                })
            return try processResult(
                results, selector: map.resultSelector, resultPath: map.resultPath, state, step, context: context,
                entered: entered)
        }
    }

    /// One Map iteration: `ItemSelector` (with `$$.Map.Item`) then the item processor, between
    /// `MapIterationStarted` and `MapIterationSucceeded`/`Failed`/`Aborted`.
    func runIteration(
        _ map: MapState, _ state: State, index: Int, item: JSONValue, input: JSONValue, after started: Int,
        entered: Int, enteredTime: Timestamp
    ) async throws -> (Int, JSONValue, Int) {
        let fields: [String: JSONValue] = ["name": .string(state.name), "index": .number(Double(index))]
        let lane = Lane(last: started)
        lane.last = await recorder.record(
            "MapIterationStarted", after: started, "mapIterationStartedEventDetails", fields)
        do {
            let context = self.context(
                stateName: state.name, enteredTime: enteredTime, retryCount: 0,
                mapItem: MapItem(index: index, value: item))
            var random = self.random("itemSelector/\(index)", state: state.name, entered: entered)
            let iterationInput = try map.itemSelector?.evaluate(input: input, context: context, random: &random) ?? item
            let output = try await runGraph(map.processor, input: iterationInput, lane: lane)
            lane.last = await recorder.record(
                "MapIterationSucceeded", after: lane.last, "mapIterationSucceededEventDetails", fields)
            return (index, output, lane.last)
        } catch let error as StatesError {
            lane.last = await recorder.record(
                "MapIterationFailed", after: lane.last, "mapIterationFailedEventDetails", fields)
            throw BranchFailure(error: error, last: lane.last)
        } catch {
            lane.last = await recorder.record(
                "MapIterationAborted", after: lane.last, "mapIterationAbortedEventDetails", fields)
            throw error
        }
    }
}
