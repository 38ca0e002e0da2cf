/// Why a route key from a manifest is not one API Gateway would accept. Each message quotes the route key and says
/// how to write it instead, so that the manifest's author can fix it without reading the gateway's code.
public enum RouteKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The route key is empty or only whitespace.
    case empty
    /// No space between the method and the path, as in `"GET/orgs"` or `"/orgs"`.
    case missingPath(routeKey: String)
    /// The method is not one of `GET POST PUT PATCH DELETE HEAD OPTIONS ANY` (upper case).
    case badMethod(routeKey: String, method: String)
    /// The path does not start with `/`.
    case pathMustStartWithSlash(routeKey: String, path: String)
    /// Two slashes in a row, or a trailing slash (only `/` itself may end with one).
    case emptySegment(routeKey: String)
    /// `{}` or `{+}`: a parameter needs a name.
    case emptyParameter(routeKey: String, segment: String)
    /// Braces that do not wrap the whole segment, nested braces, or a name with characters other than letters,
    /// digits, `_`, `-` and `.`.
    case malformedParameter(routeKey: String, segment: String)
    /// A greedy parameter `{name+}` that is not the last segment.
    case greedyNotLast(routeKey: String, segment: String)
    /// The same parameter name twice in one path.
    case duplicateParameter(routeKey: String, name: String)
    /// A literal segment with a character a URL path cannot hold unencoded (or a `%`).
    case invalidCharacter(routeKey: String, segment: String, character: Character)

    public var description: String {
        switch self {
        case .empty:
            return "empty route key: write METHOD /path, such as \"GET /orgs/{orgId}\", or \"$default\""
        case .missingPath(let key):
            return
                "route key \"\(key)\" has no path: write METHOD, one space, then a path starting with /, such as \"GET /orgs/{orgId}\""
        case .badMethod(let key, let method):
            let upper = method.uppercased()
            let hint =
                RouteKey.methods.contains(upper) && upper != method
                ? " (write \"\(upper)\": methods are upper case)" : ""
            return
                "route key \"\(key)\": \"\(method)\" is not a method\(hint); use one of \(RouteKey.methods.joined(separator: ", "))"
        case .pathMustStartWithSlash(let key, let path):
            return "route key \"\(key)\": the path \"\(path)\" must start with /, as in \"/\(path)\""
        case .emptySegment(let key):
            return "route key \"\(key)\": the path has an empty segment (a double slash or a trailing slash); remove it"
        case .emptyParameter(let key, let segment):
            return "route key \"\(key)\": the parameter \"\(segment)\" has no name; write {name} or {name+}"
        case .malformedParameter(let key, let segment):
            return
                "route key \"\(key)\": \"\(segment)\" is not a parameter: a parameter is a whole segment {name} or {name+}, its name made of letters, digits, _, - and ."
        case .greedyNotLast(let key, let segment):
            return
                "route key \"\(key)\": the greedy parameter \"\(segment)\" must be the last segment; move it to the end or write it without +"
        case .duplicateParameter(let key, let name):
            return
                "route key \"\(key)\": the parameter name \"\(name)\" appears twice; give each parameter its own name"
        case .invalidCharacter(let key, let segment, let character):
            let shown = character.unicodeScalars.map {
                $0.value < 0x20 || $0.value == 0x7F ? "U+\(String($0.value, radix: 16, uppercase: true))" : String($0)
            }.joined()
            return
                "route key \"\(key)\": the segment \"\(segment)\" contains \"\(shown)\", which a route path cannot hold; use letters, digits and -._~!$&'()*+,;=:@ only (write the decoded character, not a %-escape)"
        }
    }
}
