import FnhostHost
import FnhostSimulation
import FnhostStateMachines
import FnhostStepFunctions
import FnhostWire
import Foundation
import TestSupport
import Testing

/// `statemachines/eligibility.asl.json` (a Parallel of org-status, coverage and request-log, then eligibility in
/// combine mode) on a real host with real workers: the same decision and answer as the orchestrator function.
@Suite(.serialized, .timeLimit(.minutes(3))) struct EligibilityStateMachineTests {
    static let binaries = ["fnhost-launch", "eligibility", "request-log", "org-status", "rules", "coverage"]

    /// Eligible, covered through another organisation, out of coverage, and a member of another organisation.
    static let requests = [
        #"{"orgId":"ORG-2339","memberId":"M-000001","date":"2026-03-01"}"#,
        #"{"orgId":"ORG-0774","memberId":"M-000002","date":"2026-03-01"}"#,
        #"{"orgId":"ORG-0977","memberId":"M-000003","date":"2019-01-01"}"#,
        #"{"orgId":"ORG-0774","memberId":"M-000001","date":"2026-03-01"}"#,
    ]

    /// The answer's fields that do not depend on who called the branches or when.
    static func decisionFields(_ bytes: some Collection<UInt8>) throws -> [String: JSONValue] {
        guard case .object(let answer) = try JSONValue.parse(bytes) else { throw TestFailure("not an object") }
        return answer.filter { ["orgId", "memberId", "date", "decision", "reasons", "log"].contains($0.key) }
    }

    /// A real host under the lambda profile (seed 7, time scale 0.01) with a Step Functions service running the
    /// eligibility machine (EXPRESS) on its pools, the executions' traces going to the host's recorder as `fnhost
    /// serve` wires them; the host is shut down after `body`, whatever it throws.
    static func withEligibilityMachine(
        _ label: String, _ body: (FunctionHost, StepFunctionsService, _ arn: String) async throws -> Void
    ) async throws {
        try Paths.requireBuilt(binaries)
        try await withTemporaryDirectory(label) { state in
            var configuration = HostConfiguration(
                functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory, maxWait: .seconds(30),
                simulation: SimulationSettings(profile: "lambda", seed: 7, timeScale: try TimeScale(0.01)))
            configuration.stateDirectory = state
            let host = try FunctionHost(configuration: configuration, sink: DiscardingLogSink())
            do {
                let file = try StateMachineFile.load(
                    folder: StateMachineFile.folder(besideFunctions: Paths.functions), name: "eligibility")
                #expect(file.type == .express)
                let service = StepFunctionsService(
                    environment: .init(
                        invoker: FunctionHostTaskInvoker(host: host),
                        pacer: try SimulatedTransitions(configuration: configuration), realSecondsPerSecond: 0.01,
                        onTrace: { [traces = host.traces] in traces.record($0) }),
                    files: [file])
                let arn = StepFunctionsARN.stateMachine(
                    region: "us-east-1", account: StepFunctionsService.Environment.defaultAccount, name: "eligibility")
                try await body(host, service, arn)
                await host.shutdown()
            } catch {
                await host.shutdown()
                throw error
            }
        }
    }

    @Test func theStateMachineDecidesAsTheOrchestratorDoes() async throws {
        try await Self.withEligibilityMachine("eligibility-machine") { host, service, arn in
            var decisions: Set<String> = []
            for request in Self.requests {
                let orchestrated = try await host.invoke("eligibility", payload: Array(request.utf8))
                #expect(!orchestrated.isError, "\(String(decoding: orchestrated.payload, as: UTF8.self))")
                let body = JSONValue.object(["stateMachineArn": .string(arn), "input": .string(request)])
                let (status, answer) = await service.handle(
                    target: "AWSStepFunctions.StartSyncExecution", body: body.serialized)
                #expect(status == 200, "\(String(decoding: answer, as: UTF8.self))")
                guard case .object(let execution) = try JSONValue.parse(answer),
                    case .string(let output)? = execution["output"]
                else { throw TestFailure("no output: \(String(decoding: answer, as: UTF8.self))") }
                #expect(execution["status"] == .string("SUCCEEDED"))
                let machine = try Self.decisionFields(Array(output.utf8))
                #expect(machine == (try Self.decisionFields(orchestrated.payload)), "\(request)")
                #expect(machine.count == 6)
                guard case .object(let full) = try JSONValue.parse(Array(output.utf8)) else { continue }
                #expect(full["transport"] == .string("step-functions"))
                if case .string(let d)? = machine["decision"] { decisions.insert(d) }
            }
            // The requests reach more than one outcome, so the comparison covers more than one path.
            #expect(decisions.count > 1, "\(decisions)")
        }
    }

    @Test func aCombineEventThatIsNotThreeResultsIsAnInvalidEvent() async throws {
        try Paths.requireBuilt(Self.binaries)
        try await withTemporaryDirectory("eligibility-combine") { state in
            var configuration = HostConfiguration(
                functionsDirectory: Paths.functions, buildDirectory: Paths.buildDirectory, maxWait: .seconds(30))
            configuration.stateDirectory = state
            let host = try FunctionHost(configuration: configuration, sink: DiscardingLogSink())
            let result = try await host.invoke(
                "eligibility",
                payload: Array(#"{"orgId":"ORG-2339","memberId":"M-000001","date":"2026-03-01","combine":[{}]}"#.utf8))
            await host.shutdown()
            #expect(result.isError)
            #expect(String(decoding: result.payload, as: UTF8.self).contains("InvalidEvent"))
        }
    }
}
