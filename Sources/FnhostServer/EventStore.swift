import FnhostStore
import FnhostWire
import Foundation

/// The asynchronous events of `fnhost serve` in fnhost's store (`Store`, SQLite in the state folder): those not yet
/// done and the dead letters. Every change is one transaction committed before the call returns, so an event
/// answered with 202 survives a SIGKILL or a restart of fnhost. Opening it imports, once, the folders of JSON files
/// (`queue/`, `dead-letters/`) earlier versions of fnhost kept.
public struct EventStore: Sendable {
    public let store: Store

    public init(store: Store) {
        self.store = store
    }

    /// Opens the store in `stateDirectory` and imports the old folders into it, if there are any.
    /// Files that cannot be read are reported through `problem` and left where they are.
    public static func open(
        stateDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        problem: (String) -> Void
    ) async throws(EventStoreError) -> EventStore {
        do {
            let store = try await Store.open(
                stateDirectory: stateDirectory, durability: try StoreDurability.from(environment: environment))
            let events = EventStore(store: store)
            try await events.importFolders(stateDirectory: stateDirectory, problem: problem)
            return events
        } catch {
            throw .store(error)
        }
    }

    public func save(_ event: QueuedEvent) async throws(EventStoreError) {
        do { try await store.saveEvent(event.record) } catch { throw .store(error) }
    }

    /// Removes the event in that state; true if it was there.
    @discardableResult
    public func remove(_ id: String, _ state: Store.EventState) async throws(EventStoreError) -> Bool {
        do { return try await store.removeEvent(id, state: state) } catch { throw .store(error) }
    }

    public func load(_ id: String, _ state: Store.EventState) async throws(EventStoreError) -> QueuedEvent? {
        do { return try await store.event(id, state: state).map(QueuedEvent.init(record:)) } catch {
            throw .store(error)
        }
    }

    /// Every event in that state, oldest first.
    public func all(_ state: Store.EventState) async throws(EventStoreError) -> [QueuedEvent] {
        do { return try await store.events(state).map(QueuedEvent.init(record:)) } catch { throw .store(error) }
    }

    public func count(_ state: Store.EventState) async throws(EventStoreError) -> Int {
        do { return try await store.eventCount(state) } catch { throw .store(error) }
    }

    /// The folders of JSON files (one per event) fnhost kept before the store, relative to the state folder.
    static let legacyFolders = ["queue", "dead-letters"]

    /// Moves the events of the old folders into the store: all of a folder in one transaction, then its files are
    /// deleted (a crash between the two leaves the files, and the next import skips the events already there).
    func importFolders(stateDirectory: String, problem: (String) -> Void) async throws(StoreError) {
        for folder in Self.legacyFolders {
            let directory = stateDirectory + "/" + folder
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            var events: [AsyncEventRecord] = []
            var files: [String] = []
            for name in names.sorted() where !name.hasPrefix(".") && name.hasSuffix(".json") {
                let path = directory + "/" + name
                guard let data = FileManager.default.contents(atPath: path),
                    var event = try? JSONDecoder().decode(QueuedEvent.self, from: data)
                else {
                    problem("fnhost: cannot read \(path) to import it into the store; left in place")
                    continue
                }
                // An old dead letter without a failure time is still a dead letter.
                if folder == "dead-letters", event.failedAt == nil { event.failedAt = event.acceptedAt }
                if folder == "queue" { event.failedAt = nil }
                events.append(event.record)
                files.append(path)
            }
            if !events.isEmpty {
                let added = try await store.importEvents(events)
                problem("fnhost: imported \(added) events from \(directory) into \(store.path)")
            }
            for path in files { unlink(path) }
            // Temporary files of an interrupted write were never acknowledged: they go with the folder.
            for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") { unlink(directory + "/" + name) }
            rmdir(directory)
        }
    }
}

/// Why the events cannot be kept.
public enum EventStoreError: Error, Sendable, CustomStringConvertible {
    case store(StoreError)

    public var description: String {
        switch self {
        case .store(let error): error.description
        }
    }
}
