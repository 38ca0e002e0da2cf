import Foundation

/// A fresh directory under the system's temporary folder, removed by `remove()`: where the tests write the small
/// CSV files they load, as a function's `data/` folder would hold them.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "fnhost-refdata-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/data", withIntermediateDirectories: true)
    }

    /// Writes `text` to `relative` (inside the directory) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}
