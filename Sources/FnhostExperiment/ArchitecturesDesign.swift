/// One way to build seed 000's eligibility system, as `fnhost experiment architectures` runs it.
///
/// A new design adds a case, its worker environment in ``workerEnvironment(gatewayURL:)``, and how a request runs in
/// `ArchitecturesExperiment.LevelContext`.
public enum ArchitecturesDesign: String, Sendable, Codable, CaseIterable {
    /// orchestrator → (org-status → rules) ∥ coverage ∥ request-log, each a synchronous Lambda hop.
    case asBuilt = "as-built"
    /// The rules evaluated inside org-status (the same RuleEngine code, linked as a library): one hop less.
    case merged
    /// The orchestrator reaches each service through its API Gateway route (real HTTP, the gateway's delay).
    case gateway
    /// The caller gets a 202 and a request id at once; the checks run as an asynchronous invocation.
    case async
    /// The flow as a state machine (`statemachines/eligibility.asl.json`): a Parallel of the three branches, then
    /// the eligibility function combining their results; each request one EXPRESS synchronous execution.
    case stepFunctions = "step-functions"

    /// What the design changes in the workers' environment (overrides the experiment sets; manifests grant none).
    func workerEnvironment(gatewayURL: String?) -> [String: String] {
        switch self {
        case .asBuilt, .async, .stepFunctions: [:]
        case .merged: ["FNHOST_ORG_STATUS_RULES": "merged"]
        case .gateway:
            ["FNHOST_ELIGIBILITY_TRANSPORT": "gateway", "FNHOST_GATEWAY_URL": gatewayURL ?? ""]
        }
    }

    /// API Gateway requests per eligibility request (the three branches' routes in `gateway`).
    var gatewayRequestsPerRequest: Int { self == .gateway ? 3 : 0 }

    /// Whether the design needs `fnhost serve`'s HTTP side in-process (gateway routes, the async queue).
    var needsServer: Bool { self == .gateway || self == .async }
}
