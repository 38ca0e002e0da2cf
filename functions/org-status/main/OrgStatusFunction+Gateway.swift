import LambdaRuntime

/// Through `GET /orgs/{orgId}`, a malformed id or date is a 400 and an unknown organisation a 404, each naming the
/// field and the reason; a direct invocation still gets `InvalidOrgId`, `InvalidDate` or `OrganisationNotFound`.
extension OrgStatusFunction: GatewayClientErrors {
    static func clientError(for error: HandlerError) -> GatewayClientError? {
        switch error.type {
        case "InvalidOrgId": .badRequest(field: "orgId", error)
        case "InvalidDate": .badRequest(field: "date", error)
        case "OrganisationNotFound": .notFound(field: "orgId", error)
        default: nil
        }
    }
}
