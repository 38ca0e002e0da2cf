import ArgumentParser
import FnhostServer
import FnhostTraces
import FnhostWire
import Foundation

/// `fnhost traces`: the traces a running `fnhost serve` keeps, drawn as waterfalls in the terminal.
struct TracesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traces",
        abstract: "Show the traces a running fnhost serve keeps, as waterfalls.",
        discussion: """
            fnhost serve keeps its last traces in memory (--trace-capacity). Each span is marked measured (M, █) \
            or simulated (S, ░: drawn from the overhead profile, seeded). Exit code 0 when traces were shown, 2 when \
            the trace is unknown or the server refused, 3 when no server answers at the endpoint.
            """,
        subcommands: [List.self, Show.self, Slowest.self],
        defaultSubcommand: List.self
    )

    struct ServerOptions: ParsableArguments {
        @Option(
            help: ArgumentHelp(
                "The fnhost serve to ask. [env: FNHOST_ENDPOINT] (default: http://127.0.0.1:9000)", valueName: "url"))
        var endpoint: String?
        @Option(help: "Columns of a waterfall line (default: the terminal's COLUMNS, else 100).") var width: Int?

        var address: OneShotHTTPClient.Address {
            get throws {
                let text = endpoint ?? ProcessInfo.processInfo.environment["FNHOST_ENDPOINT"] ?? "http://127.0.0.1:9000"
                guard let a = OneShotHTTPClient.Address(text) else {
                    throw ValidationError("--endpoint \(text) is not an http://host:port address")
                }
                return a
            }
        }

        var waterfall: Waterfall {
            Waterfall(width: width ?? Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100)
        }

        /// GETs a path of the server and reads its JSON; refusals and a missing server exit with clear messages.
        func get(_ path: String) async throws -> JSONValue {
            let address = try address.with(path: path)
            let response: OneShotHTTPClient.Response
            do {
                response = try await OneShotHTTPClient.exchange(method: "GET", address, timeout: .seconds(10))
            } catch {
                printError("fnhost: no fnhost serve answered at http://\(address.host):\(address.port) (\(error))")
                throw Exit.configurationError
            }
            let json = try? JSONValue.parse(response.body)
            guard response.status == 200, let json else {
                var message = String(decoding: response.body.prefix(300), as: UTF8.self)
                if case .object(let o)? = json, case .string(let m)? = o["message"] { message = m }
                printError("fnhost: \(path): \(response.status) \(message)")
                throw Exit.serviceError
            }
            return json
        }

        func traces(_ path: String) async throws -> [Trace] {
            do { return try Trace.list(json: try await get(path)) } catch let error as Trace.DecodingError {
                printError("fnhost: the server's answer is \(error)")
                throw Exit.serviceError
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the newest traces, one line each.")
        @OptionGroup var server: ServerOptions
        @Option(help: "Only the traces of this function.") var function: String?
        @Option(name: .shortAndLong, help: "How many (1-10000).") var limit = 20

        func run() async throws {
            var path = "/fnhost/traces?limit=\(limit)"
            if let function { path += "&function=\(function)" }
            let traces = try await server.traces(path)
            if traces.isEmpty { print("no traces kept"); return }
            for t in traces {
                print(
                    "\(t.id.xray)  \(t.root)  \(t.trigger.rawValue)  \(t.outcome.rawValue)  "
                        + "\(Waterfall.milliseconds(t.durationMs)) ms  \(t.spans.count) spans")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw one trace's waterfall.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The trace id (1-XXXXXXXX-… or 32 hex digits).") var id: String
        @Flag(help: "Print the trace's JSON instead.") var json = false

        func validate() throws {
            guard TraceID(parsing: id) != nil else {
                throw ValidationError("\(id) is not a trace id (1-8HEX-24HEX, or 32 hex digits)")
            }
        }

        func run() async throws {
            let value = try await server.get("/fnhost/traces/\(id)")
            if json { print(String(decoding: value.serialized, as: UTF8.self)); return }
            do { print(server.waterfall.render(try Trace(json: value))) } catch {
                printError("fnhost: the server's answer is \(error)")
                throw Exit.serviceError
            }
        }
    }

    struct Slowest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Draw the slowest kept traces of a function.")
        @OptionGroup var server: ServerOptions
        @Argument(help: "The function.") var function: String
        @Option(name: .short, help: "How many.") var n = 5

        func run() async throws {
            let traces = try await server.traces("/fnhost/traces?function=\(function)&slowest=true&limit=\(n)")
            if traces.isEmpty { print("no traces kept for \(function)"); return }
            print(traces.map { server.waterfall.render($0) }.joined(separator: "\n\n"))
        }
    }
}
