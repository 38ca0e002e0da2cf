/// One segment of a route key's path, as API Gateway distinguishes them: the kind decides both whether a request
/// path matches and how specific the match is.
public enum RouteSegment: Sendable, Hashable, CustomStringConvertible {
    /// Matches exactly this text (compared with the request's percent-decoded segment).
    case literal(String)
    /// `{name}`: matches one non-empty segment and captures it, percent-decoded, as `name`.
    case parameter(String)
    /// `{name+}`: matches the rest of the path (one or more characters, slashes included), only as the last segment.
    case greedy(String)

    /// How specific the segment is: API Gateway prefers a literal to a parameter, and a parameter to a greedy one.
    var rank: Int {
        switch self {
        case .literal: 2
        case .parameter: 1
        case .greedy: 0
        }
    }

    /// The segment with its parameter name erased: two routes with the same method and shape are the same route.
    var shape: String {
        switch self {
        case .literal(let text): text
        case .parameter: "{}"
        case .greedy: "{+}"
        }
    }

    public var description: String {
        switch self {
        case .literal(let text): text
        case .parameter(let name): "{\(name)}"
        case .greedy(let name): "{\(name)+}"
        }
    }
}
