/// How hard a commit works to be on disk before it returns, that is before fnhost answers 200 or 202.
///
/// Both modes run SQLite in WAL mode, so neither can corrupt the database; they differ in what a crash can take.
/// - `normal` (the default, SQLite's `synchronous=NORMAL` in WAL mode): a commit has written its pages to the WAL
///   file with write(2) before it returns, so they are in the kernel's page cache. A SIGKILL or a crash of fnhost
///   loses nothing committed; only a crash of the operating system or a power loss can lose the commits made since
///   the WAL was last synced (at a checkpoint).
/// - `full` (`synchronous=FULL`): every commit is fsync'd before it returns, so it survives a power loss too, at the
///   cost of one fsync per accepted message (BENCHMARKS.md gives both rates on this machine).
public enum StoreDurability: String, Sendable, CaseIterable {
    case normal
    case full

    /// The environment variable that chooses the mode: `FNHOST_STORE_SYNC=full` or `normal`.
    public static let environmentVariable = "FNHOST_STORE_SYNC"

    /// The mode `FNHOST_STORE_SYNC` names, `normal` when it is unset; a value it does not know is an error.
    public static func from(environment: [String: String]) throws(StoreError) -> StoreDurability {
        guard let value = environment[environmentVariable], !value.isEmpty else { return .normal }
        guard let mode = StoreDurability(rawValue: value.lowercased()) else {
            throw .badSetting("\(environmentVariable)=\(value): expected normal or full")
        }
        return mode
    }

    var pragma: String {
        switch self {
        case .normal: "PRAGMA synchronous=NORMAL"
        case .full: "PRAGMA synchronous=FULL"
        }
    }
}
