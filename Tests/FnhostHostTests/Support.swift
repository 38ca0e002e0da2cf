import FnhostHost
import FnhostWire
import Foundation
import Synchronization
import TestSupport
import Testing

// The host's own test helpers (the shared ones are in TestSupport): a log sink that keeps lines, a host over the
// fixtures that is always shut down, and shortcuts on invocation results.

// MARK: Hosts

/// A log sink that keeps every line, for assertions on START/END/REPORT and on what the workers wrote.
final class CollectingSink: LogSink {
    struct Line: Sendable {
        var text: String
        var function: String
        var requestID: String?
        var fromPlatform: Bool
    }

    private let lines = Mutex<[Line]>([])

    func platform(_ line: String, function: String, requestID: String?) {
        lines.withLock { $0.append(Line(text: line, function: function, requestID: requestID, fromPlatform: true)) }
    }

    func functionOutput(_ line: String, function: String, worker: String, requestID: String?) {
        lines.withLock { $0.append(Line(text: line, function: function, requestID: requestID, fromPlatform: false)) }
    }

    var all: [Line] { lines.withLock { $0 } }

    /// The platform's lines for one request, in order.
    func platformLines(for requestID: String) -> [String] {
        all.filter { $0.fromPlatform && $0.requestID == requestID }.map(\.text)
    }

    func report(for requestID: String) -> String? {
        platformLines(for: requestID).first { $0.hasPrefix("REPORT ") }
    }

    /// Request ids whose `START` line was written for `function`.
    func startedRequests(of function: String) -> [String] {
        all.filter { $0.fromPlatform && $0.function == function && $0.text.hasPrefix("START ") }.compactMap(\.requestID)
    }
}

/// Runs `body` with a host over `functions` (the fixtures by default) and always shuts it down afterwards.
func withHost<T>(
    functions: String = Paths.fixtureFunctions, maxWait: Duration = .zero, keepAlive: Double? = nil,
    workerEnvironment: [String: String] = [:], initTimeout: Duration? = nil, sink: CollectingSink = CollectingSink(),
    _ body: (FunctionHost) async throws -> T
) async throws -> T {
    // Every worker starts through fnhost-launch; the real functions' manifests start the Swift functions' binaries.
    try Paths.requireBuilt("fnhost-launch")
    if functions == Paths.functions { try Paths.requireBuilt(Paths.functionBinaries) }
    var configuration = HostConfiguration(
        functionsDirectory: functions, buildDirectory: Paths.buildDirectory, maxWait: maxWait,
        keepAliveOverride: keepAlive, workerEnvironment: workerEnvironment
    )
    if let initTimeout { configuration.initTimeout = initTimeout }
    let host = try FunctionHost(configuration: configuration, sink: sink)
    do {
        let result = try await body(host)
        await host.shutdown()
        return result
    } catch {
        await host.shutdown()
        throw error
    }
}

extension FunctionHost {
    /// Invokes with a payload given as text.
    func invoke(_ name: String, _ payload: String) async throws(ServiceError) -> InvocationResult {
        try await invoke(name, payload: Array(payload.utf8))
    }

    /// Waits until a function's pool reaches a state (such as two busy workers).
    func waitForPool(
        _ function: String, within limit: Duration = .seconds(5),
        until condition: @escaping @Sendable ((idle: Int, busy: Int, starting: Int, waiting: Int)) -> Bool
    ) async -> Bool {
        await eventually(within: limit) {
            guard let snapshot = await self.poolSnapshot(function) else { return false }
            return condition(snapshot)
        }
    }
}

extension InvocationResult {
    /// The function's answer as a JSON object; fails the test if it was an error or not an object.
    func answer(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        guard case .success(let bytes) = outcome else {
            Issue.record(
                "expected an answer, got \(String(decoding: payload, as: UTF8.self))", sourceLocation: sourceLocation)
            throw TestFailure("not an answer")
        }
        return try jsonObject(bytes)
    }

    /// The function error; fails the test if the invocation succeeded.
    func functionError(sourceLocation: SourceLocation = #_sourceLocation) throws -> FunctionError {
        guard case .functionError(let error) = outcome else {
            Issue.record(
                "expected a function error, got \(String(decoding: payload, as: UTF8.self))",
                sourceLocation: sourceLocation)
            throw TestFailure("not an error")
        }
        return error
    }
}
