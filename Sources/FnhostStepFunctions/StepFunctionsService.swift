import FnhostStates
import FnhostTraces
import FnhostWire
import Foundation

/// The Step Functions API's state and behaviour, without HTTP: state machines (from files and from
/// `CreateStateMachine`), executions run by the ASL ``Interpreter`` through the environment's ``TaskInvoker`` and
/// kept in an ``ExecutionStore``, and one `handle` that answers a request with AWS JSON 1.0's body or error.
public actor StepFunctionsService {
    /// What executions run on: the task invoker (fnhost's pools), the transition pacer, time and identity.
    public struct Environment: Sendable {
        public var invoker: any TaskInvoker
        public var pacer: (any TransitionPacer)?
        /// Real seconds per simulated second (`--time-scale`): Wait states and retry intervals.
        public var realSecondsPerSecond: Double
        public var seed: UInt64
        public var region: String
        public var account: String
        public var metrics: StepFunctionsMetrics
        /// Told each execution's trace when it ends (succeeded, failed, aborted, timed out; resumed ones with the
        /// history there is); `fnhost serve` hands it to the host's trace recorder.
        public var onTrace: (@Sendable (Trace) -> Void)?
        /// The account in the ARNs `fnhost serve` gives state machines and executions.
        public static let defaultAccount = "000000000000"

        public init(
            invoker: any TaskInvoker, pacer: (any TransitionPacer)? = nil, realSecondsPerSecond: Double = 1,
            seed: UInt64 = 1, region: String = "us-east-1", account: String = Environment.defaultAccount,
            metrics: StepFunctionsMetrics = StepFunctionsMetrics(), onTrace: (@Sendable (Trace) -> Void)? = nil
        ) {
            self.metrics = metrics
            self.onTrace = onTrace
            self.invoker = invoker
            self.pacer = pacer
            self.realSecondsPerSecond = realSecondsPerSecond
            self.seed = seed
            self.region = region
            self.account = account
        }
    }

    /// One state machine.
    public struct Machine: Sendable {
        public var name: String
        public var arn: String
        public var definitionText: String
        public var definition: StateMachineDefinition
        public var type: StateMachineType
        public var roleArn: String
        public var creationDate: Timestamp
    }

    public let environment: Environment
    /// Where STANDARD executions and the state machines created through the API are kept (durable in `fnhost serve`).
    public let store: any ExecutionStore
    /// EXPRESS executions: in memory only, as AWS keeps no history for them.
    let expressStore = InMemoryExecutionStore()
    /// What the executions so far would cost on AWS Step Functions.
    public let usage = StepFunctionsUsage()
    private var machines: [String: Machine] = [:]
    private var running: [String: (task: Task<Void, Never>, stop: ExecutionStop)] = [:]
    /// Set at shutdown: executions stop where they are and stay RUNNING in the store, to be resumed at the next start.
    private let suspension = SuspensionFlag()

    public init(
        environment: Environment, store: any ExecutionStore = InMemoryExecutionStore(), files: [StateMachineFile] = []
    ) {
        self.environment = environment
        self.store = store
        let now = Self.now()
        for file in files {
            let arn = StepFunctionsARN.stateMachine(
                region: environment.region, account: environment.account, name: file.name)
            machines[arn] = Machine(
                name: file.name, arn: arn, definitionText: file.definitionText, definition: file.definition,
                type: file.type, roleArn: "arn:aws:iam::\(environment.account):role/fnhost", creationDate: now)
        }
    }

    /// Adds the state machines created through the API in an earlier run (kept in the store); a file's machine of
    /// the same name wins. A stored definition this fnhost refuses is skipped and reported in the returned list.
    @discardableResult
    public func loadStoredMachines() async throws(ExecutionStoreError) -> [String] {
        var problems: [String] = []
        for stored in try await store.machines() where machines[stored.arn] == nil {
            do {
                let definition = try StateMachineDefinition.parse(stored.definitionText)
                machines[stored.arn] = Machine(
                    name: stored.name, arn: stored.arn, definitionText: stored.definitionText, definition: definition,
                    type: stored.type, roleArn: stored.roleArn, creationDate: stored.creationDate)
            } catch {
                problems.append("state machine \(stored.name): \(error)")
            }
        }
        return problems
    }

    /// Resumes the STANDARD executions left RUNNING by an earlier run, each from its last checkpoint (see
    /// ``Interpreter/resume(_:from:stop:observer:)``); returns how many. One whose definition or checkpoint cannot
    /// be used is failed with `States.Runtime` and the reason.
    @discardableResult
    public func resumeInterrupted() async throws(ExecutionStoreError) -> Int {
        var resumed = 0
        for record in try await store.running()
        where record.type == .standard && running[record.identity.executionArn] == nil {
            let arn = record.identity.executionArn
            let history = try await store.history(arn)
            let lastTime = history.last?.timestamp ?? record.identity.startTime
            guard let text = record.definitionText ?? machines[record.identity.stateMachineArn]?.definitionText,
                let definition = try? StateMachineDefinition.parse(text),
                var checkpoint = record.checkpoint, definition.graph.states[checkpoint.stateName] != nil
            else {
                let error = StatesError(
                    "States.Runtime",
                    "fnhost restarted and could not resume this execution: no usable checkpoint or definition")
                let lastId = history.last?.id ?? 0
                let event = HistoryEvent(
                    id: lastId + 1, previousEventId: lastId, timestamp: lastTime, type: "ExecutionFailed",
                    detailsField: "executionFailedEventDetails",
                    details: .object(["error": .string(error.name), "cause": .string(error.cause)]))
                await store.append(event, execution: arn)
                await store.finish(execution: arn, outcome: .failed(error), stop: nil, at: lastTime)
                continue
            }
            switch checkpoint.phase {
            case .taskInFlight, .running:
                // What was started is in the history (the task's Scheduled/Started events, a Parallel's branches):
                // the interruption follows the last event kept.
                if let last = history.last, last.id >= checkpoint.nextEventId {
                    checkpoint.lastEventId = last.id
                    checkpoint.nextEventId = last.id + 1
                }
            case .entering, .waiting, .retrying:
                // Nothing outside fnhost happened after this checkpoint: the events written after it are written
                // again by the resumed run.
                try await store.dropEvents(execution: arn, from: checkpoint.nextEventId)
            }
            let machine = Machine(
                name: record.identity.stateMachineName, arn: record.identity.stateMachineArn, definitionText: text,
                definition: definition, type: .standard, roleArn: record.identity.roleArn,
                creationDate: record.identity.startTime)
            launch(machine, identity: record.identity, resumeFrom: checkpoint, clockStart: lastTime)
            resumed += 1
        }
        return resumed
    }

    /// The state machines, sorted by name.
    public var machineList: [Machine] { machines.values.sorted { $0.name < $1.name } }

    /// Answers one request: HTTP status and body.
    public func handle(target: String?, body: [UInt8]) async -> (status: Int, body: [UInt8]) {
        do throws(StepFunctionsError) {
            let request = try StepFunctionsRequest.decode(target: target, body: body)
            return (200, try await handle(request).serialized)
        } catch {
            return (error.status, error.body)
        }
    }

    /// Answers one decoded request with its response object.
    public func handle(_ request: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        switch request.operation {
        case .createStateMachine: return try await createStateMachine(request)
        case .describeStateMachine: return try describe(machine(request)).json
        case .listStateMachines: return try listStateMachines(request)
        case .deleteStateMachine:
            let arn = try machine(request).arn
            machines[arn] = nil
            try await storing { () async throws(ExecutionStoreError) in try await store.deleteMachine(arn: arn) }
            return .object([:])
        case .startExecution: return try await startExecution(request)
        case .startSyncExecution: return try await startSyncExecution(request)
        case .describeExecution: return try await describeExecution(execution(request))
        case .getExecutionHistory: return try await history(request)
        case .listExecutions: return try await listExecutions(request)
        case .stopExecution: return try await stopExecution(request)
        }
    }

    /// Waits for every running execution to end (after stopping them when `stop` is true: ABORTED).
    public func shutdown(stop: Bool) async {
        for (_, run) in running {
            if stop { run.task.cancel() }
            await run.task.value
        }
    }

    /// Stops every running execution where it is without ending it: STANDARD executions stay RUNNING in the store,
    /// at their last checkpoint, and resume at the next start (``resumeInterrupted()``); nothing more is written.
    public func suspend() async {
        suspension.set()
        for (_, run) in running {
            run.task.cancel()
            await run.task.value
        }
    }

    /// Runs a store call, answering its failure as the API's internal error.
    func storing<T: Sendable>(_ body: () async throws(ExecutionStoreError) -> T) async throws(StepFunctionsError)
        -> T
    {
        do { return try await body() } catch {
            throw StepFunctionsError("InternalServerError", "fnhost's store failed: \(error)", status: 500)
        }
    }

    // MARK: State machines

    private func createStateMachine(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        let name = try r.requiredString("name")
        let text = try r.requiredString("definition")
        let roleArn = try r.requiredString("roleArn")
        guard StepFunctionsARN.isValidName(name) else {
            throw StepFunctionsError("InvalidName", "Invalid Name: '\(name)'")
        }
        let typeText = try r.string("type") ?? "STANDARD"
        guard let type = StateMachineType(rawValue: typeText) else {
            throw .validation(
                "type", value: typeText, constraint: "Member must satisfy enum value set: [STANDARD, EXPRESS]")
        }
        let definition: StateMachineDefinition
        do { definition = try StateMachineDefinition.parse(text) } catch {
            throw StepFunctionsError(InvalidDefinition.errorCode, error.description)
        }
        let arn = StepFunctionsARN.stateMachine(region: environment.region, account: environment.account, name: name)
        if let existing = machines[arn] {
            guard existing.definitionText == text, existing.roleArn == roleArn, existing.type == type else {
                throw StepFunctionsError("StateMachineAlreadyExists", "State Machine Already Exists: '\(arn)'")
            }
            return .object(["stateMachineArn": .string(arn), "creationDate": existing.creationDate.json])
        }
        let machine = Machine(
            name: name, arn: arn, definitionText: text, definition: definition, type: type, roleArn: roleArn,
            creationDate: Self.now())
        let stored = StoredMachine(
            name: name, arn: arn, definitionText: text, type: type, roleArn: roleArn, creationDate: machine.creationDate
        )
        try await storing { () async throws(ExecutionStoreError) in try await store.saveMachine(stored) }
        machines[arn] = machine
        return .object(["stateMachineArn": .string(arn), "creationDate": machine.creationDate.json])
    }

    private func machine(_ r: StepFunctionsRequest) throws(StepFunctionsError) -> Machine {
        let arn = try r.requiredString("stateMachineArn")
        guard StepFunctionsARN.stateMachineName(arn) != nil else { throw .invalidArn(arn, field: "stateMachineArn") }
        guard let machine = machines[arn] else { throw .stateMachineDoesNotExist(arn) }
        return machine
    }

    private func describe(_ m: Machine) -> (Machine, json: JSONValue) {
        (
            m,
            .object([
                "stateMachineArn": .string(m.arn), "name": .string(m.name), "status": .string("ACTIVE"),
                "definition": .string(m.definitionText), "roleArn": .string(m.roleArn),
                "type": .string(m.type.rawValue),
                "creationDate": m.creationDate.json,
                "loggingConfiguration": .object(["level": .string("OFF"), "includeExecutionData": .bool(false)]),
                "tracingConfiguration": .object(["enabled": .bool(false)]),
            ])
        )
    }

    private func listStateMachines(_ r: StepFunctionsRequest) throws(StepFunctionsError) -> JSONValue {
        let all = machineList.map { m -> JSONValue in
            .object([
                "stateMachineArn": .string(m.arn), "name": .string(m.name), "type": .string(m.type.rawValue),
                "creationDate": m.creationDate.json,
            ])
        }
        return try Self.page(all, key: "stateMachines", r, defaultSize: 100)
    }

    // MARK: Executions

    private func startExecution(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        let machine = try machine(r)
        let (name, input) = try executionArguments(r)
        let arn: String
        if machine.type == .express {
            arn = StepFunctionsARN.expressExecution(
                region: environment.region, account: environment.account, machine: machine.name, name: name,
                id: UUID().uuidString.lowercased())
        } else {
            arn = StepFunctionsARN.execution(
                region: environment.region, account: environment.account, machine: machine.name, name: name)
        }
        let store = self.store(for: arn)
        if let existing = try await storing({ () async throws(ExecutionStoreError) in try await store.record(arn) }) {
            return try Self.alreadyStarted(existing, arn: arn, input: input)
        }
        let identity = identity(machine, arn: arn, name: name, input: input)
        // Kept (on disk, for a STANDARD one in fnhost serve) before the answer.
        let record = ExecutionRecord(identity: identity, type: machine.type, definitionText: machine.definitionText)
        do {
            try await store.begin(record)
        } catch {
            // Another request of the same name began it meanwhile (the store keeps one per ARN).
            if let existing = try await storing({ () async throws(ExecutionStoreError) in try await store.record(arn) })
            {
                return try Self.alreadyStarted(existing, arn: arn, input: input)
            }
            throw StepFunctionsError("InternalServerError", "fnhost's store failed: \(error)", status: 500)
        }
        launch(machine, identity: identity, resumeFrom: nil, clockStart: identity.startTime)
        return .object(["executionArn": .string(arn), "startDate": identity.startTime.json])
    }

    /// AWS's answer to a StartExecution whose name is taken: the same answer while it runs with the same input,
    /// `ExecutionAlreadyExists` otherwise.
    static func alreadyStarted(_ existing: ExecutionRecord, arn: String, input: JSONValue) throws(StepFunctionsError)
        -> JSONValue
    {
        guard existing.status == "RUNNING", existing.identity.input == input else {
            throw StepFunctionsError("ExecutionAlreadyExists", "Execution Already Exists: '\(arn)'")
        }
        return .object(["executionArn": .string(arn), "startDate": existing.identity.startTime.json])
    }

    /// Runs an execution (from its start, or from a checkpoint after a restart) as a task of its own, writing its
    /// events, checkpoints and end to the store and the metrics; a suspended service writes nothing more.
    private func launch(
        _ machine: Machine, identity: ExecutionIdentity, resumeFrom checkpoint: ExecutionCheckpoint?,
        clockStart: Timestamp
    ) {
        let arn = identity.executionArn
        let collector = ExecutionTraceCollector(
            startTime: identity.startTime,
            offsetMs: Double(clockStart.epochMilliseconds - identity.startTime.epochMilliseconds))
        let interpreter = interpreter(machine, start: clockStart, collector: collector)
        let store = self.store(for: arn)
        let onTrace = environment.onTrace
        let timeScale = environment.realSecondsPerSecond
        let metrics = environment.metrics
        let usage = self.usage
        let machineName = machine.name
        let type = machine.type
        let suspension = self.suspension
        let stop = ExecutionStop()
        let task = Task {
            let observer: @Sendable (ExecutionProgress) async -> Void = { progress in
                guard !suspension.isSet else { return }
                collector.observe(progress)
                switch progress {
                case .event(let e):
                    await store.append(e, execution: arn)
                    metrics.observe(e, machine: machineName, execution: arn)
                case .checkpoint(let c): await store.checkpoint(c, execution: arn)
                }
            }
            let result = await ExecutionTraceCollector.$current.withValue(collector) { () async -> ExecutionResult in
                if let checkpoint {
                    return await interpreter.resume(identity, from: checkpoint, stop: stop, observer: observer)
                }
                return await interpreter.run(identity, stop: stop, observer: observer)
            }
            guard !suspension.isSet else { return }
            let end = result.events.last?.timestamp ?? Self.now()
            let reason = stop.reason.map { StatesError($0.error ?? "", $0.cause ?? "") }
            await store.finish(execution: arn, outcome: result.outcome, stop: reason, at: end)
            Self.bill(result, type: type, duration: identity.startTime.seconds(until: end) * 1000, usage: usage)
            metrics.finished(machine: machineName, execution: arn, status: result.outcome.status, usage: usage)
            if let onTrace {
                // A resumed execution's trace holds the whole history the store kept, not only this run's events.
                let events = checkpoint == nil ? result.events : ((try? await store.history(arn)) ?? result.events)
                onTrace(
                    collector.trace(
                        identity: identity, type: type, events: events, timeScale: timeScale,
                        definition: machine.definition))
            }
            self.finished(arn)
        }
        running[arn] = (task, stop)
    }

    private func store(for arn: String) -> any ExecutionStore {
        StepFunctionsARN.parse(arn)?.kind == "express" ? expressStore : store
    }

    private func finished(_ arn: String) { running[arn] = nil }

    private func startSyncExecution(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        let machine = try machine(r)
        guard machine.type == .express else {
            throw StepFunctionsError(
                "StateMachineTypeNotSupported", "This operation is not supported by this type of state machine")
        }
        let (name, input) = try executionArguments(r)
        let arn = StepFunctionsARN.expressExecution(
            region: environment.region, account: environment.account, machine: machine.name, name: name,
            id: UUID().uuidString.lowercased())
        let identity = identity(machine, arn: arn, name: name, input: input)
        let metrics = environment.metrics
        let collector = ExecutionTraceCollector(startTime: identity.startTime)
        let interpreter = interpreter(machine, start: identity.startTime, collector: collector)
        let result = await ExecutionTraceCollector.$current.withValue(collector) {
            await interpreter.run(identity) { progress in
                collector.observe(progress)
                if case .event(let e) = progress { metrics.observe(e, machine: machine.name, execution: arn) }
            }
        }
        environment.onTrace?(
            collector.trace(
                identity: identity, type: .express, events: result.events,
                timeScale: environment.realSecondsPerSecond, definition: machine.definition))
        var record = ExecutionRecord(identity: identity, type: .express)
        record.finish(result.outcome, at: result.events.last?.timestamp ?? Self.now())
        var o = Self.executionJSON(record).objectMembers
        // Express bills the (simulated) duration rounded up to 100 ms, and memory in 64 MB steps (fnhost: 64 MB).
        let durationMs = identity.startTime.seconds(until: record.stopDate ?? identity.startTime) * 1000
        let billedMs = Self.bill(result, type: .express, duration: durationMs, usage: usage)
        metrics.finished(machine: machine.name, execution: arn, status: result.outcome.status, usage: usage)
        o["billingDetails"] = .object([
            "billedMemoryUsedInMB": .number(Double(StepFunctionsUsage.expressBilledMemoryMB)),
            "billedDurationInMilliseconds": .number(Double(billedMs)),
        ])
        return .object(o)
    }

    private func executionArguments(_ r: StepFunctionsRequest) throws(StepFunctionsError) -> (String, JSONValue) {
        let name = try r.string("name") ?? UUID().uuidString.lowercased()
        guard StepFunctionsARN.isValidName(name) else {
            throw StepFunctionsError("InvalidName", "Invalid Name: '\(name)'")
        }
        let text = try r.string("input") ?? "{}"
        guard text.utf8.count <= 262_144 else {
            throw StepFunctionsError(
                "InvalidExecutionInput", "Invalid State Machine Execution Input: 'the input is larger than 256 KiB'")
        }
        do {
            return (name, try JSONValue.parse(text))
        } catch {
            throw StepFunctionsError("InvalidExecutionInput", "Invalid State Machine Execution Input: '\(error)'")
        }
    }

    private func identity(_ m: Machine, arn: String, name: String, input: JSONValue) -> ExecutionIdentity {
        ExecutionIdentity(
            executionArn: arn, name: name, stateMachineArn: m.arn, stateMachineName: m.name, roleArn: m.roleArn,
            startTime: Self.now(), input: input)
    }

    private func interpreter(_ m: Machine, start: Timestamp, collector: ExecutionTraceCollector) -> Interpreter {
        Interpreter(
            definition: m.definition, invoker: environment.invoker,
            clock: TracedClock(
                base: ScaledClock(start: start, realSecondsPerSecond: environment.realSecondsPerSecond),
                collector: collector),
            seed: environment.seed, region: environment.region, pacer: environment.pacer)
    }

    private func execution(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> ExecutionRecord {
        let arn = try r.requiredString("executionArn")
        guard StepFunctionsARN.isExecution(arn) else { throw .invalidArn(arn, field: "executionArn") }
        let store = self.store(for: arn)
        guard let record = try await storing({ () async throws(ExecutionStoreError) in try await store.record(arn) })
        else { throw .executionDoesNotExist(arn) }
        return record
    }

    private func describeExecution(_ record: ExecutionRecord) -> JSONValue { Self.executionJSON(record) }

    static func executionJSON(_ record: ExecutionRecord) -> JSONValue {
        let id = record.identity
        var o: [String: JSONValue] = [
            "executionArn": .string(id.executionArn), "stateMachineArn": .string(id.stateMachineArn),
            "name": .string(id.name), "status": .string(record.status), "startDate": id.startTime.json,
            "input": .string(String(decoding: id.input.serialized, as: UTF8.self)),
            "inputDetails": .object(["included": .bool(true)]),
        ]
        if let stop = record.stopDate { o["stopDate"] = stop.json }
        if let output = record.output {
            o["output"] = .string(String(decoding: output.serialized, as: UTF8.self))
            o["outputDetails"] = .object(["included": .bool(true)])
        }
        if let error = record.error {
            // An aborted execution shows StopExecution's error and cause only when they were given.
            if record.status != "ABORTED" || !error.name.isEmpty { o["error"] = .string(error.name) }
            if record.status != "ABORTED" || !error.cause.isEmpty { o["cause"] = .string(error.cause) }
        }
        return .object(o)
    }

    private func history(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        let record = try await execution(r)
        let arn = record.identity.executionArn
        let store = self.store(for: arn)
        var events = try await storing { () async throws(ExecutionStoreError) in try await store.history(arn) }
            .map(\.apiJSON)
        if try r.boolean("reverseOrder") == true { events.reverse() }
        return try Self.page(events, key: "events", r, defaultSize: 100)
    }

    private func listExecutions(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        let machine = try machine(r)
        let filter = try r.string("statusFilter")
        let statuses = ["RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"]
        if let filter, !statuses.contains(filter) {
            throw .validation(
                "statusFilter", value: filter,
                constraint: "Member must satisfy enum value set: [\(statuses.joined(separator: ", "))]")
        }
        let store = machine.type == .express ? expressStore : self.store
        let arn = machine.arn
        let records = try await storing { () async throws(ExecutionStoreError) in
            try await store.records(stateMachineArn: arn)
        }
        let items = records.filter { filter == nil || $0.status == filter }.map {
            record -> JSONValue in
            var o: [String: JSONValue] = [
                "executionArn": .string(record.identity.executionArn),
                "stateMachineArn": .string(record.identity.stateMachineArn), "name": .string(record.identity.name),
                "status": .string(record.status), "startDate": record.identity.startTime.json,
            ]
            if let stop = record.stopDate { o["stopDate"] = stop.json }
            return .object(o)
        }
        return try Self.page(items, key: "executions", r, defaultSize: 100)
    }

    private func stopExecution(_ r: StepFunctionsRequest) async throws(StepFunctionsError) -> JSONValue {
        let error = try r.string("error")
        let cause = try r.string("cause")
        if let error, error.count > 256 {
            throw .validation("error", value: error, constraint: "Member must have length less than or equal to 256")
        }
        if let cause, cause.count > 32768 {
            throw .validation("cause", value: cause, constraint: "Member must have length less than or equal to 32768")
        }
        let record = try await execution(r)
        let arn = record.identity.executionArn
        if let run = running[arn] {
            run.stop.request(error: error, cause: cause)
            run.task.cancel()
            await run.task.value
        }
        let store = self.store(for: arn)
        let stopped = try await storing { () async throws(ExecutionStoreError) in try await store.record(arn) }
        return .object(["stopDate": (stopped?.stopDate ?? Self.now()).json])
    }

    // MARK: Helpers

    /// Adds an execution to the bill: a STANDARD one's transitions (each state entered), an EXPRESS one's request and
    /// duration; returns the billed milliseconds (express) or 0.
    @discardableResult
    static func bill(_ result: ExecutionResult, type: StateMachineType, duration: Double, usage: StepFunctionsUsage)
        -> Int
    {
        switch type {
        case .standard:
            usage.recordStandard(transitions: result.events.filter { $0.type.hasSuffix("StateEntered") }.count)
            return 0
        case .express:
            return usage.recordExpress(durationMs: duration)
        }
    }

    /// One page of `items` after the request's `nextToken`, `maxResults` long, with the next token when more remain.
    static func page(_ items: [JSONValue], key: String, _ r: StepFunctionsRequest, defaultSize: Int)
        throws(StepFunctionsError) -> JSONValue
    {
        let size = try r.maxResults(default: defaultSize)
        var start = 0
        if let token = try r.string("nextToken") {
            guard token.hasPrefix(pageTokenPrefix), let n = Int(token.dropFirst(pageTokenPrefix.count)),
                (0...items.count).contains(n)
            else { throw StepFunctionsError("InvalidToken", "Invalid Token: '\(token)'") }
            start = n
        }
        let end = min(items.count, start + size)
        var o: [String: JSONValue] = [key: .array(Array(items[start..<end]))]
        if end < items.count { o["nextToken"] = .string(pageTokenPrefix + String(end)) }
        return .object(o)
    }

    static let pageTokenPrefix = "fnhost-page-"

    static func now() -> Timestamp { Timestamp(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000)) }
}

extension Timestamp {
    /// AWS JSON 1.0's timestamp: epoch seconds as a number.
    var json: JSONValue { .number(Double(epochMilliseconds) / 1000) }
}

extension JSONValue {
    var objectMembers: [String: JSONValue] {
        if case .object(let o) = self { return o }
        return [:]
    }
}
