import ArgumentParser
import FnhostStore
import FnhostStreams
import FnhostWire
import Foundation

/// `fnhost streams`: the Kinesis-compatible streams of a state folder, with their shards and records.
struct StreamsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streams",
        abstract: "List the Kinesis streams of fnhost serve.",
        discussion: """
            Streams live in the store of the state folder (STATE/fnhost.sqlite), which `fnhost serve` may be using \
            at the same time. Record counts include records past their retention period that no read returns any \
            more until the next put drops them.
            """,
        subcommands: [List.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List streams with their shard count, retention period and records per shard.")
        @OptionGroup var state: QueuesCommand.StateOptions
        @Flag(help: "Print JSON, one stream per line.") var json = false

        func run() async throws {
            let store = try await state.store()
            var rows: [(StoredStream, [Store.ShardExtent])] = []
            do {
                for stream in try await store.streams() {
                    var shards: [Store.ShardExtent] = []
                    for shard in 0..<stream.shardCount {
                        shards.append(try await store.shardExtent(stream: stream.name, shard: shard, notBefore: 0))
                    }
                    rows.append((stream, shards))
                }
            } catch {
                await store.close()
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.close()
            if !json && rows.isEmpty { print("no streams") }
            for (stream, shards) in rows {
                let records = shards.reduce(0) { $0 + $1.count }
                if json {
                    let fields: [String: JSONValue] = [
                        "name": .string(stream.name), "arn": .string(KinesisNames.arn(stream: stream.name)),
                        "shards": .number(Double(stream.shardCount)),
                        "retentionHours": .number(Double(stream.retentionHours)),
                        "records": .number(Double(records)),
                        "recordsPerShard": .object(
                            Dictionary(
                                uniqueKeysWithValues: shards.enumerated().map {
                                    (KinesisNames.shardID($0.offset), JSONValue.number(Double($0.element.count)))
                                })),
                        "createdAt": .number(Double(stream.createdAt)),
                    ]
                    print(String(decoding: JSONValue.object(fields).serialized, as: UTF8.self))
                } else {
                    print(
                        "\(stream.name)  shards \(stream.shardCount)  retention \(stream.retentionHours) h  records \(records)  ("
                            + shards.map { String($0.count) }.joined(separator: "/") + " per shard)")
                }
            }
        }
    }
}
