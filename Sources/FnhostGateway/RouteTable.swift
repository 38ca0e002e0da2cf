/// The gateway's routes, validated together and matched by API Gateway's precedence, so that `fnhost serve` can
/// send each HTTP request to the one function that owns it.
///
/// Precedence, as on API Gateway:
/// 1. Only routes whose method is the request's or `ANY` match; among those, the most specific path wins, compared
///    segment by segment from the left: a literal beats `{param}`, which beats `{greedy+}`.
/// 2. For the same path shape, a route naming the method beats `ANY`.
/// 3. `$default` is chosen only when nothing else matches.
///
/// Paths are matched as API Gateway does: literal segments are compared with the request's percent-decoded
/// segments, and a trailing slash is a segment of its own, so `/orgs/1/` does not match `/orgs/{id}` (nor `/orgs/1`).
/// A path that does not start with `/` matches only `$default`. Methods are compared exactly (HTTP methods are
/// case-sensitive).
public struct RouteTable: Sendable {
    /// The routes in the order given.
    public let routes: [GatewayRoute]

    /// Builds a table from `(routeKey, function)` pairs, as the manifests declare them.
    public init(_ routes: [(routeKey: String, function: String)]) throws(RouteTableError) {
        var parsed: [GatewayRoute] = []
        parsed.reserveCapacity(routes.count)
        for (text, function) in routes {
            do {
                parsed.append(GatewayRoute(key: try RouteKey(parsing: text), function: function))
            } catch {
                throw .invalidRouteKey(function: function, error: error)
            }
        }
        try self.init(routes: parsed)
    }

    /// Builds a table from parsed routes; refuses two routes with the same method and path shape.
    public init(routes: [GatewayRoute]) throws(RouteTableError) {
        var byShape: [String: GatewayRoute] = [:]
        for route in routes {
            if let existing = byShape[route.key.shape] {
                throw .conflict(
                    routeKey: route.key.text, function: route.function,
                    existingRouteKey: existing.key.text, existingFunction: existing.function)
            }
            byShape[route.key.shape] = route
        }
        self.routes = routes
    }

    /// Finds the route for a request: `rawPath` is the path as received, still percent-encoded, without the query.
    public func lookup(method: String, rawPath: String) -> RouteLookup {
        var best: GatewayRoute?
        var bestParameters: [String: String] = [:]
        var pathMatchedMethods = Set<String>()
        var fallback: GatewayRoute?
        let path = RequestPath(rawPath)
        for route in routes {
            guard let routeMethod = route.key.method else {
                fallback = route
                continue
            }
            guard let path, let parameters = route.key.match(path) else { continue }
            guard routeMethod == method || routeMethod == "ANY" else {
                pathMatchedMethods.insert(routeMethod)
                continue
            }
            if let current = best, !Self.isMoreSpecific(route.key, than: current.key) { continue }
            best = route
            bestParameters = parameters
        }
        if let best {
            return .matched(function: best.function, routeKey: best.key.text, pathParameters: bestParameters)
        }
        if let fallback {
            return .matched(function: fallback.function, routeKey: fallback.key.text, pathParameters: [:])
        }
        if !pathMatchedMethods.isEmpty { return .methodNotAllowed(allowed: pathMatchedMethods.sorted()) }
        return .notFound
    }

    /// Whether `a` wins over `b` when both match: path specificity first, then a named method over `ANY`.
    static func isMoreSpecific(_ a: RouteKey, than b: RouteKey) -> Bool {
        let sa = a.specificity
        let sb = b.specificity
        if sa != sb { return sb.lexicographicallyPrecedes(sa) }
        return a.method != "ANY" && b.method == "ANY"
    }
}
