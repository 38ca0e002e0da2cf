import ReferenceData

/// org-status's answer: the organisation, the rules' decision and reasons, and how the lookup went.
///
/// `{"organisation": {...}, "decision", "reasons": [{"ruleId", "outcome", "reason"}], "rulesetVersion",
/// "evaluatedOn", "cache": {"outcome", "workerMs", "sharedMs", "storeMs"}, "worker": {"id", "pid", "invocations"}}`
struct OrgStatusAnswer: Encodable {
    let organisation: Organisation
    let decision: String
    let reasons: [RuleReason]
    let rulesetVersion: String
    let evaluatedOn: String
    let cache: CacheReport
    let worker: WorkerReport
}
