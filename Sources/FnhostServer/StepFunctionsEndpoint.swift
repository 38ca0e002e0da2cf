import FnhostHost
import FnhostSimulation
import FnhostStateMachines
import FnhostStepFunctions
import FnhostStore
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import ServiceLifecycle

/// The Step Functions API on `fnhost serve`: `POST /` with `X-Amz-Target: AWSStepFunctions.<Operation>` (AWS JSON
/// 1.0), answered by ``StepFunctionsService``. Only the HTTP glue lives here: the body, the header, the status.
///
/// The `Host` header is not checked, so `StartSyncExecution` also works when a client sends it to a `sync-` host
/// (botocore adds that prefix to a custom endpoint unless `inject_host_prefix` is off, see README).
struct StepFunctionsEndpoint: Sendable {
    let service: StepFunctionsService
    /// The state machines loaded from `statemachines/` at start.
    let machineNames: [String]
    let note: @Sendable (String) -> Void

    /// The service of `host`: state machines from the `statemachines/` folder beside the functions (a bad one stops
    /// the start with its file, state, field and reason) and those created through the API in earlier runs (kept in
    /// `store`), STANDARD executions kept in `store`, tasks on the host's pools, the profile's transition delay.
    /// `extra`: state machines from elsewhere (a SAM template's), loaded after the folder's.
    init(
        host: FunctionHost, configuration: HostConfiguration, metrics: any MetricsFactory, store: Store,
        note: @escaping @Sendable (String) -> Void, extra: [StateMachineFile] = []
    ) async throws {
        let files =
            try StateMachineFile.loadAll(
                folder: StateMachineFile.folder(besideFunctions: configuration.functionsDirectory)) + extra
        let environment = StepFunctionsService.Environment(
            invoker: FunctionHostTaskInvoker(host: host), pacer: try SimulatedTransitions(configuration: configuration),
            realSecondsPerSecond: configuration.simulation.timeScale.factor, seed: configuration.simulation.seed,
            region: configuration.region, metrics: StepFunctionsMetrics(factory: metrics),
            onTrace: { [traces = host.traces] trace in traces.record(trace) })
        service = StepFunctionsService(
            environment: environment, store: DurableExecutionStore(store: store, problem: note), files: files)
        for problem in try await service.loadStoredMachines() { note("fnhost: \(problem) (not loaded)") }
        machineNames = await service.machineList.map(\.name)
        self.note = note
    }

    /// Requests at most 1 MiB (a definition's limit) plus room for the other members.
    static let maxBodyBytes = 2 * 1024 * 1024

    static let target = HTTPField.Name("X-Amz-Target")!

    /// Whether `request` is a Step Functions API call.
    static func accepts(_ request: Request) -> Bool {
        request.uri.path == "/" && request.headers[target]?.hasPrefix(StepFunctionsRequest.targetPrefix) == true
    }

    func respond(to request: Request) async -> Response {
        var answer: (status: Int, body: [UInt8])
        if request.method != .post {
            let error = StepFunctionsError("UnknownOperationException", "the Step Functions API takes POST")
            answer = (error.status, error.body)
        } else {
            do {
                let body = try await request.body.collect(upTo: Self.maxBodyBytes)
                answer = await service.handle(target: request.headers[Self.target], body: Array(buffer: body))
            } catch {
                let error = StepFunctionsError(
                    "ValidationException", "the request body is larger than \(Self.maxBodyBytes) bytes", status: 413)
                answer = (error.status, error.body)
            }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: [.contentType: StepFunctionsRequest.contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}

/// STANDARD executions outlive the server: at start the ones an earlier run left RUNNING resume from their last
/// checkpoint; on graceful shutdown (after the HTTP server has stopped accepting, before the store closes and the
/// host stops its workers) the running ones are suspended where they are, still RUNNING, not aborted.
struct StepFunctionsLifecycle: Service {
    let service: StepFunctionsService
    let note: @Sendable (String) -> Void

    func run() async throws {
        do {
            let resumed = try await service.resumeInterrupted()
            if resumed > 0 { note("fnhost: \(resumed) state machine executions resumed") }
        } catch {
            note("fnhost: \(error); the executions left RUNNING stay so, not resumed")
        }
        try? await gracefulShutdown()
        await service.suspend()
    }
}
