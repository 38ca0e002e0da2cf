import ArgumentParser
import FnhostHost
import FnhostWire
import Foundation

/// `fnhost invoke NAME`: runs invocations from the command line, one JSON line per result on standard output and
/// Lambda's log lines on standard error.
struct InvokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Invoke a function and print each result as one line of JSON.",
        discussion: """
            The payload comes from --payload, else --event, else standard input (when it is not a terminal), \
            else {}. Each result (the function's answer, or Lambda's error object) is one line on standard output; \
            START/END/REPORT and the function's own logs go to standard error. With --repeat, the invocations run \
            on one host, so the first ones start workers cold and later ones find them warm.

            Exit codes: 0 every invocation succeeded; 1 at least one function error; 2 a service error; \
            3 a configuration error; 64 a usage error.
            """
    )

    @Argument(help: "The function to invoke.") var function: String
    @Option(help: ArgumentHelp("The event, as JSON text.", valueName: "json")) var payload: String?
    @Option(help: ArgumentHelp("A file holding the event.", valueName: "file")) var event: String?
    @Option(name: .customLong("repeat"), help: "How many invocations to run.") var count = 1
    @Option(help: "How many invocations run at once.") var concurrency = 1
    @Flag(name: .shortAndLong, help: "Do not print log lines (only results and errors).") var quiet = false
    @OptionGroup var host: HostOptions

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard (1...1000).contains(concurrency) else { throw ValidationError("--concurrency must be 1–1000") }
        if payload != nil && event != nil { throw ValidationError("give either --payload or --event, not both") }
    }

    func run() async throws {
        let eventBytes = try readPayload()
        let configuration = try host.hostConfiguration(maxWait: .seconds(900))
        let sink: any LogSink = quiet ? DiscardingLogSink() : StreamLogSink()
        let runtime: FunctionHost
        do {
            runtime = try FunctionHost(configuration: configuration, sink: sink)
        } catch {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        }
        if configuration.redisURL != nil { Self.noteRedis(configuration) }
        let results = await run(on: runtime, event: eventBytes)
        await runtime.shutdown()

        var serviceFailure = false
        var functionFailure = false
        for result in results {
            switch result {
            case .success(let r): functionFailure = functionFailure || r.isError
            case .failure(let e):
                serviceFailure = true
                _ = e
            }
        }
        if count > 1 { InvocationSummary(function: function, results: results, cache: runtime.cacheTally).print() }
        if serviceFailure { throw Exit.serviceError }
        if functionFailure { throw Exit.functionError }
    }

    private static func noteRedis(_ c: HostConfiguration) {
        printError("fnhost: shared cache tier on: \(c.redisURL!) (keys under fnhost:FUNCTION:)")
    }

    /// Runs `count` invocations with `concurrency` in flight, printing each result as it arrives. The calling tasks
    /// run on the host's executor, so that an invocation crosses no thread inside fnhost.
    private func run(on runtime: FunctionHost, event: [UInt8]) async -> [Result<InvocationResult, ServiceError>] {
        await withTaskExecutorPreference(runtime.executor) { await runCalls(on: runtime, event: event) }
    }

    private func runCalls(on runtime: FunctionHost, event: [UInt8]) async -> [Result<InvocationResult, ServiceError>] {
        let next = Counter()
        return await withTaskGroup(of: [Result<InvocationResult, ServiceError>].self) { group in
            for _ in 0..<min(concurrency, count) {
                group.addTask {
                    var mine: [Result<InvocationResult, ServiceError>] = []
                    while await next.take(below: count) {
                        do throws(ServiceError) {
                            let result = try await runtime.invoke(function, payload: event)
                            Output.line(result.payload)
                            mine.append(.success(result))
                        } catch {
                            Output.line(Array(error.jsonBody.utf8))
                            printError("fnhost: \(error.type) (\(error.status)): \(error.message)")
                            mine.append(.failure(error))
                        }
                    }
                    return mine
                }
            }
            var all: [Result<InvocationResult, ServiceError>] = []
            for await batch in group { all += batch }
            return all
        }
    }

    private func readPayload() throws -> [UInt8] {
        if let payload { return Array(payload.utf8) }
        if let event {
            guard let data = FileManager.default.contents(atPath: event) else {
                throw ValidationError("cannot read the event file \(event)")
            }
            return Array(data)
        }
        if isatty(0) == 0 { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        return Array("{}".utf8)
    }
}

/// Hands out invocation numbers to concurrent clients.
actor Counter {
    private var value = 0
    func take(below limit: Int) -> Bool {
        guard value < limit else { return false }
        value += 1
        return true
    }
}

/// Writes result lines to standard output, one JSON document per line.
enum Output {
    /// A payload that is not JSON (a worker may answer anything) is printed as a JSON string, so that every
    /// result is exactly one line of JSON.
    static func line(_ bytes: [UInt8]) {
        var text = bytes
        if let value = try? JSONValue.parse(text) {
            if text.contains(0x0A) || text.contains(0x0D), let compact = try? JSONEncoder().encode(value) {
                text = Array(compact)
            }
        } else {
            text = Array(JSONText.quote(String(decoding: bytes, as: UTF8.self)).utf8)
        }
        text.append(0x0A)
        StandardStreams.out(text)
    }
}
