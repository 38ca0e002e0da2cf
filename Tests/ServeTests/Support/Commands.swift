import Foundation
import Subprocess
#if canImport(System)
import System
#else
import SystemPackage
#endif

// One-shot commands run to completion with swift-subprocess: `fnhost dead-letters …`, the AWS CLI, python3.

struct CommandResult: Sendable, CustomStringConvertible {
    var termination: Termination
    var standardOutput: String
    var standardError: String

    var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    var outputLines: [String] { standardOutput.split(separator: "\n").map(String.init) }

    var description: String { "\(termination)\nstdout: \(standardOutput.prefix(2000))\nstderr: \(standardError.prefix(2000))" }
}

enum Command {
    /// Runs `executable ARGS` (a path, or a name looked up in PATH) with `extra` applied to the test process's
    /// environment (less every `FNHOST_*` variable; a nil value removes a variable), and at most `timeLimit`
    /// seconds (coreutils `timeout`).
    static func run(
        _ executable: String, _ arguments: [String], environment extra: [String: String?] = [:],
        workingDirectory: String? = nil, timeLimit: Int = 60
    ) async throws -> CommandResult {
        var updates: [Subprocess.Environment.Key: String?] = [:]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("FNHOST_") {
            updates[Subprocess.Environment.Key(stringLiteral: key)] = .some(nil)
        }
        for (k, v) in extra { updates[Subprocess.Environment.Key(stringLiteral: k)] = .some(v) }
        let result = try await Subprocess.run(
            .name("timeout"), arguments: Arguments(["-s", "KILL", String(timeLimit), executable] + arguments),
            environment: .inherit.updating(updates), workingDirectory: workingDirectory.map { FilePath($0) },
            input: .none, output: .string(limit: 4 << 20), error: .string(limit: 4 << 20)
        )
        let termination: Termination = switch result.terminationStatus {
        case .exited(let code): .exited(code)
        case .signaled(let signal): .signaled(signal)
        }
        return CommandResult(
            termination: termination, standardOutput: result.standardOutput, standardError: result.standardError)
    }

    /// `fnhost ARGS`.
    static func fnhost(_ arguments: [String]) async throws -> CommandResult {
        try await run(Paths.fnhost, arguments)
    }

    /// The full path of `name` in PATH, if it is an executable there.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

extension ServeProcess {
    /// `fnhost dead-letters list --json` on this server's state folder: one JSON object per dead letter.
    func deadLetters() async throws -> [[String: Any]] {
        let result = try await Command.fnhost(["dead-letters", "list", "--json", "--state-dir", stateDirectory])
        guard result.exitCode == 0 else { throw TestFailure("fnhost dead-letters list failed: \(result)") }
        return try result.outputLines.map { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestFailure("dead-letters list printed a line that is not a JSON object: \(line)")
            }
            return object
        }
    }

    /// The files (event ids) in `STATE/queue` or `STATE/dead-letters`.
    func storedEvents(_ folder: String) -> Set<String> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: stateDirectory + "/" + folder)) ?? []
        return Set(names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) })
    }

    /// `/metrics`, parsed.
    func metrics() async throws -> PrometheusText {
        let response = try await client.get("/metrics")
        guard response.status == 200 else { throw TestFailure("/metrics answered \(response)") }
        return PrometheusText(text: response.text)
    }

    /// `/healthz` as a JSON object.
    func health() async throws -> [String: Any] {
        let response = try await client.get("/healthz")
        guard response.status == 200 else { throw TestFailure("/healthz answered \(response)") }
        return try response.jsonObject()
    }
}
