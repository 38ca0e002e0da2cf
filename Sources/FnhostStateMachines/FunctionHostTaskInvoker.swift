import FnhostHost
import FnhostStates
import FnhostTraces
import FnhostWire

/// Runs a state machine's Lambda tasks on a ``FunctionHost``: real workers from the function's pool, cold or warm,
/// with the host's simulated overheads. A function named by ARN runs the function of that name.
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
        do throws(ServiceError) {
            let result = try await host.invoke(
                name, payload: invocation.payload.serialized, trace: .starting(.stateMachine))
            observe?(invocation, result)
            let bytes = result.payload
            let payload = (try? JSONValue.parse(bytes)) ?? .string(String(decoding: bytes, as: UTF8.self))
            return result.isError ? .functionError(payload: payload) : .succeeded(payload: payload)
        } catch {
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
