import FnhostWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension LambdaContext {
    /// As ``invoke(_:payload:as:)``, and how long the call took: measured, and simulated as the host reported it in
    /// its `Fnhost-Simulated` header (``SimulatedTime``). Parallel calls run in parallel, as with `invoke`.
    public func invokeTimed<Payload: Encodable, Result: Decodable>(
        _ function: String, payload: Payload, as: Result.Type = Result.self
    ) async throws -> (Result, CallTiming) {
        let body = try JSONEncoder().encode(payload)
        let clock = ContinuousClock()
        let started = clock.now
        let answer = try await invoker.invokeReportingSimulated(
            function: function, payload: [UInt8](body), traceHeader: traceID)
        let timing = CallTiming(wall: clock.now - started, simulated: answer.simulated)
        return (try JSONDecoder().decode(Result.self, from: Data(answer.body)), timing)
    }

    /// Calls a route of `fnhost serve`'s API Gateway (`GET http://127.0.0.1:9000/orgs/ORG-0042`), decodes a 2xx
    /// answer's JSON body, and says how long it took (the gateway reports its simulated delay and the function's in
    /// `Fnhost-Simulated`). Any other status is thrown as ``InvokeError/serviceError(status:type:message:)`` with
    /// type `Gateway` and the answer's body as the message. Parallel calls run in parallel.
    public func requestTimed<Result: Decodable>(
        method: String, url: String, body: [UInt8]? = nil, as: Result.Type = Result.self
    ) async throws -> (Result, CallTiming) {
        let clock = ContinuousClock()
        let started = clock.now
        let answer = try await Self.gatewayClients.exchange(method: method, url: url, body: body)
        let timing = CallTiming(
            wall: clock.now - started, simulated: answer.simulated.flatMap { try? SimulatedTime(parsing: $0) })
        guard (200..<300).contains(answer.status) else {
            throw InvokeError.serviceError(
                status: answer.status, type: "Gateway",
                message: String(decoding: answer.body.prefix(500), as: UTF8.self))
        }
        return (try JSONDecoder().decode(Result.self, from: Data(answer.body)), timing)
    }

    /// Keep-alive connections to gateways, apart from the Invoke API's (a client holds one endpoint at a time).
    static let gatewayClients = FunctionInvoker(endpoint: nil)
}
