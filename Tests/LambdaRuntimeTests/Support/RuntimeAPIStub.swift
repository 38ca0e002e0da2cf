import FnhostWire
import Foundation
import Synchronization

/// An in-process Runtime API: hands out the events it was given, one per `GET next`, answers every `POST` 202 and
/// records it; when the events run out, it closes the connection as a host that went away does, so the loop under
/// test ends.
final class RuntimeAPIStub: Sendable {
    struct Event: Sendable {
        var requestID: String
        var body: String
        var deadlineMs: Int64 = 4_102_444_800_000
        var functionARN = "arn:aws:lambda:us-east-1:000000000000:function:test"
        var traceID = "Root=1-5e1b4151-43a974f1b0b1b9a1e0000000"
    }

    /// The events not yet handed out.
    private final class Queue: Sendable {
        let events: Mutex<[Event]>
        init(_ events: [Event]) { self.events = Mutex(events) }
        func pop() -> Event? { events.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    }

    /// The status `next` answers with instead of an event, when set.
    private let nextStatus: Int?
    let server: TestHTTPServer

    init(events: [Event], nextStatus: Int? = nil) throws {
        let queue = Queue(events)
        self.nextStatus = nextStatus
        server = try TestHTTPServer { request in
            if request.method == "GET" && request.path == RuntimeAPI.nextPath {
                if let nextStatus { return .json("{\"message\":\"no\"}", status: nextStatus) }
                guard let event = queue.pop() else { return .hangUp }
                return .json(
                    event.body,
                    headers: [
                        (RuntimeAPI.Header.requestID, event.requestID),
                        (RuntimeAPI.Header.deadlineMs, String(event.deadlineMs)),
                        (RuntimeAPI.Header.invokedFunctionARN, event.functionARN),
                        (RuntimeAPI.Header.traceID, event.traceID),
                    ])
            }
            if request.method == "POST" { return .json("{\"status\":\"OK\"}", status: 202) }
            return .json("{\"message\":\"unknown path\"}", status: 404)
        }
    }

    /// The environment a worker gets, pointing at this Runtime API.
    func environment(_ extra: [String: String] = [:]) -> [String: String] {
        [
            RuntimeAPI.Environment.runtimeAPI: server.address,
            RuntimeAPI.Environment.functionName: "test",
            RuntimeAPI.Environment.functionVersion: "$LATEST",
            RuntimeAPI.Environment.memorySize: "256",
            RuntimeAPI.Environment.taskRoot: "/tmp",
        ].merging(extra) { $1 }
    }

    /// The `POST`s received (answers, errors, init errors), in order.
    var posts: [TestHTTPServer.Request] { server.requests.filter { $0.method == "POST" } }
    var nexts: [TestHTTPServer.Request] { server.requests.filter { $0.method == "GET" } }

    func stop() { server.stop() }
}
