import ArgumentParser
import FnhostHost
import Foundation

/// Options every command that runs functions shares, each with its `FNHOST_*` environment variable.
struct HostOptions: ParsableArguments {
    @Option(name: .customLong("functions"), help: ArgumentHelp(
        "The folder with one sub-folder per function. [env: FNHOST_FUNCTIONS_DIR] (default: ./functions)",
        valueName: "dir"))
    var functionsDirectory: String?

    @Option(name: .customLong("keep-alive"), help: ArgumentHelp(
        "Seconds an idle worker stays warm, overriding every manifest. [env: FNHOST_KEEP_ALIVE]", valueName: "seconds"))
    var keepAlive: Double?

    @Option(help: ArgumentHelp("The AWS region functions are told they run in. [env: AWS_REGION] (default: us-east-1)"))
    var region: String?

    /// Resolves flags over environment variables over defaults.
    func hostConfiguration(maxWait: Duration) throws -> HostConfiguration {
        let env = ProcessInfo.processInfo.environment
        let keepAlive = try self.keepAlive ?? env["FNHOST_KEEP_ALIVE"].map { value in
            guard let v = Double(value), v >= 0 else {
                throw ValidationError("FNHOST_KEEP_ALIVE must be a number of seconds, got \"\(value)\"")
            }
            return v
        }
        return HostConfiguration(
            functionsDirectory: functionsDirectory ?? env["FNHOST_FUNCTIONS_DIR"] ?? Self.defaultFunctionsDirectory(),
            region: region ?? env["AWS_REGION"] ?? "us-east-1", maxWait: maxWait, keepAliveOverride: keepAlive
        )
    }

    /// `./functions` when it exists, else the repository's `functions/` beside the build folder
    /// (`.build/release/fnhost` → `functions/`), so the binary works from any directory.
    static func defaultFunctionsDirectory() -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: "functions") { return fm.currentDirectoryPath + "/functions" }
        let beside = URL(fileURLWithPath: HostConfiguration.executableDirectory())
            .appendingPathComponent("../../functions").standardized.path
        return fm.fileExists(atPath: beside) ? beside : "functions"
    }
}
