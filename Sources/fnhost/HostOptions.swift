import ArgumentParser
import FnhostHost
import FnhostSimulation
import Foundation

/// Options every command that runs functions shares, each with its `FNHOST_*` environment variable.
struct HostOptions: ParsableArguments {
    @Option(
        name: .customLong("functions"),
        help: ArgumentHelp(
            "The folder with one sub-folder per function. [env: FNHOST_FUNCTIONS_DIR] (default: ./functions, else the "
                + "functions/ of the repository the binary was built in)",
            valueName: "dir"))
    var functionsDirectory: String?

    @Option(
        name: .customLong("keep-alive"),
        help: ArgumentHelp(
            "Seconds an idle worker stays warm, overriding every manifest. [env: FNHOST_KEEP_ALIVE]",
            valueName: "seconds"))
    var keepAlive: Double?

    @Option(help: ArgumentHelp("The AWS region functions are told they run in. [env: AWS_REGION] (default: us-east-1)"))
    var region: String?

    @Option(
        help: ArgumentHelp(
            "Overhead profile for every function: none, lambda, lambda-vpc, or a profile file. Without one, each manifest's "
                + "profile applies, and without that no simulated delay. [env: FNHOST_PROFILE]", valueName: "name|file")
    )
    var profile: String?

    @Option(
        help: ArgumentHelp(
            "Seed of every simulated delay: the same seed gives the same delays. [env: FNHOST_SEED] (default: 42)"))
    var seed: UInt64?

    @Option(
        name: .customLong("time-scale"),
        help: ArgumentHelp(
            "Real sleep = simulated delay × this factor (0.01 runs 100× faster); reports stay in simulated ms. "
                + "[env: FNHOST_TIME_SCALE] (default: 1)", valueName: "factor"))
    var timeScale: String?

    @Option(
        help: ArgumentHelp(
            "Shared cache tier behind each worker's memory: redis://HOST:PORT[/DB]. [env: FNHOST_REDIS_URL] (default: off)",
            valueName: "url"))
    var redis: String?

    /// Resolves flags over environment variables over defaults.
    func hostConfiguration(maxWait: Duration) throws -> HostConfiguration {
        let env = ProcessInfo.processInfo.environment
        let keepAlive =
            try self.keepAlive
            ?? env["FNHOST_KEEP_ALIVE"].map { value in
                guard let v = Double(value), v >= 0 else {
                    throw ValidationError("FNHOST_KEEP_ALIVE must be a number of seconds, got \"\(value)\"")
                }
                return v
            }
        let seedText = seed.map(String.init) ?? env["FNHOST_SEED"]
        guard let seed = seedText.map({ UInt64($0) }) ?? SimulationSettings.defaultSeed else {
            throw ValidationError("FNHOST_SEED must be a whole number ≥ 0, got \"\(seedText ?? "")\"")
        }
        let scale: TimeScale
        do { scale = try (timeScale ?? env["FNHOST_TIME_SCALE"]).map { try TimeScale(parsing: $0) } ?? .realTime } catch
        {
            throw ValidationError("\(error)")
        }
        let redisURL = redis ?? env["FNHOST_REDIS_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let redisURL, !redisURL.hasPrefix("redis://") {
            throw ValidationError("the Redis URL must look like redis://HOST:PORT[/DB], got \"\(redisURL)\"")
        }
        return HostConfiguration(
            functionsDirectory: try functionsDirectory ?? env["FNHOST_FUNCTIONS_DIR"]
                ?? Self.defaultFunctionsDirectory(),
            region: region ?? env["AWS_REGION"] ?? "us-east-1", maxWait: maxWait, keepAliveOverride: keepAlive,
            simulation: SimulationSettings(
                profile: profile ?? env["FNHOST_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }, seed: seed,
                timeScale: scale),
            redisURL: redisURL
        )
    }

    /// `./functions` when it exists, else the repository's `functions/` found above the binary, so that
    /// `.build/release/fnhost` works from any directory (``HostConfiguration/locateFunctionsDirectory``).
    /// When there is neither, says which folders were tried and exits as a configuration error (3).
    static func defaultFunctionsDirectory() throws -> String {
        do {
            return try HostConfiguration.locateFunctionsDirectory()
        } catch {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        }
    }
}
