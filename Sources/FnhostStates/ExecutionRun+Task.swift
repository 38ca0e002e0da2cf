import FnhostSimulation
import FnhostWire

extension ExecutionRun {
    func runTask(
        _ task: TaskState, _ step: StateStep, entered: Int, enteredTime: Timestamp, next: String?
    ) async throws -> (JSONValue, String?) {
        let state = step.state
        let lane = step.lane
        let baseContext = context(stateName: state.name, enteredTime: enteredTime, retryCount: 0)
        return try await finishWithCatch(state, step, catchers: task.catchers, next: next, context: baseContext) {
            let effective = try selectInput(state, step.rawInput, baseContext)
            let result = try await withRetry(
                task.retry, step, entered: entered,
                onInterrupted: { attempt in
                    let error = interruptedError(state, attempt: attempt)
                    await recordTaskFailure(task, error, lane: lane, timedOut: false)
                    return error
                },
                body: { attempt, counts in
                    let context = self.context(
                        stateName: state.name, enteredTime: enteredTime, retryCount: attempt - 1)
                    var random = self.random("parameters/\(attempt)", state: state.name, entered: entered)
                    let parameters =
                        try task.parameters?.evaluate(input: effective, context: context, random: &random) ?? effective
                    let timeout = try taskTimeout(task.timeout, effective, context)
                    let heartbeat = try taskTimeout(task.heartbeat, effective, context, field: "HeartbeatSecondsPath")
                    if step.topLevel {
                        await recorder.checkpoint(
                            ExecutionCheckpoint(
                                stateName: state.name, input: step.rawInput, lastEventId: lane.last, nextEventId: 0,
                                retryCounts: counts, phase: .taskInFlight(attempt: attempt)))
                    }
                    return try await invoke(
                        task, state: state, parameters: parameters,
                        limits: TaskLimits(timeout: timeout, heartbeat: heartbeat),
                        lane: lane, attempt: attempt, entered: entered, random: &random)
                })
            return try processResult(
                result, selector: task.resultSelector, resultPath: task.resultPath, state, step, context: baseContext,
                entered: entered)
        }
    }

    func taskTimeout(
        _ setting: TimeoutSetting?, _ input: JSONValue, _ context: JSONValue, field: String = "TimeoutSecondsPath"
    ) throws(StatesError) -> Int? {
        switch setting {
        case nil: return nil
        case .seconds(let s): return s
        case .path(let p):
            guard let v = p.select(input: input, context: context) else {
                throw StatesError.runtime("Invalid path '\(p.text)' : No results for path (\(field))")
            }
            guard case .number(let d) = v, d >= 1, d == d.rounded(), d <= 99_999_999 else {
                throw StatesError.runtime(
                    "The \(field) '\(p.text)' must select a positive integer, not \(v.shortDescription)")
            }
            return Int(d)
        }
    }

    /// The resource fields of `Task…` events for `lambda:invoke`.
    static let lambdaInvokeFields: [String: JSONValue] = [
        "resourceType": .string("lambda"), "resource": .string("invoke"),
    ]

    func invoke(
        _ task: TaskState, state: State, parameters: JSONValue, limits: TaskLimits, lane: Lane, attempt: Int,
        entered: Int, random: inout SeededGenerator
    ) async throws -> JSONValue {
        let timeout = limits.timeout
        let functionName: String
        let payload: JSONValue
        // No invocation that its history could not show.
        if await recorder.isFull { throw StatesError.historyFull }
        switch task.resource {
        case .function(let name):
            functionName = name
            payload = parameters
            var details: [String: JSONValue] = [
                "resource": .string(task.resourceText), "input": .string(payload.text), "inputDetails": .truncatedFalse,
            ]
            if let timeout { details["timeoutInSeconds"] = .number(Double(timeout)) }
            lane.last = await recorder.record(
                "LambdaFunctionScheduled", after: lane.last, "lambdaFunctionScheduledEventDetails", details)
            lane.last = await recorder.record("LambdaFunctionStarted", after: lane.last)
        case .lambdaInvoke:
            guard case .object(let p) = parameters, case .string(let name)? = p["FunctionName"] else {
                throw StatesError.runtime(
                    "The Parameters of \(TaskResource.lambdaInvokeARN) must give FunctionName as a string: "
                        + JSONText.quoteShortened(parameters.text))
            }
            functionName = name
            payload = p["Payload"] ?? .object([:])
            var details = Self.lambdaInvokeFields
            details["region"] = .string(region)
            details["parameters"] = .string(parameters.text)
            if let timeout { details["timeoutInSeconds"] = .number(Double(timeout)) }
            lane.last = await recorder.record("TaskScheduled", after: lane.last, "taskScheduledEventDetails", details)
            lane.last = await recorder.record(
                "TaskStarted", after: lane.last, "taskStartedEventDetails", Self.lambdaInvokeFields)
        }
        let invocation = TaskInvocation(
            functionName: functionName, payload: payload, stateName: state.name, attempt: attempt,
            stateEnteredEventId: entered)
        let (limit, isHeartbeat) = limits.first
        let answer = try await invokeWithTimeout(invocation, timeout: limit)
        try Task.checkCancellation()
        guard let answer else {
            let error =
                isHeartbeat
                ? StatesError(
                    StatesError.heartbeatTimeout,
                    "The task '\(state.name)' sent no heartbeat for its HeartbeatSeconds (\(limit ?? 0) s): a Lambda "
                        + "function never sends one, so a task that runs longer than HeartbeatSeconds times out")
                : StatesError(
                    StatesError.timeout,
                    "The task '\(state.name)' ran longer than its TimeoutSeconds (\(limit ?? 0) s)")
            await recordTaskFailure(task, error, lane: lane, timedOut: true)
            throw error
        }
        if let error = answer.error {
            await recordTaskFailure(task, error, lane: lane, timedOut: false)
            throw error
        }
        guard case .succeeded(let result, let version) = answer else {
            fatalError("an answer is a success or an error")
        }
        switch task.resource {
        case .function:
            lane.last = await recorder.record(
                "LambdaFunctionSucceeded", after: lane.last, "lambdaFunctionSucceededEventDetails",
                ["output": .string(result.text), "outputDetails": .truncatedFalse])
            return result
        case .lambdaInvoke:
            let output = Self.lambdaInvokeResult(
                payload: result, executedVersion: version, requestId: UUIDv4.make(using: &random))
            var details = Self.lambdaInvokeFields
            details["output"] = .string(output.text)
            details["outputDetails"] = .truncatedFalse
            lane.last = await recorder.record("TaskSucceeded", after: lane.last, "taskSucceededEventDetails", details)
            return output
        }
    }

    /// The result of `arn:aws:states:::lambda:invoke`: the Lambda Invoke API's answer as the AWS SDK gives it
    /// (https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html).
    static func lambdaInvokeResult(payload: JSONValue, executedVersion: String, requestId: String) -> JSONValue {
        let length = String(payload.serialized.count)
        return .object([
            "ExecutedVersion": .string(executedVersion),
            "Payload": payload,
            "SdkHttpMetadata": .object([
                "AllHttpHeaders": .object([
                    "X-Amz-Executed-Version": .array([.string(executedVersion)]),
                    "x-amzn-RequestId": .array([.string(requestId)]),
                    "Connection": .array([.string("keep-alive")]),
                    "Content-Length": .array([.string(length)]),
                    "Content-Type": .array([.string("application/json")]),
                ]),
                "HttpHeaders": .object([
                    "X-Amz-Executed-Version": .string(executedVersion), "x-amzn-RequestId": .string(requestId),
                    "Connection": .string("keep-alive"), "Content-Length": .string(length),
                    "Content-Type": .string("application/json"),
                ]),
                "HttpStatusCode": .number(200),
            ]),
            "SdkResponseMetadata": .object(["RequestId": .string(requestId)]),
            "StatusCode": .number(200),
        ])
    }

    func recordTaskFailure(_ task: TaskState, _ error: StatesError, lane: Lane, timedOut: Bool) async {
        let errorFields: [String: JSONValue] = ["error": .string(error.name), "cause": .string(error.cause)]
        switch task.resource {
        case .function:
            let type = timedOut ? "LambdaFunctionTimedOut" : "LambdaFunctionFailed"
            let field = timedOut ? "lambdaFunctionTimedOutEventDetails" : "lambdaFunctionFailedEventDetails"
            lane.last = await recorder.record(type, after: lane.last, field, errorFields)
        case .lambdaInvoke:
            let type = timedOut ? "TaskTimedOut" : "TaskFailed"
            let field = timedOut ? "taskTimedOutEventDetails" : "taskFailedEventDetails"
            lane.last = await recorder.record(
                type, after: lane.last, field, errorFields.merging(Self.lambdaInvokeFields) { a, _ in a })
        }
    }

    /// The invoker's answer, or nil when `timeout` seconds passed first (the invocation is then cancelled).
    func invokeWithTimeout(_ invocation: TaskInvocation, timeout: Int?) async throws -> TaskInvocationResult? {
        guard let timeout else { return await invoker.invoke(invocation) }
        return try await withThrowingTaskGroup(of: TaskInvocationResult?.self) { group in
            group.addTask { await self.invoker.invoke(invocation) }
            group.addTask {
                try await self.clock.sleep(seconds: Double(timeout))
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}

/// A task's time limits: `TimeoutSeconds` and `HeartbeatSeconds` (each resolved, nil when not set).
struct TaskLimits: Sendable {
    var timeout: Int?
    var heartbeat: Int?

    /// The limit that comes first, and whether it is the heartbeat's (no heartbeat ever comes from a Lambda task).
    var first: (seconds: Int?, isHeartbeat: Bool) {
        guard let heartbeat else { return (timeout, false) }
        guard let timeout, timeout <= heartbeat else { return (heartbeat, true) }
        return (timeout, false)
    }
}
