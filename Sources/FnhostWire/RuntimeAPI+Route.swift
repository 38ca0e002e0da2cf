extension RuntimeAPI {
    /// A request a worker may send to its Runtime API endpoint, parsed from the method and path: what the host's
    /// server dispatches on. Parses exactly the paths that ``nextPath``, ``responsePath(requestID:)``,
    /// ``errorPath(requestID:)``, ``initErrorPath`` and ``InvokeAPI/path(function:)`` build, so that the worker and
    /// the host cannot disagree on a route.
    public enum Route: Equatable, Sendable {
        /// `GET …/invocation/next`.
        case next
        /// `POST …/invocation/{id}/response`.
        case response(requestID: String)
        /// `POST …/invocation/{id}/error`.
        case error(requestID: String)
        /// `POST …/init/error`.
        case initError
        /// `POST /2015-03-31/functions/{name}/invocations`: a call to another function through the host.
        case invoke(function: String)
        /// A path under the Runtime or Invoke API that names no route, or a route with the wrong method.
        case unknownAPIRoute
        /// Anything else.
        case notFound

        /// The route of `method` (upper case, as on the wire) and `target` (a request target; a query is ignored).
        public init(method: String, target: some StringProtocol) {
            let parts = String(target.prefix { $0 != "?" }).split(separator: "/")
            let runtime = parts.count >= 2 && parts[0] == RuntimeAPI.version && parts[1] == "runtime"
            let invokeVersion = InvokeAPI.pathPrefix.split(separator: "/")[0]
            switch (method, parts.count) {
            case ("GET", 4) where runtime && parts[2] == "invocation" && parts[3] == "next":
                self = .next
            case ("POST", 5) where runtime && parts[2] == "invocation" && parts[4] == "response":
                self = .response(requestID: String(parts[3]))
            case ("POST", 5) where runtime && parts[2] == "invocation" && parts[4] == "error":
                self = .error(requestID: String(parts[3]))
            case ("POST", 4) where runtime && parts[2] == "init" && parts[3] == "error":
                self = .initError
            case ("POST", 4) where parts[0] == invokeVersion && parts[1] == "functions" && parts[3] == "invocations":
                self = .invoke(function: String(parts[2]))
            case _ where parts.first.map({ $0 == RuntimeAPI.version || $0 == invokeVersion }) == true:
                self = .unknownAPIRoute
            default:
                self = .notFound
            }
        }
    }
}
