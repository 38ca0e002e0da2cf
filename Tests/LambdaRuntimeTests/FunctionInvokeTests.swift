import FnhostWire
import Foundation
import Testing

@testable import LambdaRuntime

private struct Ping: Codable, Equatable, Sendable {
    var n: Int
}

private func context(endpoint: String?) -> LambdaContext {
    LambdaContext(
        requestID: "caller", deadlineMs: Int64.max, invokedFunctionARN: "", traceID: "", functionName: "caller",
        functionVersion: "$LATEST", memoryLimitMB: 128, logGroupName: "", logStreamName: "",
        invoker: FunctionInvoker(endpoint: endpoint), annotations: InvocationAnnotations()
    )
}

/// An Invoke API whose every function takes `delayMs` to answer, echoing its payload.
private func slowInvokeAPI(delayMs: UInt32) throws -> TestHTTPServer {
    try TestHTTPServer { request in
        usleep(delayMs * 1000)
        return .json(request.bodyText)
    }
}

@Suite("context.invoke: calls to other functions")
struct FunctionInvokeTests {
    @Test("two parallel calls to a function that takes 200 ms finish in about 200 ms, not 400")
    func twoParallelCallsOverlap() async throws {
        let server = try slowInvokeAPI(delayMs: 200)
        defer { server.stop() }
        let ctx = context(endpoint: server.url)
        let clock = ContinuousClock()
        let start = clock.now
        async let a = ctx.invoke("slow", payload: Ping(n: 1), as: Ping.self)
        async let b = ctx.invoke("slow", payload: Ping(n: 2), as: Ping.self)
        let answers = try await [a, b]
        let elapsed = start.duration(to: clock.now).inMilliseconds
        #expect(answers == [Ping(n: 1), Ping(n: 2)])
        #expect(elapsed < 350, "two parallel 200 ms calls took \(elapsed) ms")
        #expect(server.maxInFlight == 2)
    }

    @Test("three parallel calls (more than the two cooperative threads) finish in about 200 ms, not 600")
    func threeParallelCallsOverlap() async throws {
        let server = try slowInvokeAPI(delayMs: 200)
        defer { server.stop() }
        let ctx = context(endpoint: server.url)
        let clock = ContinuousClock()
        let start = clock.now
        let answers = try await withThrowingTaskGroup(of: Ping.self) { group in
            for n in 1...3 { group.addTask { try await ctx.invoke("slow", payload: Ping(n: n), as: Ping.self) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let elapsed = start.duration(to: clock.now).inMilliseconds
        print("three parallel 200 ms context.invoke calls: \(elapsed) ms")
        #expect(Set(answers.map(\.n)) == [1, 2, 3])
        #expect(elapsed < 350, "three parallel 200 ms calls took \(elapsed) ms")
        #expect(server.maxInFlight == 3)
        #expect(server.requests.allSatisfy { $0.path == InvokeAPI.path(function: "slow") })
    }

    @Test("sequential calls reuse one keep-alive connection")
    func sequentialCallsReuseAConnection() async throws {
        let server = try TestHTTPServer { .json($0.bodyText) }
        defer { server.stop() }
        let ctx = context(endpoint: server.url)
        for n in 1...5 { #expect(try await ctx.invoke("echo", payload: Ping(n: n), as: Ping.self) == Ping(n: n)) }
        #expect(server.connections == 1)
        #expect(ctx.invoker.idleClients == 1)
    }

    @Test("a callee's function error is thrown with its errorType and message")
    func functionErrorIsThrown() async throws {
        let server = try TestHTTPServer { _ in
            .json(
                #"{"errorMessage":"no such org","errorType":"OrganisationNotFound"}"#,
                headers: [(InvokeAPI.Header.functionError, "Unhandled")])
        }
        defer { server.stop() }
        do {
            _ = try await context(endpoint: server.url).invoke("org", payload: Ping(n: 1), as: Ping.self)
            Issue.record("no error thrown")
        } catch InvokeError.functionError(let type, let message) {
            #expect(type == "OrganisationNotFound")
            #expect(message == "no such org")
        }
    }

    @Test("a refused call is a service error with the status and x-amzn-ErrorType")
    func serviceErrorIsThrown() async throws {
        let server = try TestHTTPServer { _ in
            .json(
                #"{"Type":"User","message":"Function not found"}"#, status: 404,
                headers: [(InvokeAPI.Header.errorType, "ResourceNotFoundException")])
        }
        defer { server.stop() }
        do {
            _ = try await context(endpoint: server.url).invoke("missing", payload: Ping(n: 1), as: Ping.self)
            Issue.record("no error thrown")
        } catch InvokeError.serviceError(let status, let type, let message) {
            #expect(status == 404)
            #expect(type == "ResourceNotFoundException")
            #expect(message == "Function not found")
        }
    }

    @Test("without AWS_ENDPOINT_URL_LAMBDA a call fails as noEndpoint")
    func noEndpoint() async throws {
        await #expect(throws: InvokeError.self) {
            _ = try await context(endpoint: nil).invoke("x", payload: Ping(n: 1), as: Ping.self)
        }
    }

    @Test("a host that does not answer is a transport error, and the next call works on a new connection")
    func transportErrorThenRecovery() async throws {
        let port = try unusedPort()
        let ctx = context(endpoint: "http://127.0.0.1:\(port)")
        do {
            _ = try await ctx.invoke("x", payload: Ping(n: 1), as: Ping.self)
            Issue.record("no error thrown")
        } catch InvokeError.transport(let message) {
            #expect(message.contains("connect"))
        }
    }
}

@Suite("Blocking calls run on threads of their own")
struct BlockingCallThreadsTests {
    @Test("parked threads are reused: sequential calls start one thread")
    func threadsAreReused() async throws {
        let threads = BlockingCallThreads(maxIdle: 2)
        for i in 0..<5 {
            let value = try await threads.run { () throws(ServerError) -> Int in i * 2 }
            #expect(value == i * 2)
        }
        #expect(threads.threadsStarted == 1)
    }

    @Test("a typed error thrown on the thread reaches the caller")
    func errorsPropagate() async {
        let threads = BlockingCallThreads(maxIdle: 1)
        await #expect(throws: ServerError.self) {
            try await threads.run { () throws(ServerError) -> Int in throw ServerError("refused") }
        }
    }
}
