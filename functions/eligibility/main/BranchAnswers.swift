/// What eligibility reads of org-status's answer (the rest is ignored).
struct OrgStatusBranch: Decodable, Sendable {
    struct Reason: Codable, Sendable {
        let ruleId: String
        let outcome: String
        let reason: String
    }
    struct Cache: Decodable, Sendable { let outcome: String }
    let decision: String
    let reasons: [Reason]
    let cache: Cache?
}

/// What eligibility reads of coverage's answer.
struct CoverageBranch: Decodable, Sendable {
    struct Cache: Decodable, Sendable { let outcome: String }
    let orgId: String
    let plan: String
    let active: Bool
    let coverageStart: String
    let coverageEnd: String
    let cache: Cache?
}

/// What eligibility reads of request-log's answer.
struct RequestLogBranch: Decodable, Sendable {
    let offset: String
    let log: String
}
