import FnhostWire
import LambdaRuntime
import ReferenceData

/// The `org-status` function: is an organisation in good standing?
///
/// It looks the organisation up through the worker cache (in front of a reference store with a simulated
/// latency), then asks the `rules` function for the decision: two steps in a row, which is why it is the slow
/// branch of an eligibility check.
@main
struct OrgStatusFunction: LambdaHandler {
    let organisations: CachedReferenceData<Organisation>
    let worker: WorkerIdentity
    /// The rules as a Lambda hop, or merged in (``RulesStep``).
    let rules: RulesStep

    init(context: InitContext) async throws {
        organisations = try ReferenceDataSetup.load(
            name: "organisations", file: Organisation.file, columns: Organisation.columns, context: context,
            parse: Organisation.index
        )
        worker = WorkerIdentity(environment: context.environment)
        rules = try RulesStep(context: context)
    }

    func handle(_ event: OrgStatusEvent, context: LambdaContext) async throws -> OrgStatusAnswer {
        let served = worker.beginInvocation()
        let (orgId, date) = try event.validated()
        let (found, cache) = try await context.span("find organisation") {
            try await organisations.find(orgId, context: context)
        }
        guard let organisation = found else {
            throw HandlerError(type: "OrganisationNotFound", message: "no organisation \(orgId) in the reference store")
        }
        let verdict = try await context.span("rules verdict") {
            try await rules.verdict(for: organisation, date: date, context: context)
        }
        return OrgStatusAnswer(
            organisation: organisation, decision: verdict.decision, reasons: verdict.reasons,
            rulesetVersion: verdict.rulesetVersion, evaluatedOn: verdict.evaluatedOn, cache: cache, worker: served
        )
    }
}
