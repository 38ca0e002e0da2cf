import FnhostSimulation
import FnhostWire

/// Walks a profile file's JSON tree, checking every key and value and naming the path of the first mistake.
struct ProfileReader {
    let file: String
    private var sources: [String: String] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func profile(from json: JSONValue, defaultName: String) throws(ProfileError) -> OverheadProfile {
        let root = try object(json, path: "")
        try checkKeys(root, path: "", allowed: ["name", "description", "defaults", "functions"])
        let name = try root["name"].map { value throws(ProfileError) in try string(value, path: "name") } ?? defaultName
        let description =
            try root["description"].map { value throws(ProfileError) in
                try string(value, path: "description")
            } ?? ""
        guard let defaultsJSON = root["defaults"] else { throw .missingField(file: file, path: "defaults") }
        var defaults = try components(defaultsJSON, path: "defaults")
        // Profiles written before state machines existed have no `stateTransition`: they still load, with none.
        if defaults[.stateTransition] == nil { defaults[.stateTransition] = Distribution.zero }
        for component in OverheadComponent.allCases where defaults[component] == nil {
            throw .missingField(file: file, path: "defaults.\(component.rawValue)")
        }
        var functions: [String: [OverheadComponent: Distribution]] = [:]
        if let functionsJSON = root["functions"] {
            for (function, value) in try object(functionsJSON, path: "functions") {
                functions[function] = try components(value, path: "functions.\(function)")
            }
        }
        return OverheadProfile(
            name: name, description: description, defaults: defaults, functions: functions, sources: sources)
    }

    private mutating func components(_ json: JSONValue, path: String) throws(ProfileError) -> [OverheadComponent:
        Distribution]
    {
        var result: [OverheadComponent: Distribution] = [:]
        for (key, value) in try object(json, path: path).sorted(by: { $0.key < $1.key }) {
            guard let component = OverheadComponent(rawValue: key) else {
                throw .unknownComponent(file: file, path: "\(path).\(key)", component: key)
            }
            result[component] = try distribution(value, path: "\(path).\(key)")
        }
        return result
    }

    private mutating func distribution(_ json: JSONValue, path: String) throws(ProfileError) -> Distribution {
        switch json {
        case .string(let spec):
            return try parseSpec(spec, path: path)
        case .number(let value):
            guard value >= 0 else { throw .negativeValue(file: file, path: path, value: value) }
            return .constant(value)
        case .object(let members):
            try checkKeys(members, path: path, allowed: ["spec", "source"])
            guard let specJSON = members["spec"] else { throw .missingField(file: file, path: "\(path).spec") }
            let result: Distribution
            if case .number(let value) = specJSON {
                guard value >= 0 else { throw .negativeValue(file: file, path: "\(path).spec", value: value) }
                result = .constant(value)
            } else {
                result = try parseSpec(try string(specJSON, path: "\(path).spec"), path: "\(path).spec")
            }
            if let source = members["source"] {
                sources[path] = try string(source, path: "\(path).source")
            }
            return result
        default:
            throw .wrongType(
                file: file, path: path,
                expected: "a distribution spec (e.g. \"uniform:25..100\"), a number of ms, "
                    + "or {\"spec\": …, \"source\": …}", found: json.kind
            )
        }
    }

    private func parseSpec(_ spec: String, path: String) throws(ProfileError) -> Distribution {
        do {
            return try Distribution(spec: spec)
        } catch {
            throw .badSpec(file: file, path: path, error: error)
        }
    }

    private func object(_ json: JSONValue, path: String) throws(ProfileError) -> [String: JSONValue] {
        guard case .object(let members) = json else {
            throw .wrongType(
                file: file, path: path.isEmpty ? "the profile" : path, expected: "an object", found: json.kind)
        }
        return members
    }

    private func string(_ json: JSONValue, path: String) throws(ProfileError) -> String {
        guard case .string(let text) = json else {
            throw .wrongType(file: file, path: path, expected: "a string", found: json.kind)
        }
        return text
    }

    private func checkKeys(_ members: [String: JSONValue], path: String, allowed: [String]) throws(ProfileError) {
        for key in members.keys.sorted() where !allowed.contains(key) {
            throw .unknownKey(file: file, path: path, key: key, allowed: allowed)
        }
    }
}
