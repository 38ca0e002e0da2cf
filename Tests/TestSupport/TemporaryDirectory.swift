import Foundation

/// A fresh folder under the system's temporary folder, named after `label`; the caller removes it.
public func makeTemporaryDirectory(_ label: String = "tests") throws -> String {
    let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("fnhost-\(label)-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Runs `body` with a fresh temporary folder and removes it afterwards, whatever happens.
public func withTemporaryDirectory<T>(_ label: String = "tests", _ body: (String) async throws -> T) async throws -> T {
    let path = try makeTemporaryDirectory(label)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}
