import Foundation
#if canImport(Glibc)
import Glibc
#endif

// Where things are: the build folder (SwiftPM puts `fnhost`, `fnhost-launch` and the function binaries beside the
// test bundle), the repository, the real functions and this target's fixtures.

enum Paths {
    /// The folder of the running test bundle, from /proc/self/exe.
    static let buildDirectory: String = {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        precondition(n > 0, "cannot read /proc/self/exe")
        let path = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return URL(fileURLWithPath: path).deletingLastPathComponent().path
    }()

    /// The repository, from this file's place in it (`Tests/ServeTests/Support/Paths.swift`).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static let fnhost = buildDirectory + "/fnhost"
    /// The project's real functions (org-status, rules, coverage, hello-shell, …).
    static let realFunctions = repositoryRoot + "/functions"
    /// This target's fixtures: shell-script functions and the bad-request corpus.
    static let fixtures = repositoryRoot + "/Tests/ServeTests/Fixtures"
    static let fixtureFunctions = fixtures + "/functions"
}

/// A fresh folder under the system's temporary folder.
func makeTemporaryDirectory(_ label: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("fnhost-serve-tests-\(label)-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `body` with a fresh temporary folder and removes it afterwards, whatever happens.
func withTemporaryDirectory<T>(_ label: String, _ body: (String) async throws -> T) async throws -> T {
    let path = try makeTemporaryDirectory(label)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

enum Fixtures {
    /// Copies the fixture functions (and their shared `_lib`) into `directory/functions`, merging `environment`
    /// into the manifests named there, and returns that functions folder. For tests that must give a fixture
    /// a folder of their own (attempt counts, records of what ran).
    static func install(
        into directory: String, only names: [String]? = nil, environment: [String: [String: String]] = [:]
    ) throws -> String {
        let fm = FileManager.default
        let functions = directory + "/functions"
        try fm.createDirectory(atPath: functions, withIntermediateDirectories: true)
        let all = try fm.contentsOfDirectory(atPath: Paths.fixtureFunctions)
        for name in all where name == "_lib" || (names?.contains(name) ?? true) {
            try fm.copyItem(atPath: Paths.fixtureFunctions + "/" + name, toPath: functions + "/" + name)
        }
        for (name, variables) in environment {
            let file = functions + "/" + name + "/function.json"
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            guard var manifest = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TestFailure("\(file) is not a JSON object")
            }
            var env = manifest["environment"] as? [String: String] ?? [:]
            for (k, v) in variables { env[k] = v }
            manifest["environment"] = env
            try JSONSerialization.data(withJSONObject: manifest, options: [.sortedKeys]).write(to: URL(fileURLWithPath: file))
        }
        return functions
    }
}

/// A failure of the test's own making (a precondition it needs), with a message that says what went wrong.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
