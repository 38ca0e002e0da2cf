import ArgumentParser
import FnhostHost
import FnhostRuntimes
import FnhostSimulation
import FnhostTemplate
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
        help: ArgumentHelp(
            "A SAM template whose functions to run instead of a functions folder. [env: FNHOST_TEMPLATE] (default: "
                + "./template.yaml when the current folder has one and --functions is not given)",
            valueName: "file"))
    var template: String?

    @Option(
        name: .customLong("parameter-overrides"), parsing: .upToNextOption,
        help: ArgumentHelp(
            "The template's parameters, as `sam deploy` takes them: Name=Value … [env: FNHOST_PARAMETER_OVERRIDES]",
            valueName: "name=value"))
    var parameterOverrides: [String] = []

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
        try resolve(maxWait: maxWait).configuration
    }

    /// The host's configuration, and the template project when the functions come from a SAM template (its
    /// schedules, queues and state machines are for `fnhost serve`).
    func resolve(maxWait: Duration) throws -> (configuration: HostConfiguration, template: TemplateProject?) {
        let env = ProcessInfo.processInfo.environment
        let keepAlive = try Setting.value(
            self.keepAlive, flag: "--keep-alive", variable: "FNHOST_KEEP_ALIVE", env, parse: Double.init,
            unit: "a number of seconds", range: "a number of seconds ≥ 0", isValid: { $0.isFinite && $0 >= 0 })
        let seed =
            try Setting.value(
                self.seed, flag: "--seed", variable: "FNHOST_SEED", env, parse: { UInt64($0) },
                unit: "a whole number ≥ 0") ?? SimulationSettings.defaultSeed
        let scale: TimeScale
        do {
            scale =
                try Setting.text(timeScale, variable: "FNHOST_TIME_SCALE", env).map { try TimeScale(parsing: $0) }
                ?? .realTime
        } catch {
            throw ValidationError("\(error)")
        }
        let redisURL = Setting.text(redis, variable: "FNHOST_REDIS_URL", env)
        if let redisURL, !redisURL.hasPrefix("redis://") {
            throw ValidationError("the Redis URL must look like redis://HOST:PORT[/DB], got \"\(redisURL)\"")
        }
        let region = Setting.text(region, variable: "AWS_REGION", env) ?? "us-east-1"
        let simulation = SimulationSettings(
            profile: Setting.text(profile, variable: "FNHOST_PROFILE", env), seed: seed, timeScale: scale)
        let folder = Setting.text(functionsDirectory, variable: "FNHOST_FUNCTIONS_DIR", env)
        if let templateFile = Setting.text(template, variable: "FNHOST_TEMPLATE", env)
            ?? (folder == nil ? Self.templateHere() : nil)
        {
            let project = try Self.loadTemplate(templateFile, region: region, overrides: try overrides(env))
            var configuration = HostConfiguration(
                functionsDirectory: (HostConfiguration.absolute(templateFile) as NSString).deletingLastPathComponent,
                region: region, maxWait: maxWait, keepAliveOverride: keepAlive, simulation: simulation,
                redisURL: redisURL)
            configuration.functions = project.manifests
            return (configuration, project)
        }
        let configuration = HostConfiguration(
            functionsDirectory: try folder ?? Self.defaultFunctionsDirectory(), region: region, maxWait: maxWait,
            keepAliveOverride: keepAlive, simulation: simulation, redisURL: redisURL)
        return (configuration, nil)
    }

    /// `./template.yaml` (or `.yml`) when the current folder has one: where SAM users run their commands.
    static func templateHere() -> String? {
        ["template.yaml", "template.yml"].first { HostConfiguration.isRegularFile($0) }
    }

    /// `--parameter-overrides` (or `FNHOST_PARAMETER_OVERRIDES`, space-separated) as a dictionary.
    func overrides(_ env: [String: String]) throws -> [String: String] {
        let items =
            parameterOverrides.isEmpty
            ? (Setting.text(nil, variable: "FNHOST_PARAMETER_OVERRIDES", env) ?? "").split(separator: " ").map(
                String.init)
            : parameterOverrides
        var result: [String: String] = [:]
        for item in items {
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw ValidationError("a parameter override looks like Name=Value, got \"\(item)\"")
            }
            result[String(item[..<eq])] = String(item[item.index(after: eq)...])
        }
        return result
    }

    /// Loads a template's functions, printing its one warning; a bad template exits as a configuration error (3).
    static func loadTemplate(_ file: String, region: String, overrides: [String: String]) throws -> TemplateProject {
        do {
            let project = try TemplateProject.load(
                file: file, context: SAMTemplate.Context(parameterOverrides: overrides, region: region),
                python: PythonEnvironments(progress: { printError("fnhost: \($0)") }))
            if let warning = project.application.warning { printError("fnhost: warning: \(warning)") }
            return project
        } catch {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        }
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
