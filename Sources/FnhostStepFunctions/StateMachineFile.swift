import FnhostStates
import FnhostWire
import Foundation

/// A state machine defined as files: `statemachines/NAME.asl.json` (the definition) and, optionally, `NAME.json`
/// (`{"type": "STANDARD"|"EXPRESS"}`), validated when loaded so that a bad one stops `fnhost serve` at start.
public struct StateMachineFile: Hashable, Sendable {
    public var name: String
    public var definitionText: String
    public var definition: StateMachineDefinition
    public var type: StateMachineType

    /// The folder of state machines beside a functions folder: `<functions>/../statemachines`.
    public static func folder(besideFunctions functionsDirectory: String) -> String {
        URL(fileURLWithPath: functionsDirectory).deletingLastPathComponent().appendingPathComponent("statemachines")
            .path
    }

    /// Every state machine of `folder` (none when it does not exist), sorted by name.
    public static func loadAll(folder: String) throws(StateMachineFileError) -> [StateMachineFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            return []
        }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted() } catch {
            throw StateMachineFileError(file: folder, reason: "cannot list the folder: \(error.localizedDescription)")
        }
        let definitions = names.filter { $0.hasSuffix(".asl.json") }
        let machineNames = Set(definitions.map { String($0.dropLast(".asl.json".count)) })
        for settings in names where settings.hasSuffix(".json") && !settings.hasSuffix(".asl.json") {
            let name = String(settings.dropLast(".json".count))
            guard machineNames.contains(name) else {
                throw StateMachineFileError(
                    file: folder + "/" + settings,
                    reason: "a settings file without a definition: expected \(name).asl.json beside it")
            }
        }
        var out: [StateMachineFile] = []
        for file in definitions {
            let name = String(file.dropLast(".asl.json".count))
            out.append(try load(folder: folder, name: name))
        }
        return out
    }

    /// Loads `NAME.asl.json` and its optional `NAME.json` from `folder`.
    public static func load(folder: String, name: String) throws(StateMachineFileError) -> StateMachineFile {
        let path = folder + "/" + name + ".asl.json"
        guard StepFunctionsARN.isValidName(name) else {
            throw StateMachineFileError(
                file: path,
                reason:
                    "'\(name)' is not a valid state machine name (1-80 characters, no spaces or <>{}[]?*\"#%\\^|~`$&,;:/)"
            )
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateMachineFileError(file: path, reason: "cannot read the file")
        }
        let definition: StateMachineDefinition
        do { definition = try StateMachineDefinition.parse(Array(data)) } catch {
            throw StateMachineFileError(file: path, reason: "\(InvalidDefinition.errorCode): \(error)")
        }
        var type = StateMachineType.standard
        let settingsPath = folder + "/" + name + ".json"
        if let settings = FileManager.default.contents(atPath: settingsPath) {
            type = try parseSettings(Array(settings), file: settingsPath)
        }
        return StateMachineFile(
            name: name, definitionText: String(decoding: data, as: UTF8.self), definition: definition, type: type)
    }

    /// `{"type": "STANDARD"|"EXPRESS"}`; other keys are refused (a typo must not pass silently).
    static func parseSettings(_ bytes: [UInt8], file: String) throws(StateMachineFileError) -> StateMachineType {
        let value: JSONValue
        do { value = try JSONValue.parse(bytes) } catch {
            throw StateMachineFileError(file: file, reason: "not JSON: \(error)")
        }
        guard case .object(let o) = value else {
            throw StateMachineFileError(file: file, reason: "must be an object such as {\"type\": \"EXPRESS\"}")
        }
        for key in o.keys where key != "type" {
            throw StateMachineFileError(file: file, reason: "unknown field '\(key)' (the only field is 'type')")
        }
        switch o["type"] {
        case nil: return .standard
        case .string(let t)?:
            guard let type = StateMachineType(rawValue: t) else {
                throw StateMachineFileError(file: file, reason: "type: must be STANDARD or EXPRESS, not '\(t)'")
            }
            return type
        case let other?:
            throw StateMachineFileError(file: file, reason: "type: must be a string, not \(other.kind)")
        }
    }
}

/// Why a state machine's files were refused: the file and the reason (for a definition, AWS's `InvalidDefinition`
/// problems, each with its location `/States/NAME/FIELD`).
public struct StateMachineFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public var description: String { "\(file): \(reason)" }
}
