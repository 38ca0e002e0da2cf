import FnhostWire
import Foundation
import Testing

@testable import LambdaRuntime

/// A handler driven by its event and its environment, to exercise each path of the loop.
struct ScriptedHandler: LambdaHandler {
    struct Event: Decodable {
        var message: String
        var fail: String?
        var plainError: Bool?
        var cache: String?
    }

    struct Answer: Encodable {
        var echo: String
        var requestID: String
        var deadlineMs: Int64
        var functionARN: String
        var traceID: String
        var functionName: String
        var memoryLimitMB: Int
    }

    struct PlainError: Error {}

    init(context: InitContext) async throws {
        if let type = context.environment["TEST_INIT_FAILS_WITH"] {
            throw HandlerError(type: type, message: "the test asked init to fail")
        }
    }

    func handle(_ event: Event, context: LambdaContext) async throws -> Answer {
        if let type = event.fail { throw HandlerError(type: type, message: "failing: \(event.message)") }
        if event.plainError == true { throw PlainError() }
        if let outcome = event.cache.flatMap(CacheAnnotation.Outcome.init(rawValue:)) {
            context.recordCacheOutcome(CacheAnnotation(outcome: outcome, workerMs: 0.25, sharedMs: 1.5, storeMs: 0))
        }
        return Answer(
            echo: event.message, requestID: context.requestID, deadlineMs: context.deadlineMs,
            functionARN: context.invokedFunctionARN, traceID: context.traceID, functionName: context.functionName,
            memoryLimitMB: context.memoryLimitMB
        )
    }
}

private func decodeError(_ request: TestHTTPServer.Request) throws -> FunctionError {
    try JSONDecoder().decode(FunctionError.self, from: Data(request.body))
}

@Suite("Runtime loop against an in-process Runtime API")
struct RuntimeLoopTests {
    @Test("an event goes to the handler and its answer is POSTed to …/response; the loop ends when the host goes")
    func nextThenResponse() async throws {
        let api = try RuntimeAPIStub(events: [.init(requestID: "req-1", body: #"{"message":"hello"}"#)])
        defer { api.stop() }
        let ending = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        #expect(ending == .hostGone)
        let posts = api.posts
        try #require(posts.count == 1)
        #expect(posts[0].path == RuntimeAPI.responsePath(requestID: "req-1"))
        let answer = try JSONSerialization.jsonObject(with: Data(posts[0].body)) as? [String: Any]
        #expect(answer?["echo"] as? String == "hello")
        #expect(answer?["requestID"] as? String == "req-1")
        #expect(answer?["functionName"] as? String == "test")
        #expect(answer?["memoryLimitMB"] as? Int == 256)
        // The second `next` was answered by a closed connection: that is how the loop learned the host was gone.
        #expect(api.nexts.count == 2)
    }

    @Test("the context carries the deadline, ARN and trace id of the next answer's headers")
    func contextFromNextHeaders() async throws {
        let event = RuntimeAPIStub.Event(
            requestID: "req-ctx", body: #"{"message":"x"}"#, deadlineMs: 1_900_000_000_123,
            functionARN: "arn:aws:lambda:eu-west-1:000000000000:function:ctx", traceID: "Root=1-abc"
        )
        let api = try RuntimeAPIStub(events: [event])
        defer { api.stop() }
        _ = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        let post = try #require(api.posts.first)
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        #expect(answer["deadlineMs"] as? Int64 == 1_900_000_000_123)
        #expect(answer["functionARN"] as? String == "arn:aws:lambda:eu-west-1:000000000000:function:ctx")
        #expect(answer["traceID"] as? String == "Root=1-abc")
    }

    @Test("several events are served in order on one connection")
    func severalEvents() async throws {
        let api = try RuntimeAPIStub(
            events: (1...3).map { .init(requestID: "r\($0)", body: #"{"message":"m\#($0)"}"#) })
        defer { api.stop() }
        #expect(await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment()) == .hostGone)
        #expect(api.posts.map(\.path) == ["r1", "r2", "r3"].map { RuntimeAPI.responsePath(requestID: $0) })
        #expect(Set(api.server.requests.map(\.connection)) == [0])
    }

    @Test(
        "a HandlerError is POSTed to …/error with its type in Lambda-Runtime-Function-Error-Type and a FunctionError body"
    )
    func handlerErrorIsReported() async throws {
        let api = try RuntimeAPIStub(events: [
            .init(requestID: "req-err", body: #"{"message":"m","fail":"OrganisationNotFound"}"#)
        ])
        defer { api.stop() }
        #expect(await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment()) == .hostGone)
        let post = try #require(api.posts.first)
        #expect(post.path == RuntimeAPI.errorPath(requestID: "req-err"))
        #expect(post.headers[RuntimeAPI.Header.functionErrorType.lowercased()] == "OrganisationNotFound")
        let error = try decodeError(post)
        #expect(error.errorType == "OrganisationNotFound")
        #expect(error.errorMessage == "failing: m")
        #expect(error.stackTrace == [])
    }

    @Test("any other error a handler throws is reported under its Swift type name")
    func plainErrorIsReportedByTypeName() async throws {
        let api = try RuntimeAPIStub(events: [
            .init(requestID: "req-plain", body: #"{"message":"m","plainError":true}"#)
        ])
        defer { api.stop() }
        _ = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        let post = try #require(api.posts.first)
        #expect(post.path == RuntimeAPI.errorPath(requestID: "req-plain"))
        #expect(try decodeError(post).errorType == "PlainError")
    }

    @Test("an event that does not decode is reported as Runtime.InvalidEvent naming the missing field")
    func undecodableEvent() async throws {
        let api = try RuntimeAPIStub(events: [
            .init(requestID: "req-bad", body: #"{"nothing":1}"#),
            .init(requestID: "req-good", body: #"{"message":"ok"}"#),
        ])
        defer { api.stop() }
        _ = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        let posts = api.posts
        try #require(posts.count == 2)
        #expect(posts[0].path == RuntimeAPI.errorPath(requestID: "req-bad"))
        #expect(posts[0].headers[RuntimeAPI.Header.functionErrorType.lowercased()] == "Runtime.InvalidEvent")
        let error = try decodeError(posts[0])
        #expect(error.errorType == "Runtime.InvalidEvent")
        #expect(error.errorMessage.contains("\"message\""))
        // The worker carries on with the next event.
        #expect(posts[1].path == RuntimeAPI.responsePath(requestID: "req-good"))
    }

    @Test("a failed Init is POSTed to /runtime/init/error and ends the loop before any next")
    func initErrorIsReported() async throws {
        let api = try RuntimeAPIStub(events: [.init(requestID: "never", body: #"{"message":"m"}"#)])
        defer { api.stop() }
        let ending = await LambdaRuntimeLoop.run(
            ScriptedHandler.self, environment: api.environment(["TEST_INIT_FAILS_WITH": "ReferenceDataError"]))
        guard case .initFailed(let reported) = ending else {
            Issue.record("ended with \(ending)")
            return
        }
        #expect(reported.errorType == "ReferenceDataError")
        #expect(ending.exitStatus == 1)
        let post = try #require(api.posts.first)
        #expect(post.path == RuntimeAPI.initErrorPath)
        #expect(post.headers[RuntimeAPI.Header.functionErrorType.lowercased()] == "ReferenceDataError")
        #expect(try decodeError(post) == reported)
        #expect(api.nexts.isEmpty)
    }

    @Test("a cache outcome recorded by the handler travels as the Fnhost-Cache header of that response only")
    func cacheAnnotationHeader() async throws {
        let api = try RuntimeAPIStub(events: [
            .init(requestID: "hit", body: #"{"message":"m","cache":"shared-hit"}"#),
            .init(requestID: "none", body: #"{"message":"m"}"#),
        ])
        defer { api.stop() }
        _ = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        let posts = api.posts
        try #require(posts.count == 2)
        let header = try #require(posts[0].headers[CacheAnnotation.annotationKey])
        #expect(
            try CacheAnnotation(parsing: header) == CacheAnnotation(outcome: .sharedHit, workerMs: 0.25, sharedMs: 1.5))
        #expect(posts[1].headers[CacheAnnotation.annotationKey] == nil)
    }

    @Test("the answer and the next GET next leave in one write, on the same connection")
    func answerAndNextArePipelined() async throws {
        let api = try RuntimeAPIStub(events: [
            .init(requestID: "p1", body: #"{"message":"m"}"#),
            .init(requestID: "p2", body: #"{"message":"m","fail":"X"}"#),
        ])
        defer { api.stop() }
        _ = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        let requests = api.server.requests
        #expect(requests.map(\.method) == ["GET", "POST", "GET", "POST", "GET"])
        for (i, request) in requests.enumerated() where request.method == "POST" {
            #expect(request.followedByPipelinedBytes, "the POST to \(request.path) was not followed by its next GET")
            #expect(requests[i + 1].path == RuntimeAPI.nextPath)
        }
        #expect(Set(requests.map(\.connection)) == [0])
    }

    @Test("next answered with an error status ends the loop as refused")
    func nextRefused() async throws {
        let api = try RuntimeAPIStub(events: [], nextStatus: 500)
        defer { api.stop() }
        let ending = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        #expect(ending == .nextRefused(status: 500))
        #expect(ending.exitStatus == 1)
    }

    @Test("next answered 410 (the host is stopping this worker) ends the loop quietly, exit status 0")
    func nextAnsweredWorkerStopped() async throws {
        let api = try RuntimeAPIStub(events: [], nextStatus: RuntimeAPI.workerStoppedStatus)
        defer { api.stop() }
        let ending = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: api.environment())
        #expect(ending == .stopped)
        #expect(ending.exitStatus == 0)
    }

    @Test("no Runtime API listening: the loop returns hostGone, exit status 0")
    func hostGoneBeforeFirstNext() async throws {
        let port = try unusedPort()
        let ending = await LambdaRuntimeLoop.run(
            ScriptedHandler.self, environment: [RuntimeAPI.Environment.runtimeAPI: "127.0.0.1:\(port)"])
        #expect(ending == .hostGone)
        #expect(ending.exitStatus == 0)
    }

    @Test("without AWS_LAMBDA_RUNTIME_API the loop refuses to start, exit status 2")
    func misconfigured() async {
        let ending = await LambdaRuntimeLoop.run(ScriptedHandler.self, environment: [:])
        guard case .misconfigured(let problem) = ending else {
            Issue.record("ended with \(ending)")
            return
        }
        #expect(problem.contains(RuntimeAPI.Environment.runtimeAPI))
        #expect(ending.exitStatus == 2)
    }
}
