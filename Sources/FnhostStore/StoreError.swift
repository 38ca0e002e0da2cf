/// Why the store could not do what it was asked: the caller turns it into an answer (a 500, an exit code) that
/// says what to do about it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file cannot be opened or created.
    case unusable(path: String, reason: String)
    /// A statement failed (disk full, I/O error, a lock held too long by another process).
    case failed(operation: String, reason: String)
    /// The database was written by a newer fnhost, with tables this one does not know.
    case newerSchema(path: String, found: Int, known: Int)
    /// A setting (an environment variable) has a value the store does not accept.
    case badSetting(String)

    public var description: String {
        switch self {
        case .unusable(let path, let reason):
            "the store \(path) cannot be used: \(reason) (set --state-dir or FNHOST_STATE_DIR to a writable folder)"
        case .failed(let operation, let reason):
            "the store could not \(operation): \(reason)"
        case .newerSchema(let path, let found, let known):
            "the store \(path) has schema version \(found), newer than this fnhost knows (\(known)): use a newer fnhost or another --state-dir"
        case .badSetting(let message):
            message
        }
    }
}
