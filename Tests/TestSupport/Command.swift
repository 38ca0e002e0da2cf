import Foundation
import Subprocess

#if canImport(System)
import System
#else
import SystemPackage
#endif

/// How a process ended.
public enum Termination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// From a `waitpid` status.
    public init(waitStatus status: Int32) {
        self = status & 0x7f == 0 ? .exited((status >> 8) & 0xff) : .signaled(status & 0x7f)
    }

    public var description: String {
        switch self {
        case .exited(let code): "exit \(code)"
        case .signaled(let signal): "signal \(signal)"
        }
    }
}

/// What one run of a command printed and how it ended.
public struct CommandResult: Sendable, CustomStringConvertible {
    public var termination: Termination
    public var standardOutput: String
    public var standardError: String

    public var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    public var signal: Int32? {
        if case .signaled(let signal) = termination { return signal }
        return nil
    }

    /// Standard output's lines, empty ones included (an empty line printed is a line), without the empty piece
    /// after a final newline.
    public var outputLines: [String] {
        var lines = standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    public var description: String {
        "\(termination)\nstdout: \(standardOutput.prefix(2000))\nstderr: \(standardError.prefix(2000))"
    }
}

/// One-shot commands run to completion with swift-subprocess, always under coreutils `timeout -s KILL` so that a
/// hung command cannot hang the suite: the `fnhost` binary, the AWS CLI, python3.
public enum Command {
    /// Runs `executable ARGS` (a path, or a name looked up in PATH) with `input` on standard input (none when nil),
    /// `extra` applied to ``environment`` (a nil value removes a variable), and at most `timeLimit` seconds.
    public static func run(
        _ executable: String, _ arguments: [String], input: String? = nil, environment extra: [String: String?] = [:],
        workingDirectory: String? = nil, timeLimit: Int = 60
    ) async throws -> CommandResult {
        var updates: [Subprocess.Environment.Key: String?] = [:]
        for (k, v) in extra { updates[Subprocess.Environment.Key(stringLiteral: k)] = .some(v) }
        let environment = Self.environment.updating(updates)
        let arguments = Arguments(["-s", "KILL", String(timeLimit), executable] + arguments)
        let directory = workingDirectory.map { FilePath($0) }
        let result =
            if let input {
                try await Subprocess.run(
                    .name("timeout"), arguments: arguments, environment: environment, workingDirectory: directory,
                    input: .string(input), output: .string(limit: 4 << 20), error: .string(limit: 4 << 20))
            } else {
                try await Subprocess.run(
                    .name("timeout"), arguments: arguments, environment: environment, workingDirectory: directory,
                    input: .none, output: .string(limit: 4 << 20), error: .string(limit: 4 << 20))
            }
        let termination: Termination =
            switch result.terminationStatus {
            case .exited(let code): .exited(code)
            case .signaled(let signal): .signaled(signal)
            }
        return CommandResult(
            termination: termination, standardOutput: result.standardOutput, standardError: result.standardError)
    }

    /// `fnhost ARGS`, from the build folder; fails clearly when it is not built.
    public static func fnhost(
        _ arguments: [String], input: String? = nil, environment extra: [String: String?] = [:],
        workingDirectory: String? = nil, timeLimit: Int = 60
    ) async throws -> CommandResult {
        try await run(
            try Paths.fnhost, arguments, input: input, environment: extra, workingDirectory: workingDirectory,
            timeLimit: timeLimit)
    }

    /// The test process's environment minus the `FNHOST_*` settings, so that a developer's own settings never
    /// change what the tests see, with ``searchPath`` as PATH.
    public static var environment: Subprocess.Environment {
        var updates: [Subprocess.Environment.Key: String?] = ["PATH": .some(searchPath)]
        for key in ProcessInfo.processInfo.environment.keys where key.hasPrefix("FNHOST_") {
            updates[Subprocess.Environment.Key(stringLiteral: key)] = .some(nil)
        }
        return .inherit.updating(updates)
    }

    /// The test tools' virtual environment (boto3, the AWS CLI, cfn-lint, opentelemetry-proto) that
    /// `scripts/setup --deps` makes, so the README's test command finds them without touching the user's PATH.
    public static let testToolsFolder = Paths.repositoryRoot + "/.build/test-venv/bin"

    /// PATH for the commands tests run: ``testToolsFolder`` first when it exists, then the inherited PATH.
    public static var searchPath: String {
        let inherited = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return FileManager.default.fileExists(atPath: testToolsFolder) ? testToolsFolder + ":" + inherited : inherited
    }

    /// The full path of `name` in ``searchPath``, if it is an executable there.
    public static func find(_ name: String) -> String? {
        for folder in searchPath.split(separator: ":") {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
