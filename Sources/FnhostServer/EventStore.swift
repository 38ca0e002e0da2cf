import Foundation

/// A directory of JSON files, one per event, written atomically (a temporary file, fsync, rename), so that an
/// event accepted with 202 survives a crash or a restart of fnhost. Used twice: for the queue of events not yet
/// done, and for the dead letters.
public struct EventStore: Sendable {
    public let directory: String

    /// Opens (creating it if needed) the store in `directory`.
    public init(directory: String) throws(EventStoreError) {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .unusable(directory: directory, reason: "\(error.localizedDescription)")
        }
    }

    public func save(_ event: QueuedEvent) throws(EventStoreError) {
        let path = file(event.id)
        let temporary = directory + "/.\(event.id).tmp"
        do {
            let data = try JSONEncoder.sorted.encode(event)
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            guard fd >= 0 else {
                throw EventStoreError.unusable(directory: directory, reason: String(cString: strerror(errno)))
            }
            let written = data.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fsync(fd)
            close(fd)
            guard written == data.count, rename(temporary, path) == 0 else {
                unlink(temporary)
                throw EventStoreError.unusable(directory: directory, reason: "could not write \(path)")
            }
        } catch let error as EventStoreError {
            throw error
        } catch {
            throw .unusable(directory: directory, reason: "\(error)")
        }
    }

    public func remove(_ id: String) {
        unlink(file(id))
    }

    public func load(_ id: String) -> QueuedEvent? {
        guard Self.isValidID(id), let data = FileManager.default.contents(atPath: file(id)) else { return nil }
        return try? JSONDecoder().decode(QueuedEvent.self, from: data)
    }

    /// Every event in the store, oldest first. Files that cannot be read are reported, not dropped silently.
    public func all() -> (events: [QueuedEvent], unreadable: [String]) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var events: [QueuedEvent] = []
        var unreadable: [String] = []
        for name in names where name.hasSuffix(".json") && !name.hasPrefix(".") {
            if let data = FileManager.default.contents(atPath: directory + "/" + name),
                let event = try? JSONDecoder().decode(QueuedEvent.self, from: data)
            {
                events.append(event)
            } else {
                unreadable.append(directory + "/" + name)
            }
        }
        return (events.sorted { ($0.acceptedAt, $0.id) < ($1.acceptedAt, $1.id) }, unreadable)
    }

    public var count: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
            $0.hasSuffix(".json") && !$0.hasPrefix(".")
        }.count
    }

    private func file(_ id: String) -> String { directory + "/" + id + ".json" }

    /// Event ids are UUIDs; nothing else may name a file.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isHexDigit || $0 == "-" }
    }
}

/// Why an event store cannot be used.
public enum EventStoreError: Error, Sendable, CustomStringConvertible {
    case unusable(directory: String, reason: String)

    public var description: String {
        switch self {
        case .unusable(let directory, let reason):
            "the event store \(directory) cannot be used: \(reason) (set --state-dir or FNHOST_STATE_DIR to a writable folder)"
        }
    }
}

extension JSONEncoder {
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
