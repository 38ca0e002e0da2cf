/// What a `RouteTable` says about one request: the function to call, or why none applies (405 versus 404).
public enum RouteLookup: Sendable, Equatable {
    /// The request reaches `function` through the route `routeKey`; `pathParameters` are percent-decoded.
    case matched(function: String, routeKey: String, pathParameters: [String: String])
    /// Some route matches the path, none the method; `allowed` lists their methods, sorted (for the `Allow` header).
    case methodNotAllowed(allowed: [String])
    /// No route matches the path (and there is no `$default`).
    case notFound
}
