import ArgumentParser
import FnhostHost
import FnhostManifest
import Foundation

/// `fnhost functions`: what is deployed, as the manifests declare it.
struct FunctionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "functions", abstract: "List the functions and their settings.")

    @OptionGroup var host: HostOptions
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        let configuration = try host.hostConfiguration(maxWait: .zero)
        let manifests: [FunctionManifest]
        do {
            manifests =
                try configuration.functions ?? ManifestLoader.loadAll(directory: configuration.functionsDirectory)
        } catch {
            printError("fnhost: \(error)")
            throw Exit.configurationError
        }
        if json {
            let rows = manifests.map { m -> [String: Any] in
                var row: [String: Any] = [
                    "name": m.name, "description": m.description, "command": m.command, "handler": m.handler,
                    "memorySize": m.memorySize, "timeout": m.timeout, "keepAlive": m.keepAlive,
                    "environment": m.environment, "directory": m.directory,
                ]
                row["reservedConcurrency"] = m.reservedConcurrency ?? NSNull()
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let header = ["NAME", "MEMORY", "TIMEOUT", "KEEP-ALIVE", "CONCURRENCY", "COMMAND"]
        let rows = manifests.map { m in
            [
                m.name, "\(m.memorySize) MB", "\(format(m.timeout)) s", "\(format(m.keepAlive)) s",
                m.reservedConcurrency.map(String.init) ?? "\(configuration.defaultConcurrency) (host)",
                m.command.joined(separator: " "),
            ]
        }
        let widths = header.indices.map { i in ([header] + rows).map { $0[i].count }.max()! }
        for row in [header] + rows {
            print(
                row.enumerated().map { i, cell in
                    i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                }.joined(separator: "  "))
        }
    }

    private func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    StandardStreams.err(line + "\n")
}
