import FnhostHost
import FnhostSimulation
import FnhostStateMachines
import FnhostStates
import FnhostStepFunctions
import FnhostWire
import Foundation
import Synchronization

/// The `step-functions` design: each request one EXPRESS synchronous execution (`StartSyncExecution`) of
/// `statemachines/eligibility.asl.json` on the in-process Step Functions service, its tasks on the host's pools and
/// its transitions paced by the profile's `stateTransition` delay, as `fnhost serve` builds it.
///
/// Why it records every task and transition of an execution (through a task-local ``Execution``): the host sleeps
/// simulated delays at the time scale, so the end-to-end latency is the execution's wall time with the simulated
/// delays on its critical path put back at full size, the Parallel's real slowest branch replaced by the branch
/// that is slowest at full size (as the orchestrator's `durationOnLambdaMs` does).
final class ArchitecturesStateMachine: Sendable {
    /// What one execution's tasks and transitions took.
    final class Execution: Sendable {
        struct Step: Sendable {
            /// Simulated + measured (a task: its `latencyMs`; a transition: its simulated delay).
            var latencyMs = 0.0
            /// Real time on this machine (scaled sleeps included).
            var wallMs = 0.0
        }
        let steps = Mutex<[String: Step]>([:])

        func add(_ state: String, latencyMs: Double, wallMs: Double) {
            steps.withLock {
                $0[state, default: Step()].latencyMs += latencyMs
                $0[state, default: Step()].wallMs += wallMs
            }
        }
    }

    @TaskLocal static var current: Execution?

    /// The definition's branch states and the function each calls, in branch order; then the combining state.
    static let branches = ["OrgStatus": "org-status", "Coverage": "coverage", "RequestLog": "request-log"]
    static let parallelState = "Checks"
    static let combineState = "Combine"
    static let machineName = "eligibility"

    let service: StepFunctionsService
    let arn: String

    /// The service on `host` with the `eligibility` machine of the `statemachines/` folder beside its functions.
    init(host: FunctionHost, configuration: HostConfiguration) throws(ExperimentError) {
        let folder = StateMachineFile.folder(besideFunctions: configuration.functionsDirectory)
        let file: StateMachineFile
        do { file = try StateMachineFile.load(folder: folder, name: Self.machineName) } catch {
            throw .invalid("the step-functions design needs \(folder)/\(Self.machineName).asl.json: \(error)")
        }
        guard file.type == .express else {
            throw .invalid("\(folder)/\(Self.machineName).json must make it EXPRESS (StartSyncExecution)")
        }
        let transitions: SimulatedTransitions
        do { transitions = try SimulatedTransitions(configuration: configuration) } catch {
            throw .host("\(error)")
        }
        let invoker = FunctionHostTaskInvoker(host: host) { invocation, result in
            Self.current?.add(
                invocation.stateName, latencyMs: result.latencyMs,
                wallMs: result.measuredLatencyMs + result.realSleep.inMilliseconds)
        }
        let environment = StepFunctionsService.Environment(
            invoker: invoker, pacer: RecordingPacer(transitions: transitions),
            realSecondsPerSecond: configuration.simulation.timeScale.factor, seed: configuration.simulation.seed,
            region: configuration.region, onTrace: { [traces = host.traces] trace in traces.record(trace) })
        service = StepFunctionsService(environment: environment, files: [file])
        arn = StepFunctionsARN.stateMachine(
            region: configuration.region, account: StepFunctionsService.Environment.defaultAccount,
            name: Self.machineName)
    }

    /// What one request gave: the execution's output (the combined answer) or its error, and its latency.
    struct Result: Sendable {
        var output: JSONValue?
        var errorType: String?
        var latencyMs = 0.0
        /// Each branch's latency (transition + task), by function name, and the slowest of them.
        var branchMs: [String: Double] = [:]
        var slowestBranch: String?
    }

    /// Runs one execution with `input` through `StartSyncExecution`, timed.
    func run(input: [UInt8]) async -> Result {
        let execution = Execution()
        let request = JSONValue.object([
            "stateMachineArn": .string(arn), "input": .string(String(decoding: input, as: UTF8.self)),
        ])
        let clock = ContinuousClock()
        let started = clock.now
        let (status, body) = await Self.$current.withValue(execution) {
            await service.handle(target: "AWSStepFunctions.StartSyncExecution", body: request.serialized)
        }
        let wallMs = (clock.now - started).inMilliseconds
        guard status == 200, case .object(let answer)? = try? JSONValue.parse(body) else {
            return Result(errorType: "StartSyncExecution \(status): \(String(decoding: body, as: UTF8.self))")
        }
        guard answer["status"] == .string("SUCCEEDED"), case .string(let text)? = answer["output"],
            let output = try? JSONValue.parse(text)
        else {
            if case .string(let error)? = answer["error"] { return Result(errorType: error) }
            return Result(errorType: "ExecutionNotSucceeded")
        }
        let steps = execution.steps.withLock { $0 }
        var result = Result(output: output)
        var slowestWall = 0.0
        for (state, function) in Self.branches {
            let step = steps[state] ?? .init()
            result.branchMs[function] = step.latencyMs
            slowestWall = max(slowestWall, step.wallMs)
        }
        let slowest = result.branchMs.max { $0.value < $1.value }
        result.slowestBranch = slowest?.key
        let serial = [Self.parallelState, Self.combineState].map { steps[$0] ?? .init() }
        result.latencyMs =
            wallMs - slowestWall + (slowest?.value ?? 0) - serial.map(\.wallMs).reduce(0, +)
            + serial.map(\.latencyMs).reduce(0, +)
        return result
    }

    /// The profile's transition delay, recorded into the running request's ``Execution`` under the state entered
    /// (a task state's record then holds its transition and its task).
    struct RecordingPacer: TransitionPacer {
        let transitions: SimulatedTransitions

        func transition(into stateName: String, execution: ExecutionIdentity) async throws {
            try await transition(into: stateName, after: 0, execution: execution)
        }

        func transition(into stateName: String, after previousEventId: Int, execution: ExecutionIdentity)
            async throws
        {
            let delay = transitions.nextDelay(machine: execution.stateMachineName)
            ArchitecturesStateMachine.current?.add(
                stateName, latencyMs: delay.simulatedMs, wallMs: delay.realDuration.inMilliseconds)
            try await SimulatedTransitions.sleep(delay, into: stateName, after: previousEventId)
        }
    }
}
