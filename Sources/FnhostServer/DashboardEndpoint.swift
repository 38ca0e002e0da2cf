import FnhostDashboard
import FnhostGateway
import HTTPTypes
import Hummingbird
import NIOCore

/// The live page's routes on `fnhost serve`:
/// - `GET /` from a browser (`Accept: text/html`) and `GET /fnhost/` always: the page, assets inlined (no network);
///   a gateway route that answers `GET /` keeps it, so existing routes keep working;
/// - `GET /fnhost/snapshot`: one ``DashboardSnapshot`` as JSON;
/// - `GET /fnhost/events`: server-sent events, a snapshot now and then one a second. Each event is the whole
///   state, so a browser that reconnects (after `retry`) is current again at its first event and needs no replay;
///   a client that reads slowly skips stale snapshots (``DashboardFeed``).
///
/// An event stream is a response still being written: the connection guard sets no idle deadline while a
/// response is in progress, so the stream is never cut by `--idle-timeout`, and it still counts against
/// `--max-connections` like any other connection.
struct DashboardEndpoint: Sendable {
    let sampler: DashboardSampler
    let feed: DashboardFeed
    let routes: RouteTable

    static let snapshotPath = "/fnhost/snapshot"
    static let eventsPath = "/fnhost/events"
    /// How long a browser waits before reconnecting to a stream that ended.
    static let retryMilliseconds = 2000

    /// The dashboard's answer, or nil when the request is not for it.
    func respond(to request: Request, path: String) async -> Response? {
        switch path {
        case Self.snapshotPath:
            guard request.method == .get || request.method == .head else {
                return GatewayEndpoint.methodNotAllowed(["GET"])
            }
            let snapshot = await sampler.snapshot()
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: snapshot.json)))
        case Self.eventsPath:
            guard request.method == .get else { return GatewayEndpoint.methodNotAllowed(["GET"]) }
            return await events()
        case "/fnhost", "/fnhost/":
            guard request.method == .get || request.method == .head else {
                return GatewayEndpoint.methodNotAllowed(["GET"])
            }
            return Self.page()
        case "/":
            guard request.method == .get || request.method == .head, Self.acceptsHTML(request),
                routes.lookup(method: request.method.rawValue, rawPath: "/") == .notFound
            else { return nil }
            return Self.page()
        default:
            return nil
        }
    }

    /// Whether the client asked for HTML (a browser's navigation does; curl and the AWS clients do not).
    static func acceptsHTML(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept] else { return false }
        return accept.split(separator: ",").contains { item in
            (item.split(separator: ";").first ?? "").filter { !$0.isWhitespace }.lowercased() == "text/html"
        }
    }

    static func page() -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("Content-Security-Policy")!:
                    "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:",
            ],
            body: .init(byteBuffer: ByteBuffer(string: DashboardPage.document)))
    }

    private func events() async -> Response {
        let stream = feed.subscribe()
        let first = DashboardSampler.event(await sampler.snapshot(), retryMilliseconds: Self.retryMilliseconds)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
                HTTPField.Name("X-Accel-Buffering")!: "no",
            ],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: first))
                for await event in stream { try await writer.write(ByteBuffer(string: event)) }
                try await writer.finish(nil)
            })
    }
}
