import LambdaRuntime

/// The benchmark function: the least a Swift worker on `LambdaRuntime` can do, so that what `fnhost-bench` measures
/// is the platform (spawn, Runtime API, host), not the function.
///
/// An Invoke API event with the benchmark's fields (`orgId`, `message`, `n`) is echoed. An API Gateway request (an
/// event with `rawPath`) gets `Hello, world!` as text, the same answer as the bare Hummingbird hello-world it is
/// compared with. The event is a plain struct, so decoding it costs what a real function's event costs (a generic
/// any-JSON type would spend more time in the decoder than the platform spends on the call).
public struct BenchEcho: LambdaHandler {
    public init(context: InitContext) async throws {}

    public func handle(_ event: BenchEvent, context: LambdaContext) async throws -> BenchAnswer {
        Self.answer(to: event)
    }

    /// The answer to an event, apart from any runtime (`bench-echo-curl` runs it in a loop of its own).
    public static func answer(to event: BenchEvent) -> BenchAnswer {
        if event.rawPath != nil { return .hello }
        return .echo(BenchEvent(orgId: event.orgId, message: event.message, n: event.n))
    }
}

/// The benchmark's event: its payload's fields, and `rawPath`, which only API Gateway events carry.
public struct BenchEvent: Codable, Sendable, Equatable {
    public var orgId: String?
    public var message: String?
    public var n: Int?
    public var rawPath: String?

    public init(orgId: String?, message: String?, n: Int?, rawPath: String? = nil) {
        self.orgId = orgId
        self.message = message
        self.n = n
        self.rawPath = rawPath
    }
}

/// What bench-echo answers: the echoed event, or an API Gateway (payload format 2.0) hello-world.
public enum BenchAnswer: Encodable, Sendable {
    case echo(BenchEvent)
    case hello

    /// The API Gateway answer bench-echo gives: 200, text/plain, `Hello, world!`.
    private struct GatewayAnswer: Encodable {
        var statusCode = 200
        var headers = ["content-type": "text/plain; charset=utf-8"]
        var body = "Hello, world!"
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .echo(let event): try event.encode(to: encoder)
        case .hello: try GatewayAnswer().encode(to: encoder)
        }
    }
}
