import ArgumentParser
import FnhostStore
import Foundation

/// Where every command reads a setting: its flag, else its `FNHOST_*` (or AWS) environment variable, else a default
/// (12-factor, flags win). One copy of the rule, so an empty variable always counts as unset and a bad value always
/// names the flag or variable it came from.
enum Setting {
    /// The flag's text, else the variable's when it is set and not empty.
    static func text(
        _ flagValue: String?, variable: String, _ env: [String: String] = ProcessInfo.processInfo.environment
    ) -> String? {
        flagValue ?? env[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The flag's value, else the variable's (parsed), else nil; a value that does not parse or is out of range is a
    /// `ValidationError` naming where it came from.
    static func value<T>(
        _ flagValue: T?, flag: String, variable: String, _ env: [String: String] = ProcessInfo.processInfo.environment,
        parse: (String) -> T?, unit: String, range: String? = nil, isValid: (T) -> Bool = { _ in true }
    ) throws -> T? {
        let (value, source): (T, String)
        if let flagValue {
            (value, source) = (flagValue, flag)
        } else if let text = env[variable], !text.isEmpty {
            guard let parsed = parse(text) else {
                throw ValidationError("\(variable) must be \(unit), got \"\(text)\"")
            }
            (value, source) = (parsed, variable)
        } else {
            return nil
        }
        guard isValid(value) else { throw ValidationError("\(source) must be \(range ?? unit), got \(value)") }
        return value
    }
}

/// `--state-dir`, the folder where `fnhost serve` keeps what must survive a restart (its SQLite database), shared by
/// every command that reads it.
struct StateDirectoryOption: ParsableArguments {
    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp(
            "The state folder of fnhost serve. [env: FNHOST_STATE_DIR] (default: .fnhost)", valueName: "dir"))
    var stateDirectory: String?

    /// The flag, else `FNHOST_STATE_DIR`, else `.fnhost`.
    var directory: String { Self.resolve(stateDirectory) }

    static func resolve(
        _ flagValue: String?, _ env: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        Setting.text(flagValue, variable: "FNHOST_STATE_DIR", env) ?? ".fnhost"
    }
}

extension StateDirectoryOption {
    /// fnhost's SQLite store in the state folder; a folder that cannot hold it is a configuration error (exit 3).
    func store() async throws -> Store {
        do { return try await Store.open(stateDirectory: directory) } catch {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        }
    }
}
