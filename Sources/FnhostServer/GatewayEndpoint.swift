import FnhostGateway
import FnhostHost
import FnhostManifest
import FnhostSimulation
import FnhostTraces
import FnhostWire
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// API-gateway mode: requests on the routes the manifests declare reach their function as API Gateway HTTP API
/// payload-format-2.0 events, and answers go back by API Gateway's rules, after the profile's simulated gateway
/// delay.
struct GatewayEndpoint: Sendable {
    let host: FunctionHost
    let table: RouteTable
    let builder = GatewayEventBuilder()

    /// Builds the route table from every manifest's `routes`; a clash names both routes.
    init(host: FunctionHost) throws {
        self.host = host
        self.table = try Self.routeTable(for: Array(host.functions.values))
    }

    /// The manifests' routes as one table. A route key that does not parse is refused as a manifest error (the
    /// manifest's file, the field `routes[N]`, and the gateway's reason), as every other bad field is.
    /// - Throws: ``ManifestError`` for a malformed route key, ``RouteTableError`` for two routes that clash.
    static func routeTable(for manifests: [FunctionManifest]) throws -> RouteTable {
        var routes: [GatewayRoute] = []
        for manifest in manifests.sorted(by: { $0.name < $1.name }) {
            for (index, text) in manifest.routes.enumerated() {
                do {
                    routes.append(GatewayRoute(key: try RouteKey(parsing: text), function: manifest.name))
                } catch {
                    throw ManifestError.invalidField(file: manifest.file, field: "routes[\(index)]", reason: "\(error)")
                }
            }
        }
        return try RouteTable(routes: routes)
    }

    /// The routes, for the start-up banner.
    var routeList: [(routeKey: String, function: String)] {
        host.functions.values.sorted { $0.name < $1.name }.flatMap { m in m.routes.map { ($0, m.name) } }
    }

    func respond(to request: Request, context: ServeContext) async -> Response {
        let rawPath = request.uri.path
        switch table.lookup(method: request.method.rawValue, rawPath: rawPath) {
        case .notFound: return Self.convert(.notFound)
        case .methodNotAllowed(let allowed): return Self.convert(.methodNotAllowed(allowed: allowed))
        case .matched(let function, let routeKey, let parameters):
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: GatewayLimits.maxRequestBytes)
            } catch  where error is NIOTooManyBytesError || (error as? HTTPError)?.status == .contentTooLarge {
                return Self.convert(.payloadTooLarge)
            } catch {
                return Self.convert(
                    GatewayHTTPResponse(
                        status: 400, headers: [("content-type", "application/json")],
                        body: Array("{\"message\":\"Bad Request: the request body could not be read\"}".utf8)))
            }
            var headers: [(name: String, value: String)] = []
            if let authority = request.head.authority { headers.append(("host", authority)) }
            for field in request.headers { headers.append((field.name.rawName, field.value)) }
            let requestID = UUID().uuidString.lowercased()
            let gatewayRequest = GatewayHTTPRequest(
                method: request.method.rawValue, rawPath: rawPath, rawQueryString: request.uri.query ?? "",
                headers: headers, body: Array(buffer: body),
                sourceIP: context.remoteAddress?.ipAddress ?? "127.0.0.1",
                timeEpochMilliseconds: Int64(Date().timeIntervalSince1970 * 1000)
            )
            let event = builder.event(
                for: gatewayRequest, routeKey: routeKey, pathParameters: parameters, requestID: requestID)
            let payload = event.jsonBytes()
            // A binary body grows by a third in base64: the event must still fit Lambda's synchronous limit.
            guard payload.count <= InvokeAPI.maxSyncPayloadBytes else { return Self.convert(.payloadTooLarge) }
            // The trace: the caller's (W3C traceparent, else X-Amzn-Trace-Id) or a new one; the request's span is the
            // root of fnhost's part, the gateway hop and the invocation its children.
            let caller = TraceLink.continuing(
                traceparent: request.headers[HTTPField.Name(TraceParent.name)!],
                amznTraceID: request.headers[HTTPField.Name(TraceHeader.name)!], trigger: .gateway)
            let trace = GatewayTrace(
                traceID: caller.traceID ?? host.newTraceID(), requestSpan: host.newSpanID(), callerSpan: caller.parent,
                startedAtMs: Date().timeIntervalSince1970 * 1000, started: .now)
            // The simulated price of the gateway hop, before the function is invoked.
            let delay = host.simulatedDelay(.gateway, function: function)
            try? await delay.sleep()
            if delay.simulatedMs > 0 { host.metrics.gatewayOverhead(function: function, ms: delay.simulatedMs) }
            var response: GatewayHTTPResponse
            var simulated = SimulatedTime(simulatedMs: delay.simulatedMs, sleptMs: delay.realDuration.inMilliseconds)
            do {
                let result = try await host.invoke(
                    function, payload: payload, requestID: requestID,
                    trace: TraceLink(
                        traceID: trace.traceID, parent: trace.requestSpan, trigger: .gateway, recordsTrace: false))
                host.traces.record(
                    trace.finished(
                        routeKey: routeKey, function: function, requestID: requestID, gatewayMs: delay.simulatedMs,
                        invocation: result.trace?.spans ?? [], latencyMs: result.latencyMs,
                        outcome: Trace.Outcome(result), newID: host.newSpanID))
                simulated =
                    simulated
                    + SimulatedTime(
                        simulatedMs: result.simulatedMs, sleptMs: result.realSleep.inMilliseconds)
                switch result.outcome {
                case .success(let answer): response = GatewayResponseMapper.response(forAnswer: answer)
                case .functionError: response = GatewayResponseMapper.responseForFunctionError()
                }
            } catch {
                host.traces.record(
                    trace.finished(
                        routeKey: routeKey, function: function, requestID: requestID, gatewayMs: delay.simulatedMs,
                        invocation: [],
                        latencyMs: delay.simulatedMs + (ContinuousClock.now - trace.started).inMilliseconds
                            - delay.realDuration.inMilliseconds,
                        outcome: error.status == 429 ? .throttled : .error, newID: host.newSpanID))
                response =
                    error.status == 429
                    ? GatewayHTTPResponse(
                        status: 429, headers: [("content-type", "application/json")],
                        body: Array("{\"message\":\"Too Many Requests\"}".utf8))
                    : .internalServerError
            }
            response.headers.append(("apigw-requestid", requestID))
            response.headers.append(
                (
                    TraceHeader.name.lowercased(),
                    TraceHeader(root: trace.traceID, parent: trace.requestSpan, sampled: true).value
                ))
            response.headers.append((SimulatedTime.headerName.lowercased(), simulated.headerValue))
            if delay.simulatedMs > 0 {
                response.headers.append(("fnhost-simulated-gateway-ms", LogLines.milliseconds(delay.simulatedMs)))
            }
            return Self.convert(response)
        }
    }

    static func convert(_ r: GatewayHTTPResponse) -> Response {
        var fields = HTTPFields()
        for (name, value) in r.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: r.status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: r.body)))
    }

    static func methodNotAllowed(_ allowed: [String]) -> Response { convert(.methodNotAllowed(allowed: allowed)) }
}
