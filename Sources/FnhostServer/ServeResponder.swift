import FnhostHost
import FnhostManifest
import FnhostWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// Every route of `fnhost serve`: Lambda's Invoke API, the health and metrics endpoints, and the API-gateway
/// routes the manifests declare. Dispatch is by hand so that every refusal (404, 405, 400, 413) carries the JSON
/// body Lambda or API Gateway would send.
struct ServeResponder: HTTPResponder {
    typealias Context = ServeContext

    let host: FunctionHost
    let queue: EventQueue
    let registry: PrometheusCollectorRegistry
    let gateway: GatewayEndpoint
    let stepFunctions: StepFunctionsEndpoint
    let sqs: SQSResponder
    let mappings: EventSourceMappingResponder
    let kinesis: KinesisResponder

    func respond(to request: Request, context: ServeContext) async throws -> Response {
        if SQSResponder.isSQS(request) { return await sqs.respond(to: request) }
        if KinesisResponder.isKinesis(request) { return await kinesis.respond(to: request) }
        let path = request.uri.path
        if StepFunctionsEndpoint.accepts(request) { return await stepFunctions.respond(to: request) }
        if EventSourceMappingResponder.accepts(path) { return await mappings.respond(to: request) }
        if let operation = LambdaControlPlane.Operation(method: request.method.rawValue, path: path) {
            return await controlPlane(operation, request)
        }
        if path.hasPrefix(InvokeAPI.pathPrefix) { return await invokeAPI(request, path: path) }
        switch path {
        case "/healthz": return await health(request)
        case "/metrics": return await metrics(request)
        default: return await gateway.respond(to: request, context: context)
        }
    }

    // MARK: Invoke API

    private func invokeAPI(_ request: Request, path: String) async -> Response {
        // /2015-03-31/functions/{FunctionName}/invocations
        let rest = path.dropFirst(InvokeAPI.pathPrefix.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "invocations" else {
            return Self.serviceError(
                ServiceError(
                    type: "ResourceNotFoundException", status: 404,
                    message: "Unknown operation \(request.method) \(path)"))
        }
        guard request.method == .post else {
            return Self.serviceError(
                ServiceError(
                    type: "MethodNotAllowedException", status: 405, message: "Invoke takes POST, not \(request.method)")
            )
        }
        let text = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        // A name, a full or partial ARN, each with an optional `:qualifier`; or `?Qualifier=`: fnhost has `$LATEST`.
        guard let reference = FunctionReference(parsing: text) else {
            return Self.serviceError(Self.validateFunctionName(text) ?? .notFound(function: text))
        }
        let name = reference.name
        let qualified = FunctionReference(
            name: name, qualifier: request.uri.queryParameters["Qualifier"].map(String.init) ?? reference.qualifier)
        guard qualified.isLatest else {
            return Self.serviceError(
                ServiceError(
                    type: "ResourceNotFoundException", status: 404,
                    message: "Function not found: \(qualified.arn(region: host.configuration.region))"))
        }
        let type = request.headers[HTTPField.Name(InvokeAPI.Header.invocationType)!] ?? "RequestResponse"
        switch type {
        case "RequestResponse", "DryRun":
            return await InvokeAPIResponder(host: host).respond(function: name, request: request)
        case "Event":
            return await acceptEvent(name, request)
        default:
            return Self.serviceError(
                ServiceError(
                    type: "InvalidParameterValueException", status: 400,
                    message: "X-Amz-Invocation-Type must be RequestResponse, Event or DryRun, not \(type)"))
        }
    }

    private func acceptEvent(_ name: String, _ request: Request) async -> Response {
        guard host.functions[name] != nil else { return Self.serviceError(.notFound(function: name)) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: InvokeAPI.maxAsyncPayloadBytes)
        } catch {
            return Self.serviceError(InvokeAPIResponder.bodyError(error, limit: InvokeAPI.maxAsyncPayloadBytes))
        }
        let payload: [UInt8]
        do { payload = try InvokeAPI.event(fromPayload: Array(buffer: body)) } catch { return Self.serviceError(error) }
        do {
            let id = try await queue.accept(function: name, payload: payload)
            var headers = HTTPFields()
            headers[HTTPField.Name(InvokeAPI.Header.requestID)!] = id
            return Response(status: .accepted, headers: headers)
        } catch {
            return Self.serviceError(.serviceUnavailable("the event could not be stored: \(error)"))
        }
    }

    /// Lambda's rules for a function name in the path: 1–140 characters of letters, digits, `-`, `_`
    /// (64 for a bare name; ARNs and `:qualifier` are not served here).
    static func validateFunctionName(_ name: String) -> ServiceError? {
        guard !InvokeAPI.isValidFunctionName(name) else { return nil }
        let shown = name.count > 80 ? String(name.prefix(80)) + "…" : name
        return ServiceError(
            type: "ValidationException", status: 400,
            message:
                "1 validation error detected: Value '\(shown.unicodeScalars.map { $0.value < 0x20 ? "?" : String($0) }.joined())' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9-_]{1,64}"
        )
    }

    static func serviceError(_ error: ServiceError) -> Response { InvokeAPIResponder.serviceError(error) }

    // MARK: Control plane

    private func controlPlane(_ operation: LambdaControlPlane.Operation, _ request: Request) async -> Response {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let plane = LambdaControlPlane(functions: host.functions, region: host.configuration.region, concurrency: [:])
        do {
            let body = try plane.respond(operation, query: query)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        } catch {
            return Self.serviceError(error)
        }
    }

    // MARK: Health and metrics

    private func health(_ request: Request) async -> Response {
        guard request.method == .get || request.method == .head else {
            return GatewayEndpoint.methodNotAllowed(["GET"])
        }
        var workers = 0
        for name in host.functions.keys {
            if let s = await host.poolSnapshot(name) { workers += s.idle + s.busy + s.starting }
        }
        let body =
            "{\"status\":\"ok\",\"functions\":\(host.functions.count),\"workers\":\(workers),\"asyncQueueDepth\":\(await queue.depth)}"
        return Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    private func metrics(_ request: Request) async -> Response {
        guard request.method == .get else { return GatewayEndpoint.methodNotAllowed(["GET"]) }
        // Gauges of the moment: workers by state, queue depth, dead letters.
        for name in host.functions.keys.sorted() {
            guard let s = await host.poolSnapshot(name) else { continue }
            host.metrics.workers(function: name, state: "starting", count: s.starting)
            host.metrics.workers(function: name, state: "busy", count: s.busy)
            host.metrics.workers(function: name, state: "idle", count: s.idle)
        }
        host.metrics.gauge("fnhost_async_queue_depth", await queue.depth)
        host.metrics.gauge("fnhost_dead_letters", await queue.deadLetterCount() ?? 0)
        await sqs.updateMetrics(registry)
        return Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
        )
    }
}
