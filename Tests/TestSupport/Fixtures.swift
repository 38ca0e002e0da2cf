import FnhostWire
import Foundation

/// The shared fixture functions (`Tests/Fixtures/functions`), copied where a test needs a folder of its own.
public enum Fixtures {
    /// Copies fixture functions (all of them when `names` is nil) and the `_lib` they share into
    /// `directory/functions`, and returns that functions folder. `environment` is merged into the named manifests'
    /// `environment`; `overrides` replaces whole manifest keys. For tests that must give a fixture a folder of its
    /// own (attempt counts, records of what ran) or a manifest the repository's fixtures do not have.
    public static func install(
        _ names: [String]? = nil, into directory: String, environment: [String: [String: String]] = [:],
        overrides: [String: [String: JSONValue]] = [:]
    ) throws -> String {
        let fm = FileManager.default
        let functions = directory + "/functions"
        try fm.createDirectory(atPath: functions, withIntermediateDirectories: true)
        let all = try fm.contentsOfDirectory(atPath: Paths.fixtureFunctions)
        if let names, let unknown = names.first(where: { !all.contains($0) }) {
            throw TestFailure("no fixture function \(unknown) in \(Paths.fixtureFunctions)")
        }
        for name in all where name == "_lib" || (names?.contains(name) ?? true) {
            try fm.copyItem(atPath: Paths.fixtureFunctions + "/" + name, toPath: functions + "/" + name)
        }
        for name in Set(environment.keys).union(overrides.keys) {
            let file = functions + "/" + name + "/function.json"
            guard
                case .object(var manifest) = try JSONValue.parse(
                    Array(try Data(contentsOf: URL(fileURLWithPath: file))))
            else { throw TestFailure("\(file) is not a JSON object") }
            if let variables = environment[name] {
                guard case .object(var merged) = manifest["environment"] ?? .object([:]) else {
                    throw TestFailure("\(file): environment is not an object")
                }
                for (key, value) in variables { merged[key] = .string(value) }
                manifest["environment"] = .object(merged)
            }
            for (key, value) in overrides[name] ?? [:] { manifest[key] = value }
            try Data(JSONValue.object(manifest).serialized).write(to: URL(fileURLWithPath: file))
        }
        return functions
    }

    /// Writes one manifest file as given (for broken manifests), in `functions/function/function.json`.
    public static func writeManifest(_ text: String, function: String, in functions: String) throws {
        let folder = functions + "/" + function
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/function.json"))
    }

    /// The pids the fixtures recorded in `directory` (`NAME.pid` files, written by `record` in `_lib/runtime.sh`
    /// when `FIXTURE_STATE_DIR` is set), by name.
    public static func recordedPIDs(in directory: String) -> [String: Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        var pids: [String: Int32] = [:]
        for name in names where name.hasSuffix(".pid") {
            guard let text = try? String(contentsOfFile: directory + "/" + name, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            else { continue }
            pids[String(name.dropLast(4))] = pid
        }
        return pids
    }
}

/// The JSON object in `bytes`, through Foundation (so that tests can use `as? Int` and friends); throws when the
/// bytes are not one.
public func jsonObject(_ bytes: some Collection<UInt8>) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
        throw TestFailure("not a JSON object: \(String(decoding: Array(bytes), as: UTF8.self))")
    }
    return object
}
