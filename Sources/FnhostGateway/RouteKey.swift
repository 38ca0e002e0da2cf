/// A parsed API Gateway route key, `"METHOD /path/{param}/{rest+}"` or `"$default"`: the form in which manifests
/// declare the HTTP routes that reach a function.
public struct RouteKey: Sendable, Hashable, CustomStringConvertible {
    /// The methods a route key may name; `ANY` matches every method.
    public static let methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"]
    /// The catch-all route key, chosen only when no other route matches.
    public static let defaultRouteText = "$default"

    /// The route key as written, which is also the event's `routeKey`.
    public let text: String
    /// The method, `ANY`, or nil for `$default`.
    public let method: String?
    /// The path's segments; empty for `/` (and for `$default`).
    public let segments: [RouteSegment]

    /// Whether this is the `$default` catch-all.
    public var isDefault: Bool { method == nil }

    public var description: String { text }

    /// Parses and validates a route key.
    ///
    /// Exactly one space separates the method from the path. Every segment is either a literal, `{name}`, or
    /// `{name+}` (last only). Literal segments hold only characters a URL path may carry unencoded; they are compared
    /// with the request's percent-decoded segments.
    public init(parsing text: String) throws(RouteKeyError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        if trimmed == Self.defaultRouteText {
            self.text = Self.defaultRouteText
            self.method = nil
            self.segments = []
            return
        }
        guard let space = trimmed.firstIndex(of: " ") else { throw .missingPath(routeKey: trimmed) }
        let method = String(trimmed[..<space])
        let path = String(trimmed[trimmed.index(after: space)...])
        guard Self.methods.contains(method) else { throw .badMethod(routeKey: trimmed, method: method) }
        guard path.hasPrefix("/") else {
            if path.isEmpty { throw .missingPath(routeKey: trimmed) }
            throw .pathMustStartWithSlash(routeKey: trimmed, path: path)
        }
        self.text = trimmed
        self.method = method
        self.segments = try Self.parseSegments(path: path, routeKey: trimmed)
    }

    private static func parseSegments(path: String, routeKey: String) throws(RouteKeyError) -> [RouteSegment] {
        if path == "/" { return [] }
        let pieces = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var segments: [RouteSegment] = []
        var names = Set<String>()
        for (index, piece) in pieces.enumerated() {
            guard !piece.isEmpty else { throw .emptySegment(routeKey: routeKey) }
            let segment = try parseSegment(piece, routeKey: routeKey)
            switch segment {
            case .literal:
                break
            case .parameter(let name), .greedy(let name):
                if case .greedy = segment, index != pieces.count - 1 {
                    throw .greedyNotLast(routeKey: routeKey, segment: String(piece))
                }
                guard names.insert(name).inserted else { throw .duplicateParameter(routeKey: routeKey, name: name) }
            }
            segments.append(segment)
        }
        return segments
    }

    private static func parseSegment(_ piece: Substring, routeKey: String) throws(RouteKeyError) -> RouteSegment {
        guard piece.contains("{") || piece.contains("}") else {
            for character in piece where !isPathCharacter(character) {
                throw .invalidCharacter(routeKey: routeKey, segment: String(piece), character: character)
            }
            return .literal(String(piece))
        }
        guard piece.first == "{", piece.last == "}", piece.count >= 2 else {
            throw .malformedParameter(routeKey: routeKey, segment: String(piece))
        }
        var name = piece.dropFirst().dropLast()
        let greedy = name.last == "+"
        if greedy { name = name.dropLast() }
        guard !name.isEmpty else { throw .emptyParameter(routeKey: routeKey, segment: String(piece)) }
        guard name.unicodeScalars.allSatisfy(isNameScalar) else {
            throw .malformedParameter(routeKey: routeKey, segment: String(piece))
        }
        return greedy ? .greedy(String(name)) : .parameter(String(name))
    }

    /// RFC 3986 `pchar` without `%`: unreserved, sub-delims, `:` and `@`.
    private static func isPathCharacter(_ character: Character) -> Bool {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first, scalar.isASCII else {
            return false
        }
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "-._~!$&'()*+,;=:@".unicodeScalars.contains(scalar)
        }
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": true
        default: false
        }
    }

    /// Method and path shape with parameter names erased: two route keys with the same shape conflict.
    var shape: String {
        guard let method else { return Self.defaultRouteText }
        return method + " /" + segments.map(\.shape).joined(separator: "/")
    }

    /// Segment ranks, compared left to right: the greater array is the more specific route.
    var specificity: [Int] { segments.map(\.rank) }

    /// Matches the request path's segments (raw and percent-decoded) and returns the captured parameters,
    /// percent-decoded, or nil when the path does not match.
    ///
    /// Parameters never match an empty segment, so `/orgs/1/` (segments `orgs`, `1`, ``) does not match
    /// `/orgs/{id}`, as on API Gateway; a greedy parameter captures the rest including a trailing slash
    /// (`/files/a/` gives `a/` for `/files/{path+}`) but never nothing.
    func match(_ path: RequestPath) -> [String: String]? {
        guard !isDefault else { return [:] }
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard index < path.decoded.count, path.decoded[index] == text else { return nil }
            case .parameter(let name):
                guard index < path.decoded.count, !path.decoded[index].isEmpty else { return nil }
                parameters[name] = path.decoded[index]
            case .greedy(let name):
                guard index < path.raw.count else { return nil }
                let rest = path.raw[index...].joined(separator: "/")
                guard !rest.isEmpty else { return nil }
                parameters[name] = PercentEncoding.decodeOrKeep(rest[...])
                return parameters
            }
        }
        return path.raw.count == segments.count ? parameters : nil
    }
}
