import FnhostSimulation
import FnhostWire
import Foundation

/// Loads overhead profiles: the built-in ones by name (`none`, `lambda`, `lambda-vpc`, shipped in `profiles/`), or a
/// user's file by path; either way the file is checked in full and refused with a precise `ProfileError`.
///
/// Format:
///
/// ```json
/// {
///   "name": "lambda",
///   "description": "…",
///   "defaults": {
///     "coldStart": { "spec": "lognormal:median=250,p99=1000", "source": "where the numbers come from" },
///     "invoke": "percentiles:p0=25,p50=38,p90=70,p99=100,p100=130",
///     "gateway": "uniform:50..100",
///     "referenceStore": 0
///   },
///   "functions": { "org-status": { "referenceStore": "constant:12" } }
/// }
/// ```
///
/// A component is a spec string, a number of milliseconds (a constant), or an object with `spec` and an optional
/// `source` note. `defaults` must give all four components; `functions` may override any of them. `name` defaults
/// to the file's name and `description` to nothing.
public struct ProfileLoader: Sendable {
    /// Where built-in profiles live; nil uses the module's resource bundle.
    private let builtInDirectory: URL?

    public init() {
        self.builtInDirectory = nil
    }

    /// A loader whose built-in profiles are the `*.json` files of `directory`.
    public init(builtInDirectory: URL) {
        self.builtInDirectory = builtInDirectory
    }

    /// The names of the built-in profiles, sorted.
    public var builtInNames: [String] {
        guard let directory = profilesDirectory,
            let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
        else { return [] }
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Loads a built-in profile by name, or a file when `nameOrPath` contains a `/` or ends in `.json`.
    public func load(nameOrPath: String) throws(ProfileError) -> OverheadProfile {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".json") {
            return try load(file: URL(fileURLWithPath: nameOrPath), shownAs: nameOrPath)
        }
        guard let directory = profilesDirectory, builtInNames.contains(nameOrPath) else {
            throw .unknownProfile(name: nameOrPath, builtIn: builtInNames)
        }
        return try load(
            file: directory.appendingPathComponent(nameOrPath + ".json"), shownAs: "profiles/\(nameOrPath).json")
    }

    /// Reads a profile from JSON text; `file` names it in errors and gives the default name.
    public func parse(_ data: Data, file: String) throws(ProfileError) -> OverheadProfile {
        let json: JSONValue
        do {
            json = try JSONValue.parse(data)
        } catch {
            throw .invalidJSON(file: file, reason: error.description)
        }
        var reader = ProfileReader(file: file)
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return try reader.profile(from: json, defaultName: stem)
    }

    /// The built-in profiles: `FNHOST_PROFILES_DIR`, else the resource folder SwiftPM copies beside the executable
    /// (`fnhost_FnhostProfiles.resources/profiles`), else this source folder's `profiles/` (a development build).
    /// Never `Bundle.module`, whose accessor stops the process when the bundle is missing.
    private var profilesDirectory: URL? {
        if let builtInDirectory { return builtInDirectory }
        let fm = FileManager.default
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["FNHOST_PROFILES_DIR"] {
            candidates.append(URL(fileURLWithPath: dir))
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("fnhost_FnhostProfiles.resources/profiles"))
        candidates.append(
            executable.deletingLastPathComponent().appendingPathComponent("fnhost_FnhostProfiles.resources/profiles"))
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("profiles"))
        return candidates.first { fm.fileExists(atPath: $0.appendingPathComponent("none.json").path) }
    }

    private func load(file: URL, shownAs: String) throws(ProfileError) -> OverheadProfile {
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: file.path) ? "\(error.localizedDescription)" : "no such file"
            throw .unreadable(file: shownAs, reason: reason)
        }
        return try parse(data, file: shownAs)
    }
}
