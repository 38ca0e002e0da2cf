import FnhostWire
import VaporCSQLite

/// The floor the benchmark holds the store to, measured in the same run: the same rows written and deleted
/// through SQLite's C API directly (statements prepared once, no actor, no thread pool, one commit per message,
/// the same WAL mode and durability). What the store adds on top of it is its own cost.
public enum StoreFloor {
    /// Messages per second: committed inserts of `bodyBytes` bytes each, then committed deletes of the same rows.
    public struct Rates: Sendable {
        public var insertsPerSecond: Double
        public var deletesPerSecond: Double
    }

    /// Measures `count` inserts then `count` deletes, one transaction each, in a new database at `path`.
    public static func measure(
        path: String, count: Int, bodyBytes: Int, durability: StoreDurability
    ) throws(StoreError) -> Rates {
        var db: OpaquePointer?
        guard sqlite_nio_sqlite3_open(path, &db) == SQLITE_OK, let db else {
            throw .unusable(path: path, reason: "sqlite3_open failed")
        }
        defer { sqlite_nio_sqlite3_close(db) }
        func exec(_ sql: String) throws(StoreError) {
            guard sqlite_nio_sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw .failed(operation: sql, reason: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
        }
        func prepare(_ sql: String) throws(StoreError) -> OpaquePointer {
            var statement: OpaquePointer?
            guard sqlite_nio_sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
                throw .failed(operation: sql, reason: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
            return statement
        }
        try exec("PRAGMA journal_mode=WAL")
        try exec(durability.pragma)
        try exec("CREATE TABLE m (seq INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT, body BLOB, visible_at INTEGER)")
        let insert = try prepare("INSERT INTO m (queue, body, visible_at) VALUES ('q', ?, 0)")
        let delete = try prepare("DELETE FROM m WHERE seq = ?")
        defer {
            sqlite_nio_sqlite3_finalize(insert)
            sqlite_nio_sqlite3_finalize(delete)
        }
        let body = [UInt8](repeating: 0x61, count: bodyBytes)
        let started = ContinuousClock.now
        for _ in 0..<count {
            _ = body.withUnsafeBytes { sqlite_nio_sqlite3_bind_blob(insert, 1, $0.baseAddress, Int32($0.count), nil) }
            guard sqlite_nio_sqlite3_step(insert) == SQLITE_DONE else {
                throw .failed(operation: "insert", reason: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
            sqlite_nio_sqlite3_reset(insert)
        }
        let inserted = ContinuousClock.now
        for seq in 0..<count {
            sqlite_nio_sqlite3_bind_int64(delete, 1, Int64(seq + 1))
            guard sqlite_nio_sqlite3_step(delete) == SQLITE_DONE else {
                throw .failed(operation: "delete", reason: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
            sqlite_nio_sqlite3_reset(delete)
        }
        let deleted = ContinuousClock.now
        return Rates(
            insertsPerSecond: Double(count) / ((inserted - started).inMilliseconds / 1000),
            deletesPerSecond: Double(count) / ((deleted - inserted).inMilliseconds / 1000))
    }
}
