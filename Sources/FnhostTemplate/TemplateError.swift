/// Why a SAM template could not be used, naming the file, the resource and the field, as `sam validate` and
/// CloudFormation's own errors do, so the user can go straight to the line to fix.
public enum TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not readable, not YAML or JSON, or not a template at all.
    case malformed(file: String, reason: String)
    /// A resource (or a top-level section, when `resource` is nil) has a field fnhost cannot use.
    case invalid(file: String, resource: String?, field: String, reason: String)

    public var description: String {
        switch self {
        case .malformed(let file, let reason):
            return "\(file): \(reason)"
        case .invalid(let file, let resource?, let field, let reason):
            return "\(file): resource \(resource), \(field): \(reason)"
        case .invalid(let file, nil, let field, let reason):
            return "\(file): \(field): \(reason)"
        }
    }
}
