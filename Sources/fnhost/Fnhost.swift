import ArgumentParser

/// The `fnhost` command: a local Lambda with pools of real worker processes.
@main
struct Fnhost: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fnhost",
        abstract: "A local function-as-a-service runtime that behaves like AWS Lambda: cold and warm workers, "
            + "per-worker memory, the Runtime API.",
        discussion: """
            Configuration comes from FNHOST_* environment variables; a command-line flag wins over its variable.

            Exit codes: 0 success; 1 a function error (the function failed, crashed or timed out); \
            2 a service error (unknown function, payload not JSON or too large, throttled); \
            3 a configuration error (bad manifest, missing build products); 64 a usage error.
            """,
        version: "0.1.0",
        subcommands: [
            InvokeCommand.self, ServeCommand.self, ExperimentCommand.self, FunctionsCommand.self,
            DeadLettersCommand.self, RequestLogCommand.self, ExportCommand.self, QueuesCommand.self,
            StreamsCommand.self,
            StatesCommand.self, MappingsCommand.self,
        ]
    )
}
