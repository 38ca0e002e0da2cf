import FnhostWire
import ReferenceData

/// coverage's answer: the member's plan and period, whether it is active on the date, and how the lookup went.
///
/// `{"memberId", "orgId", "plan", "active", "coverageStart", "coverageEnd", "dependents", "evaluatedOn",
/// "cache": {"outcome", "workerMs", "sharedMs", "storeMs"}, "worker": {"id", "pid", "invocations"}}`
struct CoverageAnswer: Encodable {
    let memberId: String
    let orgId: String
    let plan: Member.Plan
    let active: Bool
    let coverageStart: String
    let coverageEnd: String
    let dependents: Int
    let evaluatedOn: String
    let cache: CacheReport
    let worker: WorkerReport

    init(member: Member, on date: CalendarDate, cache: CacheReport, worker: WorkerReport) {
        memberId = member.memberId
        orgId = member.orgId
        plan = member.plan
        active = member.isActive(on: date)
        coverageStart = member.coverageStart
        coverageEnd = member.coverageEnd
        dependents = member.dependents
        evaluatedOn = date.description
        self.cache = cache
        self.worker = worker
    }
}
