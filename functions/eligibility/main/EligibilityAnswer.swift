import FnhostWire
import LambdaRuntime

/// eligibility's answer: the decision, the reasons from both checks, the request log's offset, and each branch's
/// latency, measured and simulated.
///
/// `{"requestId", "orgId", "memberId", "date", "decision", "reasons": [{"source", "outcome", "reason", "ruleId"?}],
/// "offset", "log", "transport", "branches": {"org-status": {"measuredMs", "simulatedMs", "latencyMs", "wallMs",
/// "cache"}, "coverage": {…}, "request-log": {…}}, "slowestBranch", "handlerMs", "durationOnLambdaMs"}`
struct EligibilityAnswer: Encodable, Sendable {
    /// One reason: which check gave it, its outcome, and the rule that fired (org-status) when there is one.
    struct Reason: Encodable, Sendable {
        let source: String
        let outcome: String
        let reason: String
        let ruleId: String?
    }

    /// One branch's latency as the orchestrator saw it (none in combine mode: the state machine made the calls), and
    /// its cache outcome when it reported one.
    struct Branch: Encodable, Sendable {
        let timing: CallTiming?
        let cache: String?

        enum CodingKeys: String, CodingKey { case measuredMs, simulatedMs, latencyMs, wallMs, cache }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            if let timing {
                try c.encode(timing.measuredMs, forKey: .measuredMs)
                try c.encode(timing.simulatedMs, forKey: .simulatedMs)
                try c.encode(timing.latencyMs, forKey: .latencyMs)
                try c.encode(timing.wallMs, forKey: .wallMs)
            }
            try c.encodeIfPresent(cache, forKey: .cache)
        }
    }

    let requestId: String
    let orgId: String
    let memberId: String
    let date: String
    /// `ELIGIBLE` only when the organisation is eligible and the member covered on the date; `REVIEW` when the
    /// organisation needs a review and the member is covered; `INELIGIBLE` otherwise.
    let decision: String
    let reasons: [Reason]
    /// The request log's offset for this request (byte offset in the file, or the Redis stream entry id).
    let offset: String
    let log: String
    /// `invoke` or `gateway`: how the branches were reached; `step-functions` in combine mode.
    let transport: String
    let branches: [String: Branch]
    /// The branch with the highest latency (measured + simulated): the one that set the answer's time (none in
    /// combine mode, which did not time the branches).
    let slowestBranch: String?
    /// Measured: the handler's wall time on this machine.
    let handlerMs: Double
    /// The handler's duration as Lambda would bill it: its wall time with the slowest branch's wall time replaced by
    /// that branch's latency (measured + simulated), since the three branches run at once (none in combine mode).
    let durationOnLambdaMs: Double?

    /// The answer from the three branches' results: the one code path of the orchestrator (after its calls) and of
    /// combine mode (the state machine's last state). `timings`: each branch's timing, when this handler made the
    /// calls; `handlerMs`: the handler's wall time so far.
    static func combining(
        _ request: EligibilityRequest, requestID: String, transport: String, organisation: OrgStatusBranch,
        coverage: CoverageBranch, logged: RequestLogBranch, timings: [String: CallTiming]?, handlerMs: Double
    ) -> EligibilityAnswer {
        let (decision, reasons) = decide(request, organisation: organisation, coverage: coverage)
        let slowest = timings?.max { $0.value.latencyMs < $1.value.latencyMs }
        let slowestWall = timings?.values.map(\.wallMs).max() ?? 0
        return EligibilityAnswer(
            requestId: requestID, orgId: request.orgID, memberId: request.memberID, date: request.date.description,
            decision: decision, reasons: reasons, offset: logged.offset, log: logged.log, transport: transport,
            branches: [
                "org-status": .init(timing: timings?["org-status"], cache: organisation.cache?.outcome),
                "coverage": .init(timing: timings?["coverage"], cache: coverage.cache?.outcome),
                "request-log": .init(timing: timings?["request-log"], cache: nil),
            ],
            slowestBranch: slowest?.key, handlerMs: handlerMs,
            durationOnLambdaMs: slowest.map { max(0, handlerMs - slowestWall) + $0.value.latencyMs })
    }

    /// Combines the two checks.
    static func decide(
        _ request: EligibilityRequest, organisation: OrgStatusBranch, coverage: CoverageBranch
    ) -> (decision: String, reasons: [Reason]) {
        var reasons = organisation.reasons.map {
            Reason(source: "org-status", outcome: $0.outcome, reason: $0.reason, ruleId: $0.ruleId)
        }
        var covered = true
        if !coverage.active {
            covered = false
            reasons.append(
                Reason(
                    source: "coverage", outcome: "INELIGIBLE",
                    reason:
                        "no coverage on \(request.date) (\(coverage.plan) \(coverage.coverageStart) to \(coverage.coverageEnd))",
                    ruleId: nil))
        } else if coverage.orgId != request.orgID {
            covered = false
            reasons.append(
                Reason(
                    source: "coverage", outcome: "INELIGIBLE",
                    reason: "member \(request.memberID) is covered through \(coverage.orgId), not \(request.orgID)",
                    ruleId: nil))
        } else {
            reasons.append(
                Reason(
                    source: "coverage", outcome: "ELIGIBLE",
                    reason: "\(coverage.plan) coverage \(coverage.coverageStart) to \(coverage.coverageEnd)",
                    ruleId: nil))
        }
        let decision: String =
            switch (organisation.decision, covered) {
            case ("ELIGIBLE", true): "ELIGIBLE"
            case ("REVIEW", true): "REVIEW"
            default: "INELIGIBLE"
            }
        return (decision, reasons)
    }
}
