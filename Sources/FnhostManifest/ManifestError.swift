/// Why a manifest was refused: always the file, the field and the reason, so the user can fix it in one go.
public enum ManifestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not JSON.
    case malformed(file: String, reason: String)
    /// A field is missing, of the wrong type, or out of range.
    case invalidField(file: String, field: String, reason: String)
    /// Two manifests declare the same function name.
    case duplicateName(name: String, files: [String])
    /// The functions directory has no manifest at all.
    case noFunctions(directory: String)

    public var description: String {
        switch self {
        case .unreadable(let file, let reason): "\(file): cannot read manifest: \(reason)"
        case .malformed(let file, let reason): "\(file): not valid JSON: \(reason)"
        case .invalidField(let file, let field, let reason): "\(file): field \"\(field)\": \(reason)"
        case .duplicateName(let name, let files):
            "function \"\(name)\" is declared twice: \(files.joined(separator: " and "))"
        case .noFunctions(let directory):
            "no functions in \(directory): expected folders holding a \(ManifestLoader.fileName)"
        }
    }
}
