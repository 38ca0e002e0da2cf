import LambdaRuntime
import ReferenceData

/// The `coverage` function: does a member have coverage on a date?
///
/// One lookup through the worker cache (in front of a reference store with a simulated latency) and a date
/// comparison: the fast branch of an eligibility check.
@main
struct CoverageFunction: LambdaHandler {
    let members: CachedReferenceData<Member>
    let worker: WorkerIdentity

    init(context: InitContext) async throws {
        members = try ReferenceDataSetup.load(
            name: "members", file: Member.file, columns: Member.columns, context: context, parse: Member.index
        )
        worker = WorkerIdentity(environment: context.environment)
    }

    func handle(_ event: CoverageEvent, context: LambdaContext) async throws -> CoverageAnswer {
        let served = worker.beginInvocation()
        let (memberId, date) = try event.validated()
        let (found, cache) = try await members.find(memberId, context: context)
        guard let member = found else {
            throw HandlerError(type: "MemberNotFound", message: "no member \(memberId) in the reference store")
        }
        return CoverageAnswer(member: member, on: date, cache: cache, worker: served)
    }
}
