/// A handler whose client mistakes come back as client errors when API Gateway calls it.
///
/// When an event that came through API Gateway (``GatewayClientError/isGatewayEvent(_:)``) makes the handler throw
/// a ``HandlerError`` that ``clientError(for:)`` recognises, the runtime answers with that 4xx in API Gateway's
/// response format instead of reporting a function error (which API Gateway would turn into a 500). Every other
/// error, and every error of a direct invocation, is reported as a function error with its type, as before: a
/// direct caller (the Invoke API, another function) keeps the error types it matches on, and a real failure stays a
/// 5xx at the gateway.
///
/// ```swift
/// extension OrgStatusFunction: GatewayClientErrors {
///     static func clientError(for error: HandlerError) -> GatewayClientError? {
///         error.type == "InvalidOrgId" ? .badRequest(field: "orgId", error) : nil
///     }
/// }
/// ```
public protocol GatewayClientErrors: LambdaHandler {
    /// The 4xx for an error the handler threw, or nil when it is a real failure.
    static func clientError(for error: HandlerError) -> GatewayClientError?
}

extension GatewayClientError {
    /// The answer to give instead of a function error: the client error `handler` maps `error` to, when `event`
    /// came through API Gateway; nil otherwise.
    static func answer<H: LambdaHandler>(_ handler: H.Type, error: any Error, event: [UInt8]) -> [UInt8]? {
        guard let mapping = handler as? any GatewayClientErrors.Type, let error = error as? HandlerError,
            let clientError = mapping.clientError(for: error), isGatewayEvent(event)
        else { return nil }
        return clientError.response
    }
}
