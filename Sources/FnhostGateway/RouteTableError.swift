/// Why a set of routes cannot be served: a route key that does not parse, or two routes that would answer the
/// same requests. Messages name the functions involved so that the right manifest gets fixed.
public enum RouteTableError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A function declares a route key that does not parse.
    case invalidRouteKey(function: String, error: RouteKeyError)
    /// Two routes have the same method and the same path shape (parameter names aside), or both are `$default`.
    case conflict(routeKey: String, function: String, existingRouteKey: String, existingFunction: String)

    public var description: String {
        switch self {
        case .invalidRouteKey(let function, let error):
            return "function \(function): \(error)"
        case .conflict(let key, let function, let existingKey, let existingFunction):
            let same = key == existingKey ? "is declared twice" : "conflicts with \"\(existingKey)\""
            let owners =
                function == existingFunction
                ? "both in function \(function)"
                : "of function \(function) and of function \(existingFunction)"
            return
                "route \"\(key)\" \(same) (\(owners)): the same method and path shape can reach only one function; remove one or change its path or method"
        }
    }
}
