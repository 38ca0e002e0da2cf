import ArgumentParser
import FnhostQueues
import FnhostStore
import FnhostWire
import Foundation

/// `fnhost queues`: the SQS queues of a state folder with their depths, and a look at a queue's messages that
/// changes nothing (no receive counted, no visibility changed) — for a dead-letter queue above all.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "List the SQS queues of fnhost serve, or peek at a queue's messages.",
        discussion: """
            Queues live in the store of the state folder (STATE/fnhost.sqlite), which `fnhost serve` may be using \
            at the same time. Peeking reads messages without receiving them: their visibility and receive counts \
            do not change.
            """,
        subcommands: [List.self, Peek.self],
        defaultSubcommand: List.self
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List queues with their messages visible, in flight and delayed, and the oldest's age.")
        @OptionGroup var state: StateDirectoryOption
        @Flag(help: "Print JSON, one queue per line.") var json = false

        func run() async throws {
            let store = try await state.store()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let queues: [(StoredQueue, Store.MessageCounts)]
            do {
                var rows: [(StoredQueue, Store.MessageCounts)] = []
                for queue in try await store.queues() {
                    rows.append((queue, try await store.messageCounts(queue: queue.name, now: now)))
                }
                queues = rows
            } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.close()
            if !json && queues.isEmpty { print("no queues") }
            for (queue, counts) in queues {
                let age = counts.oldestSentAt.map { max(0, now - $0) / 1000 }
                let deadLetter = QueuesCommand.deadLetterQueue(queue)
                if json {
                    var fields: [String: JSONValue] = [
                        "name": .string(queue.name), "visible": .number(Double(counts.visible)),
                        "inFlight": .number(Double(counts.inFlight)), "delayed": .number(Double(counts.delayed)),
                    ]
                    if let age { fields["oldestMessageAgeSeconds"] = .number(Double(age)) }
                    if let deadLetter { fields["deadLetterQueue"] = .string(deadLetter) }
                    print(String(decoding: JSONValue.object(fields).serialized, as: UTF8.self))
                } else {
                    print(
                        "\(queue.name)  visible \(counts.visible)  in flight \(counts.inFlight)  delayed \(counts.delayed)"
                            + (age.map { "  oldest \($0) s" } ?? "")
                            + (deadLetter.map { "  dead letters → \($0)" } ?? ""))
                }
            }
        }
    }

    struct Peek: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a queue's first messages in order of sending, without receiving them.",
            discussion: "Exit code 3 when the queue does not exist.")
        @Argument(help: "The queue's name.") var queue: String
        @Option(help: "How many messages at most.") var limit = 10
        @OptionGroup var state: StateDirectoryOption

        func run() async throws {
            let store = try await state.store()
            let messages: [StoredMessage]
            do {
                guard try await store.queue(named: queue) != nil else {
                    printError("fnhost: no queue \(queue) in \(store.path)")
                    throw Exit.configurationError
                }
                messages = try await store.peekMessages(queue: queue, limit: max(1, limit))
            } catch let error as StoreError {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.close()
            for m in messages {
                var fields: [String: JSONValue] = [
                    "MessageId": .string(m.messageID), "Body": .string(String(decoding: m.body, as: UTF8.self)),
                    "SentTimestamp": .number(Double(m.sentAt)),
                    "ApproximateReceiveCount": .number(Double(m.receiveCount)),
                ]
                if let group = m.groupID { fields["MessageGroupId"] = .string(group) }
                print(String(decoding: JSONValue.object(fields).serialized, as: UTF8.self))
            }
        }
    }

    /// The name of the queue's dead-letter queue, from its stored redrive policy.
    static func deadLetterQueue(_ queue: StoredQueue) -> String? {
        guard case .object(let attributes)? = try? JSONValue.parse(queue.attributes),
            case .string(let text)? = attributes["RedrivePolicy"], let policy = try? RedrivePolicy(attribute: text)
        else { return nil }
        return QueueARN(policy.deadLetterTargetArn)?.name
    }
}
