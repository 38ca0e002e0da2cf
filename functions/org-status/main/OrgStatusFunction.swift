import FnhostWire
import LambdaRuntime
import ReferenceData
import Tracing

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
        // Spans through swift-distributed-tracing: fnhost's trace shows them under the invocation's duration, with
        // their attributes and, when one throws, its error.
        let (organisation, cache) = try await withSpan("find organisation") { span in
            span.attributes["org.id"] = orgId
            let (found, cache) = try await organisations.find(orgId, context: context)
            span.attributes["org.found"] = found != nil
            guard let found else {
                throw HandlerError(
                    type: "OrganisationNotFound", message: "no organisation \(orgId) in the reference store")
            }
            return (found, cache)
        }
        let verdict = try await withSpan("rules verdict") { span in
            span.attributes["rules.mode"] = rules.mode
            let verdict = try await rules.verdict(for: organisation, date: date, context: context)
            span.attributes["rules.decision"] = verdict.decision
            span.attributes["rules.version"] = verdict.rulesetVersion
            return verdict
        }
        return OrgStatusAnswer(
            organisation: organisation, decision: verdict.decision, reasons: verdict.reasons,
            rulesetVersion: verdict.rulesetVersion, evaluatedOn: verdict.evaluatedOn, cache: cache, worker: served
        )
    }
}
