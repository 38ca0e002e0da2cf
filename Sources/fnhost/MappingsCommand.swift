import ArgumentParser
import FnhostEventSources
import FnhostServer
import FnhostStore
import FnhostWire
import Foundation

/// `fnhost mappings`: the event source mappings of a state folder — what feeds which function, in what batches,
/// enabled or not, declared in a manifest or made through the API — with the depth of each mapped queue. Batch
/// outcomes (success, failure, partial) are counted by the running `fnhost serve` on `/metrics`.
struct MappingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mappings",
        abstract: "List the event source mappings of fnhost serve (queues and streams that feed functions).",
        discussion: """
            Mappings live in the store of the state folder (STATE/fnhost.sqlite), which `fnhost serve` may be \
            using at the same time. They are made by a function's manifest (`eventSources`) or through Lambda's \
            API (`aws lambda create-event-source-mapping --endpoint-url …`). Batch outcomes per mapping are on \
            fnhost serve's /metrics (fnhost_event_source_batches_total).
            """,
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List mappings: UUID, function, source, state, batch settings, origin, queue depth.")
        @OptionGroup var state: QueuesCommand.StateOptions
        @Option(help: "Only the mappings of this function.") var function: String?
        @Flag(
            help: "Print JSON, one mapping per line (Lambda's EventSourceMappingConfiguration, plus fnhost's fields).")
        var json = false

        func run() async throws {
            let store = try await state.store()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            var rows: [(EventSourceMapping, Store.MessageCounts?)] = []
            do {
                for row in try await store.mappings() {
                    guard let mapping = EventSourceMapping(stored: row),
                        function.map({ $0 == mapping.function }) ?? true
                    else { continue }
                    var counts: Store.MessageCounts?
                    if mapping.kind == .sqs, try await store.queue(named: mapping.sourceName) != nil {
                        counts = try await store.messageCounts(queue: mapping.sourceName, now: now)
                    }
                    rows.append((mapping, counts))
                }
            } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.close()
            if !json && rows.isEmpty { print("no event source mappings") }
            for (mapping, counts) in rows {
                if json {
                    guard case .object(var fields) = mapping.configuration(region: ARN.defaultRegion) else { continue }
                    fields["Origin"] = .string(mapping.origin.rawValue)
                    if let counts {
                        fields["QueueDepth"] = .object([
                            "visible": .number(Double(counts.visible)), "inFlight": .number(Double(counts.inFlight)),
                            "delayed": .number(Double(counts.delayed)),
                        ])
                    }
                    print(String(decoding: JSONValue.object(fields).serialized, as: UTF8.self))
                } else {
                    let s = mapping.settings
                    var line =
                        "\(mapping.uuid)  \(mapping.sourceName) (\(mapping.kind.rawValue)) → \(mapping.function)  \(mapping.state.rawValue)  batch \(s.batchSize)"
                    if s.maximumBatchingWindowInSeconds > 0 { line += "  window \(s.maximumBatchingWindowInSeconds) s" }
                    if let c = s.maximumConcurrency { line += "  max concurrency \(c)" }
                    if s.reportBatchItemFailures { line += "  partial batch responses" }
                    line += "  (\(mapping.origin == .manifest ? "manifest" : "API"))"
                    if let counts {
                        line +=
                            "  queue: visible \(counts.visible), in flight \(counts.inFlight), delayed \(counts.delayed)"
                    }
                    print(line)
                }
            }
        }
    }
}
