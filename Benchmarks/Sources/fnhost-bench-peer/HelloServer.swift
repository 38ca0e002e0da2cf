import BenchIO
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// The bare hello-world on the HTTP server library fnhost uses (Hummingbird 2 on SwiftNIO): the HTTP floor's server
/// and the throughput baseline that `fnhost serve` is compared with.
///
/// - `GET /` answers `Hello, world!` (text/plain).
/// - `POST /echo` and `POST /2015-03-31/functions/{name}/invocations` answer the request body (application/json),
///   so the same wrk script can drive this server and fnhost's Invoke API.
///
/// Nothing is logged. It stops when standard input reaches end-of-file, so it never outlives the runner.
enum HelloServer {
    static func run(port: Int) async throws {
        let router = Router()
        router.get("/") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: "Hello, world!")))
        }
        let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            let body = try await request.body.collect(upTo: 6 * 1024 * 1024)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
        }
        router.post("/echo", use: echo)
        router.post("/2015-03-31/functions/:name/invocations", use: echo)

        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                BenchIO.writeAll(1, Array("listening \(channel.localAddress?.port ?? port)\n".utf8))
            },
            logger: Logger(label: "fnhost-bench-peer", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        watchStandardInput()
        try await app.runService()
    }

    /// Exits the process once standard input is closed (the runner has gone away or is done with us).
    static func watchStandardInput() {
        var thread = pthread_t()
        _ = pthread_create(
            &thread, nil,
            { _ in
                var byte: UInt8 = 0
                while read(0, &byte, 1) > 0 {}
                exit(0)
            }, nil)
        _ = pthread_detach(thread)
    }
}
