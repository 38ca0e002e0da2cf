import FnhostHost
import FnhostWire
import Foundation
import Subprocess
import Synchronization
import TestSupport
import Testing
#if canImport(System)
import System
#else
import SystemPackage
#endif

// Helpers shared by the integration tests: where things are, fixture functions, a log sink that keeps lines,
// process checks, polling with a deadline, and running the built `fnhost` binary.

// MARK: Paths

enum Paths {
    /// The folder of the running test bundle: SwiftPM puts `fnhost`, `fnhost-launch` and the function binaries
    /// beside it.
    static let buildDirectory = HostConfiguration.executableDirectory()
    /// The repository, from this file's place in it (`Tests/FnhostTests/Support.swift`).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// The fixture functions: shell-script workers that misbehave on demand.
    static let fixtures = repositoryRoot + "/Tests/FnhostTests/Fixtures/functions"
    /// The project's real functions.
    static let functions = repositoryRoot + "/functions"
    static let fnhost = buildDirectory + "/fnhost"
}

// MARK: Temporary folders and fixture copies

/// Runs `body` with a fresh temporary folder and removes it afterwards, whatever happens.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("fnhost-tests-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

enum Fixtures {
    /// Copies fixture functions (and the shell library they share) into `directory/functions`, applying manifest
    /// overrides per function, and returns that functions folder. For tests that need a manifest the repository's
    /// fixtures do not have, such as the `fnhost` binary's, which cannot be given extra worker variables.
    static func install(
        _ names: [String], into directory: String, overrides: [String: [String: JSONValue]] = [:]
    ) throws -> String {
        let fm = FileManager.default
        let functions = directory + "/functions"
        try fm.createDirectory(atPath: functions, withIntermediateDirectories: true)
        try fm.copyItem(atPath: Paths.fixtures + "/_lib", toPath: functions + "/_lib")
        for name in names {
            try fm.copyItem(atPath: Paths.fixtures + "/" + name, toPath: functions + "/" + name)
            guard let extra = overrides[name] else { continue }
            let file = functions + "/" + name + "/function.json"
            guard case .object(var manifest) = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: file)))
            else { throw FixtureError("\(file) is not a JSON object") }
            for (key, value) in extra { manifest[key] = value }
            try JSONEncoder().encode(JSONValue.object(manifest)).write(to: URL(fileURLWithPath: file))
        }
        return functions
    }

    /// Writes one manifest file as given (for broken manifests).
    static func writeManifest(_ text: String, function: String, in functions: String) throws {
        let folder = functions + "/" + function
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/function.json"))
    }

    /// The pids the fixtures recorded in `directory` (`NAME.pid` files), by name.
    static func recordedPIDs(in directory: String) -> [String: Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var pids: [String: Int32] = [:]
        for name in names where name.hasSuffix(".pid") {
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            pids[String(name.dropLast(4))] = pid
        }
        return pids
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

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
    functions: String = Paths.fixtures, maxWait: Duration = .zero, keepAlive: Double? = nil,
    workerEnvironment: [String: String] = [:], initTimeout: Duration? = nil, sink: CollectingSink = CollectingSink(),
    _ body: (FunctionHost) async throws -> T
) async throws -> T {
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
            Issue.record("expected an answer, got \(String(decoding: payload, as: UTF8.self))", sourceLocation: sourceLocation)
            throw FixtureError("not an answer")
        }
        return try jsonObject(bytes)
    }

    /// The function error; fails the test if the invocation succeeded.
    func functionError(sourceLocation: SourceLocation = #_sourceLocation) throws -> FunctionError {
        guard case .functionError(let error) = outcome else {
            Issue.record("expected a function error, got \(String(decoding: payload, as: UTF8.self))", sourceLocation: sourceLocation)
            throw FixtureError("not an error")
        }
        return error
    }
}

func jsonObject(_ bytes: some Collection<UInt8>) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
        throw FixtureError("not a JSON object: \(String(decoding: Array(bytes), as: UTF8.self))")
    }
    return object
}

// MARK: Processes and time

enum Processes {
    /// Whether a process exists and is not a zombie (a dead worker whose new parent has not reaped it yet is gone
    /// for every purpose that matters here).
    static func isRunning(_ pid: Int32) -> Bool {
        guard pid > 0, let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return false }
        let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
        return state != "Z" && state != "X"
    }

    /// Waits until every pid is gone; true if they all went within the limit.
    static func allGone(_ pids: [Int32], within limit: Duration) async -> Bool {
        await eventually(within: limit) { !pids.contains(where: isRunning) }
    }
}

/// How long `body` took.
func measure<T>(_ body: () async throws -> T) async rethrows -> (T, Duration) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, ContinuousClock.now - start)
}

// MARK: The fnhost binary

/// What one run of the `fnhost` binary printed and how it ended.
struct CommandResult: Sendable {
    var exitCode: Int32?
    var signal: Int32?
    var standardOutput: String
    var standardError: String

    var outputLines: [String] { standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

enum FnhostCommand {
    /// Runs `fnhost ARGS` to completion, with `input` on standard input (none when nil) and `extraEnvironment`
    /// added to the test process's environment.
    static func run(
        _ arguments: [String], input: String? = nil, workingDirectory: String? = nil,
        extraEnvironment: [String: String] = [:]
    ) async throws -> CommandResult {
        var environment = environment
        if !extraEnvironment.isEmpty {
            var added: [Subprocess.Environment.Key: String?] = [:]
            for (k, v) in extraEnvironment { added[Subprocess.Environment.Key(stringLiteral: k)] = v }
            environment = environment.updating(added)
        }
        if let input {
            return try await execute(arguments, input: .string(input), workingDirectory: workingDirectory, environment: environment)
        }
        return try await execute(arguments, input: NoInput.none, workingDirectory: workingDirectory, environment: environment)
    }

    private static func execute(
        _ arguments: [String], input: some InputProtocol, workingDirectory: String?, environment: Subprocess.Environment
    ) async throws -> CommandResult {
        let result = try await Subprocess.run(
            .path(FilePath(Paths.fnhost)), arguments: Arguments(arguments), environment: environment,
            workingDirectory: workingDirectory.map { FilePath($0) }, input: input,
            output: .string(limit: 1 << 20), error: .string(limit: 1 << 20)
        )
        var exitCode: Int32?
        var signal: Int32?
        switch result.terminationStatus {
        case .exited(let code): exitCode = code
        case .signaled(let s): signal = s
        }
        return CommandResult(
            exitCode: exitCode, signal: signal, standardOutput: result.standardOutput,
            standardError: result.standardError)
    }

    /// The test process's environment minus the `FNHOST_*` settings, so that a developer's own settings never
    /// change what the tests see.
    static var environment: Subprocess.Environment {
        var unset: [Subprocess.Environment.Key: String?] = [:]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("FNHOST_") {
            unset[Subprocess.Environment.Key(stringLiteral: key)] = .some(nil)
        }
        return .inherit.updating(unset)
    }
}
