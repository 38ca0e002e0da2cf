import LambdaRuntime

/// Through `GET /members/{memberId}/coverage`, a malformed id or date is a 400 and an unknown member a 404, each
/// naming the field and the reason; a direct invocation still gets `InvalidMemberId`, `InvalidDate` or
/// `MemberNotFound`.
extension CoverageFunction: GatewayClientErrors {
    static func clientError(for error: HandlerError) -> GatewayClientError? {
        switch error.type {
        case "InvalidMemberId": .badRequest(field: "memberId", error)
        case "InvalidDate": .badRequest(field: "date", error)
        case "MemberNotFound": .notFound(field: "memberId", error)
        default: nil
        }
    }
}
