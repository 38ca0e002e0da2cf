import FnhostHost
import FnhostStates
import FnhostStepFunctions
import FnhostTraces
import FnhostWire

/// Runs a state machine's Lambda tasks on a ``FunctionHost``: real workers from the function's pool, cold or warm,
/// with the host's simulated overheads. A function named by ARN runs the function of that name.
///
/// Inside an execution that is traced (``ExecutionTraceCollector/current``) each invocation joins the execution's
/// trace under its Task state's span and hands its spans to the collector instead of recording a trace of its own.
public struct FunctionHostTaskInvoker: TaskInvoker {
    public let host: FunctionHost
    /// Told of each invocation the host ran and its result (`fnhost experiment architectures` times its tasks).
    public let observe: (@Sendable (TaskInvocation, InvocationResult) -> Void)?

    public init(host: FunctionHost, observe: (@Sendable (TaskInvocation, InvocationResult) -> Void)? = nil) {
        self.host = host
        self.observe = observe
    }

    public func invoke(_ invocation: TaskInvocation) async -> TaskInvocationResult {
        let name = Self.functionName(invocation.functionName)
        let collector = ExecutionTraceCollector.current
        let link =
            collector.map {
                TraceLink(
                    traceID: $0.traceID,
                    parent: invocation.stateEnteredEventId > 0
                        ? $0.stateSpanID(entered: invocation.stateEnteredEventId) : $0.rootSpanID,
                    trigger: .stateMachine, recordsTrace: false)
            } ?? .starting(.stateMachine)
        let startMs = collector?.now() ?? 0
        do throws(ServiceError) {
            let result = try await host.invoke(name, payload: invocation.payload.serialized, trace: link)
            collector?.invocation(
                ExecutionTrace.Invocation(
                    stateEnteredEventId: invocation.stateEnteredEventId, attempt: invocation.attempt, function: name,
                    realStartMs: startMs, realEndMs: collector?.now() ?? 0, spans: result.trace?.spans ?? [],
                    stretchMs: result.simulatedMs - result.realSleep.inMilliseconds))
            observe?(invocation, result)
            let bytes = result.payload
            let payload = (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
            return result.isError ? .functionError(payload: payload) : .succeeded(payload: payload)
        } catch {
            collector?.invocation(
                ExecutionTrace.Invocation(
                    stateEnteredEventId: invocation.stateEnteredEventId, attempt: invocation.attempt, function: name,
                    realStartMs: startMs, realEndMs: collector?.now() ?? 0, spans: [], stretchMs: 0,
                    error: "Lambda.\(error.type): \(error.message)"))
            return .serviceError(name: "Lambda.\(error.type)", message: error.message)
        }
    }

    /// `NAME` from `arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`; any other text as it is.
    public static func functionName(_ resource: String) -> String {
        let parts = resource.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count >= 7, parts[0] == "arn", parts[5] == "function" { return String(parts[6]) }
        return resource
    }
}
