import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where things are: the build folder (SwiftPM puts `fnhost`, `fnhost-launch` and the function binaries beside the
/// test bundle), the repository, its real functions and the fixtures every test target shares.
public enum Paths {
    /// The folder of the running test bundle, from /proc/self/exe.
    public static let buildDirectory: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        precondition(n > 0, "cannot read /proc/self/exe")
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }()

    /// The repository, from this file's place in it (`Tests/TestSupport/Paths.swift`).
    public static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The project's real functions (org-status, rules, coverage, hello-shell, …).
    public static let functions = repositoryRoot + "/functions"
    /// The shared fixtures: `functions/` (shell-script workers that misbehave on demand) and the bad-request corpus.
    public static let fixtures = repositoryRoot + "/Tests/Fixtures"
    /// The fixture functions, with the `_lib/runtime.sh` they share.
    public static let fixtureFunctions = fixtures + "/functions"
    /// The SAM project in Python that `--template` runs (`examples/sam-python/template.yaml`).
    public static let pythonTemplate = repositoryRoot + "/examples/sam-python/template.yaml"

    /// The binaries of the project's Swift functions, which the real functions' manifests start.
    public static let functionBinaries = ["org-status", "rules", "coverage", "hello-c", "eligibility", "request-log"]

    /// The built `fnhost` binary; throws when it, or the `fnhost-launch` every worker starts through, is not there.
    public static var fnhost: String {
        get throws {
            try requireBuilt("fnhost-launch")
            return try requireBuilt("fnhost")
        }
    }

    /// The path of the built product `name` in the build folder; throws a failure that says how to build it when it
    /// is missing, so that a test needing a binary fails clearly instead of skipping or failing obscurely.
    @discardableResult
    public static func requireBuilt(_ name: String) throws -> String {
        let path = buildDirectory + "/" + name
        guard access(path, X_OK) == 0 else {
            throw TestFailure("\(path) is missing: build the products first with `swift build` (swift test does this)")
        }
        return path
    }

    /// Checks that every product in `names` is built (see ``requireBuilt(_:)``).
    public static func requireBuilt(_ names: [String]) throws {
        for name in names { try requireBuilt(name) }
    }
}
