/// Why a profile could not be loaded: which file, which field (as a JSON path like `defaults.invoke.spec`), and
/// what is wrong with it, with the right form where there is one.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A name that is not a built-in profile and not a path to a file.
    case unknownProfile(name: String, builtIn: [String])
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid JSON.
    case invalidJSON(file: String, reason: String)
    /// A field has the wrong JSON type.
    case wrongType(file: String, path: String, expected: String, found: String)
    /// A key the profile format does not have at that place.
    case unknownKey(file: String, path: String, key: String, allowed: [String])
    /// A component name that is not one of `coldStart`, `invoke`, `gateway`, `referenceStore`.
    case unknownComponent(file: String, path: String, component: String)
    /// A required field is absent.
    case missingField(file: String, path: String)
    /// A distribution spec that does not parse.
    case badSpec(file: String, path: String, error: DistributionSpecError)
    /// A delay given as a negative number.
    case negativeValue(file: String, path: String, value: Double)

    public var file: String? {
        switch self {
        case .unknownProfile: nil
        case .unreadable(let file, _), .invalidJSON(let file, _), .wrongType(let file, _, _, _),
            .unknownKey(let file, _, _, _), .unknownComponent(let file, _, _), .missingField(let file, _),
            .badSpec(let file, _, _), .negativeValue(let file, _, _):
            file
        }
    }

    /// The JSON path of the offending field, when the error is about one.
    public var path: String? {
        switch self {
        case .unknownProfile, .unreadable, .invalidJSON: nil
        case .wrongType(_, let path, _, _), .unknownKey(_, let path, _, _), .unknownComponent(_, let path, _),
            .missingField(_, let path), .badSpec(_, let path, _), .negativeValue(_, let path, _):
            path
        }
    }

    public var description: String {
        let components = OverheadComponent.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .unknownProfile(let name, let builtIn):
            return "no profile named '\(name)': use one of \(builtIn.joined(separator: ", ")), "
                + "or the path of a profile file (e.g. ./my-profile.json)"
        case .unreadable(let file, let reason):
            return "\(file): cannot read the profile: \(reason)"
        case .invalidJSON(let file, let reason):
            return "\(file): not valid JSON: \(reason)"
        case .wrongType(let file, let path, let expected, let found):
            return "\(file): \(path) must be \(expected), found \(found)"
        case .unknownKey(let file, let path, let key, let allowed):
            let place = path.isEmpty ? "the top level" : path
            return "\(file): unknown key '\(key)' in \(place); allowed: \(allowed.joined(separator: ", "))"
        case .unknownComponent(let file, let path, let component):
            return "\(file): \(path): unknown component '\(component)'; the components are \(components)"
        case .missingField(let file, let path):
            return "\(file): \(path) is missing"
                + (path.hasPrefix("defaults.") ? " (every component needs a default; use \"constant:0\" for none)" : "")
        case .badSpec(let file, let path, let error):
            return "\(file): \(path): \(error.description)"
        case .negativeValue(let file, let path, let value):
            return "\(file): \(path) is \(SpecNumber.format(value)) ms, but a delay cannot be negative"
        }
    }
}
