import Foundation
import Logging
import NIOCore
import SQLiteNIO

/// fnhost's one durable store: a SQLite database (`fnhost.sqlite`) in the state folder, in WAL mode, holding what
/// fnhost must not lose (asynchronous events and their dead letters, queue messages). Every change the callers
/// make is one transaction, committed before the call returns, so nothing is acknowledged before it is in the
/// database (see `StoreDurability` for what "on disk" means in each mode).
///
/// One connection, used by one statement or one transaction at a time: the actor's `exclusive` turn keeps a
/// transaction's statements together, and lets several processes (`fnhost serve` and `fnhost dead-letters`) share
/// the file through SQLite's own locking.
public actor Store {
    /// The database's file name in the state folder.
    public static let fileName = "fnhost.sqlite"

    public nonisolated let path: String
    public nonisolated let durability: StoreDurability
    private let connection: SQLiteConnection
    private var busy = false
    private var closed = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    private init(path: String, durability: StoreDurability, connection: SQLiteConnection) {
        self.path = path
        self.durability = durability
        self.connection = connection
    }

    /// Opens (creating it and the folder if needed) the store in `stateDirectory`, and brings its tables up to date.
    public static func open(
        stateDirectory: String, durability: StoreDurability = .normal
    ) async throws(StoreError) -> Store {
        let path = stateDirectory + "/" + fileName
        do {
            try FileManager.default.createDirectory(atPath: stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw .unusable(path: path, reason: error.localizedDescription)
        }
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(
                storage: .file(path: path),
                logger: Logger(label: "fnhost.store", factory: { _ in SwiftLogNoOpLogHandler() }))
        } catch {
            throw .unusable(path: path, reason: "\(error)")
        }
        let store = Store(path: path, durability: durability, connection: connection)
        do throws(StoreError) {
            // Wait up to 10 s for another process's write (serve and the CLI share the file) instead of failing.
            try await store.run("PRAGMA busy_timeout=10000", operation: "set the busy timeout")
            let mode = try await store.rows("PRAGMA journal_mode=WAL", operation: "switch to WAL mode")
            guard mode.first?.column("journal_mode")?.string?.lowercased() == "wal" else {
                throw StoreError.unusable(
                    path: path, reason: "SQLite refused WAL mode (is the folder on a network file system?)")
            }
            try await store.run(durability.pragma, operation: "set the durability")
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    /// Closes the connection; the store cannot be used afterwards.
    public func close() async {
        guard !closed else { return }
        closed = true
        try? await connection.close()
    }

    /// A store dropped without `close()` (an error path) still closes its connection. Only once: a second close
    /// reaches SQLite with a null handle, which a release build of SQLite does not survive.
    deinit {
        if !closed { _ = connection.close() }
    }

    // MARK: Statements, one at a time

    /// Runs `body` alone on the connection: no other statement of this process runs until it returns.
    func exclusive<T: Sendable>(_ body: () async throws(StoreError) -> T) async throws(StoreError) -> T {
        while busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
        defer {
            busy = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return try await body()
    }

    /// Runs `body` as one transaction: committed when it returns, rolled back when it throws.
    /// `BEGIN IMMEDIATE` takes the write lock at once, so two processes cannot both read and then both write.
    func transaction<T: Sendable>(
        _ operation: String, _ body: () async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await exclusive { () async throws(StoreError) -> T in
            try await self.rawRun("BEGIN IMMEDIATE", operation: operation)
            do throws(StoreError) {
                let value = try await body()
                try await self.rawRun("COMMIT", operation: operation)
                return value
            } catch {
                try? await self.rawRun("ROLLBACK", operation: operation)
                throw error
            }
        }
    }

    /// One statement, alone (its own transaction): the rows it returns.
    func rows(_ sql: String, _ binds: [SQLiteData] = [], operation: String) async throws(StoreError) -> [SQLiteRow] {
        try await exclusive { () async throws(StoreError) -> [SQLiteRow] in
            try await self.rawRows(sql, binds, operation: operation)
        }
    }

    /// One statement, alone (its own transaction).
    func run(_ sql: String, _ binds: [SQLiteData] = [], operation: String) async throws(StoreError) {
        _ = try await rows(sql, binds, operation: operation)
    }

    /// A statement inside `exclusive` or `transaction`.
    func rawRows(_ sql: String, _ binds: [SQLiteData] = [], operation: String) async throws(StoreError) -> [SQLiteRow] {
        do {
            return try await connection.query(sql, binds)
        } catch {
            throw .failed(operation: operation, reason: "\(error)")
        }
    }

    /// A statement inside `exclusive` or `transaction`, its rows ignored.
    func rawRun(_ sql: String, _ binds: [SQLiteData] = [], operation: String) async throws(StoreError) {
        _ = try await rawRows(sql, binds, operation: operation)
    }
}

extension SQLiteData {
    static func bytes(_ bytes: [UInt8]) -> SQLiteData { .blob(ByteBuffer(bytes: bytes)) }
    static func optionalText(_ text: String?) -> SQLiteData { text.map { .text($0) } ?? .null }
    static func optionalInteger(_ value: Int64?) -> SQLiteData { value.map { .integer(Int($0)) } ?? .null }

    var bytes: [UInt8] {
        switch self {
        case .blob(let buffer): Array(buffer.readableBytesView)
        case .text(let text): Array(text.utf8)
        default: []
        }
    }
}

extension SQLiteRow {
    func int64(_ name: String) -> Int64 { column(name)?.integer.map(Int64.init) ?? 0 }
    func optionalInt64(_ name: String) -> Int64? {
        guard let value = column(name), !value.isNull else { return nil }
        return value.integer.map(Int64.init)
    }
    func text(_ name: String) -> String { column(name)?.string ?? "" }
    func optionalText(_ name: String) -> String? {
        guard let value = column(name), !value.isNull else { return nil }
        return value.string
    }
    func bytes(_ name: String) -> [UInt8] { column(name)?.bytes ?? [] }
}
