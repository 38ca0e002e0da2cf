import ArgumentParser
import FnhostHost
import FnhostServer
import FnhostStore
import FnhostWire
import Foundation

/// `fnhost dead-letters`: the asynchronous events that failed after their retries.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List or replay the async events that failed after their retries.",
        discussion: """
            Dead letters live in the store of the state folder (STATE/fnhost.sqlite), which `fnhost serve` may be \
            using at the same time. The first use of a state folder imports the queue/ and dead-letters/ folders \
            of JSON files an older fnhost kept.
            """,
        subcommands: [List.self, Replay.self],
        defaultSubcommand: List.self
    )

    struct StateOptions: ParsableArguments {
        @OptionGroup var state: StateDirectoryOption

        var directory: String { state.directory }

        /// The store in the state folder (it imports an older fnhost's dead-letters folder the first time).
        func store() async throws -> EventStore {
            do { return try await EventStore.open(stateDirectory: directory) { printError($0) } } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, oldest first.")
        @OptionGroup var state: StateOptions
        @Flag(help: "Print JSON, one event per line.") var json = false

        func run() async throws {
            let store = try await state.store()
            let events: [QueuedEvent]
            do { events = try await store.all(.deadLetter) } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            await store.store.close()
            if json {
                for e in events { print(String(decoding: try JSONEncoder.sortedKeys.encode(e), as: UTF8.self)) }
                return
            }
            if events.isEmpty { print("no dead letters"); return }
            for e in events {
                let failed =
                    e.failedAt.map { Date(timeIntervalSince1970: Double($0) / 1000).formatted(.iso8601) } ?? "?"
                print(
                    "\(e.id)  \(e.function)  failed \(failed) after \(e.attempts) attempts  \(e.lastError.map { "\($0.errorType): \($0.errorMessage)" } ?? "")"
                )
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run dead letters again, here and now; those that succeed leave the store.",
            discussion: "Exit code 0 when every replayed event succeeded, 1 when some failed again (they stay).")
        @Argument(help: "Event ids to replay (see `fnhost dead-letters list`).") var ids: [String] = []
        @Flag(help: "Replay every dead letter.") var all = false
        @OptionGroup var state: StateOptions
        @OptionGroup var host: HostOptions

        func validate() throws {
            if ids.isEmpty == !all { throw ValidationError("name event ids, or give --all") }
        }

        func run() async throws {
            let store = try await state.store()
            var events: [QueuedEvent] = []
            do {
                if all { events = try await store.all(.deadLetter) }
                for id in ids {
                    guard let e = try await store.load(id, .deadLetter) else {
                        throw ValidationError("no dead letter \(id) in \(store.store.path)")
                    }
                    events.append(e)
                }
            } catch let error as EventStoreError {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            let configuration = try host.hostConfiguration(maxWait: .seconds(900))
            let runtime: FunctionHost
            do { runtime = try FunctionHost(configuration: configuration) } catch {
                printError("fnhost: \(error)")
                throw Exit.configurationError
            }
            var failed = 0
            for event in events {
                do {
                    let result = try await runtime.invoke(event.function, payload: event.payloadBytes)
                    if case .functionError(let e) = result.outcome {
                        failed += 1
                        printError("fnhost: \(event.id) failed again: \(e.errorType): \(e.errorMessage)")
                    } else {
                        do { try await store.remove(event.id, .deadLetter) } catch {
                            failed += 1
                            printError("fnhost: \(event.id) succeeded but stays a dead letter: \(error)")
                        }
                        print("\(event.id) replayed: \(String(decoding: result.payload, as: UTF8.self))")
                    }
                } catch {
                    failed += 1
                    printError("fnhost: \(event.id) refused: \(error)")
                }
            }
            await runtime.shutdown()
            await store.store.close()
            if failed > 0 { throw Exit.functionError }
        }
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
