import FnhostHost
import FnhostTraces
import FnhostWire
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /fnhost/traces` and `GET /fnhost/traces/{traceId}`: the host's last traces as JSON (the shape the live page
/// and `fnhost traces` read). Read-only; the store is bounded by the host.
struct TracesEndpoint: Sendable {
    static let path = "/fnhost/traces"

    let traces: TraceStore

    static func accepts(_ path: String) -> Bool { path == Self.path || path.hasPrefix(Self.path + "/") }

    func respond(to request: Request) -> Response {
        guard request.method == .get || request.method == .head else {
            return GatewayEndpoint.methodNotAllowed(["GET"])
        }
        let path = request.uri.path
        if path == Self.path || path == Self.path + "/" { return list(request) }
        let text = String(path.dropFirst(Self.path.count + 1))
        guard let id = TraceID(parsing: text), let trace = traces.trace(id) else {
            return Self.json(.object(["message": .string("No trace \(text) is kept here")]), status: .notFound)
        }
        return Self.json(trace.json)
    }

    private func list(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        var limit = 50
        if let text = query["limit"] {
            guard let n = Int(text), n >= 1, n <= 10_000 else {
                return Self.json(
                    .object(["message": .string("limit must be a whole number from 1 to 10000, not \(text)")]),
                    status: .badRequest)
            }
            limit = n
        }
        var slowest = false
        if let text = query["slowest"] {
            guard text == "true" || text == "false" else {
                return Self.json(
                    .object(["message": .string("slowest must be true or false, not \(text)")]), status: .badRequest)
            }
            slowest = text == "true"
        }
        let function = query["function"].map(String.init)
        return Self.json(Trace.listJSON(traces.query(function: function, limit: limit, slowest: slowest)))
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: value.serialized)))
    }
}
