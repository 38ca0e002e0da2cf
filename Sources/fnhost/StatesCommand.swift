import ArgumentParser
import FnhostHost
import FnhostSimulation
import FnhostStateMachines
import FnhostStates
import FnhostStepFunctions
import FnhostTraces
import FnhostWire
import Foundation

/// `fnhost states run DEFINITION`: runs a state machine (Amazon States Language, JSONPath) on fnhost's own pools,
/// printing each history event as it is written and then the execution's output.
struct StatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "states",
        abstract: "Run state machines (Amazon States Language) whose tasks are fnhost's functions.",
        subcommands: [Run.self, List.self, Executions.self]
    )

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run one execution of a state machine and print its history and output.",
            discussion: """
                Each history event is printed on standard error as one line of JSON, as GetExecutionHistory gives it; \
                the output (or {"error", "cause"}) is one line of JSON on standard output. Tasks name functions of \
                the functions folder by name or by Lambda ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME), or use \
                arn:aws:states:::lambda:invoke. Wait states and retry intervals follow --time-scale. With --trace, \
                the execution's trace (its states, transitions and task invocations on Lambda's timeline) is drawn \
                as a waterfall on standard error after the output.

                Exit codes: 0 the execution succeeded; 1 it failed, timed out or was stopped; \
                3 the definition is invalid (InvalidDefinition) or the functions are not usable; 64 a usage error \
                (such as an input that is not JSON).
                """
        )

        @Argument(help: ArgumentHelp("The state machine definition (an .asl.json file).", valueName: "definition"))
        var definitionFile: String
        @Option(help: ArgumentHelp("The execution's input, as JSON text. (default: {})", valueName: "json"))
        var input: String?
        @Option(help: ArgumentHelp("The execution's name. (default: a new UUID)")) var name: String?
        @Flag(name: .shortAndLong, help: "Do not print the history or log lines (only the output).") var quiet = false
        @Flag(help: "After the output, draw the execution's trace as a waterfall on standard error.") var trace = false
        @Option(help: ArgumentHelp("Columns of the waterfall. (default: $COLUMNS or 100)")) var width: Int?
        @OptionGroup var host: HostOptions

        func run() async throws {
            guard let bytes = FileManager.default.contents(atPath: definitionFile) else {
                throw ValidationError("cannot read the definition file \(definitionFile)")
            }
            let definition: StateMachineDefinition
            do {
                definition = try StateMachineDefinition.parse(Array(bytes))
            } catch {
                printError("fnhost: \(InvalidDefinition.errorCode): \(error)")
                throw Exit.configurationError
            }
            let inputValue: JSONValue
            do {
                inputValue = try JSONValue.parse(input ?? "{}")
            } catch {
                throw ValidationError("InvalidExecutionInput: the input is not JSON: \(error)")
            }
            let configuration = try host.hostConfiguration(maxWait: .seconds(900))
            let runtime: FunctionHost
            let transitions: SimulatedTransitions
            do {
                runtime = try FunctionHost(
                    configuration: configuration, sink: quiet ? DiscardingLogSink() : StreamLogSink())
                transitions = try SimulatedTransitions(configuration: configuration)
            } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            let machine = URL(fileURLWithPath: definitionFile).lastPathComponent
                .replacingOccurrences(of: ".asl.json", with: "").replacingOccurrences(of: ".json", with: "")
            let account = "123456789012"
            let executionName = name ?? UUID().uuidString.lowercased()
            let start = Timestamp(epochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000))
            let identity = ExecutionIdentity(
                executionArn: "arn:aws:states:\(configuration.region):\(account):execution:\(machine):\(executionName)",
                name: executionName,
                stateMachineArn: "arn:aws:states:\(configuration.region):\(account):stateMachine:\(machine)",
                stateMachineName: machine, roleArn: "arn:aws:iam::\(account):role/fnhost", startTime: start,
                input: inputValue)
            let collector = ExecutionTraceCollector(startTime: start)
            let timeScale = configuration.simulation.timeScale.factor
            let interpreter = Interpreter(
                definition: definition, invoker: FunctionHostTaskInvoker(host: runtime),
                clock: TracedClock(
                    base: ScaledClock(start: start, realSecondsPerSecond: timeScale), collector: collector),
                seed: configuration.simulation.seed, region: configuration.region, pacer: transitions)
            let quiet = self.quiet
            let result = await ExecutionTraceCollector.$current.withValue(collector) {
                await interpreter.run(identity) { progress in
                    collector.observe(progress)
                    guard !quiet, case .event(let event) = progress else { return }
                    StandardStreams.err(String(decoding: event.apiJSON.serialized, as: UTF8.self) + "\n")
                }
            }
            await runtime.shutdown()
            let executionTrace = collector.trace(
                identity: identity, type: .standard, events: result.events, timeScale: timeScale,
                definition: definition)
            runtime.traces.record(executionTrace)
            defer {
                if trace {
                    let columns = width ?? Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
                    StandardStreams.err(Waterfall(width: columns).render(executionTrace) + "\n")
                }
            }
            switch result.outcome {
            case .succeeded(let output):
                Output.line(output.serialized)
            case .failed(let error), .timedOut(let error):
                Output.line(error.errorOutput.serialized)
                printError("fnhost: the execution \(result.outcome.status): \(error.name): \(error.cause)")
                throw Exit.functionError
            case .aborted:
                printError("fnhost: the execution was stopped")
                throw Exit.functionError
            }
        }
    }
}
