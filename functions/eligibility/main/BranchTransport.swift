import FnhostWire
import LambdaRuntime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How eligibility reaches its three branches: a direct Lambda invoke through the host (the default, as built), or
/// each service's API Gateway route of `fnhost serve` (`FNHOST_ELIGIBILITY_TRANSPORT=gateway` with
/// `FNHOST_GATEWAY_URL=http://127.0.0.1:9000`; the `gateway` design of `fnhost experiment architectures`).
enum BranchTransport: Sendable {
    case invoke
    case gateway(baseURL: String)

    init(environment: [String: String]) throws(HandlerError) {
        switch environment["FNHOST_ELIGIBILITY_TRANSPORT"] ?? "invoke" {
        case "invoke", "": self = .invoke
        case "gateway":
            guard let url = environment["FNHOST_GATEWAY_URL"], url.hasPrefix("http://") else {
                throw HandlerError(
                    type: "InvalidConfiguration",
                    message:
                        "FNHOST_ELIGIBILITY_TRANSPORT=gateway needs FNHOST_GATEWAY_URL=http://HOST:PORT (fnhost serve)")
            }
            self = .gateway(baseURL: url.hasSuffix("/") ? String(url.dropLast()) : url)
        case let other:
            throw HandlerError(
                type: "InvalidConfiguration",
                message: "FNHOST_ELIGIBILITY_TRANSPORT must be invoke or gateway, got \"\(other)\"")
        }
    }

    var name: String {
        switch self {
        case .invoke: "invoke"
        case .gateway: "gateway"
        }
    }

    func orgStatus(_ orgID: String, date: String, context: LambdaContext) async throws -> (OrgStatusBranch, CallTiming)
    {
        switch self {
        case .invoke:
            try await context.invokeTimed(
                "org-status", payload: ["orgId": orgID, "date": date], as: OrgStatusBranch.self)
        case .gateway(let base):
            try await context.requestTimed(
                method: "GET", url: "\(base)/orgs/\(orgID)?date=\(date)", as: OrgStatusBranch.self)
        }
    }

    func coverage(_ memberID: String, date: String, context: LambdaContext) async throws -> (CoverageBranch, CallTiming)
    {
        switch self {
        case .invoke:
            try await context.invokeTimed(
                "coverage", payload: ["memberId": memberID, "date": date], as: CoverageBranch.self)
        case .gateway(let base):
            try await context.requestTimed(
                method: "GET", url: "\(base)/members/\(memberID)/coverage?date=\(date)", as: CoverageBranch.self)
        }
    }

    func requestLog(_ entry: [String: String], context: LambdaContext) async throws -> (RequestLogBranch, CallTiming) {
        switch self {
        case .invoke:
            try await context.invokeTimed("request-log", payload: entry, as: RequestLogBranch.self)
        case .gateway(let base):
            try await context.requestTimed(
                method: "POST", url: "\(base)/request-log", body: Array(try JSONEncoder().encode(entry)),
                as: RequestLogBranch.self)
        }
    }
}
