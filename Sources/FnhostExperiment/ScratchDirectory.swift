import Foundation

/// A fresh folder for one experiment level's state (its SQLite store, the function's log), made by `mkdtemp` under
/// the system's temporary directory: unique per call, so two experiments running at once — in two processes or in
/// one (a test suite, a program running several) — never share a store or delete each other's. Removed by the caller.
enum ScratchDirectory {
    /// A new empty folder named `fnhost-PREFIX-XXXXXX`.
    static func make(_ prefix: String) throws(ExperimentError) -> String {
        var template = Array((NSTemporaryDirectory() + "/fnhost-\(prefix)-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw .host(
                "cannot make a scratch folder under \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))")
        }
        return String(cString: template.map { $0 })
    }
}
