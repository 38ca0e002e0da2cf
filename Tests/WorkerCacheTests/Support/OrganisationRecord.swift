/// The record org-status caches: an organisation's reference data, as in shared/reference/eligibility.md.
struct OrganisationRecord: Codable, Sendable, Equatable {
    var orgId: String
    var name: String
    var status: String
    var region: String
    var contractStart: String
    var contractEnd: String
    var memberCount: Int
    var taxIdVerified: Bool
    var outstandingBalance: Double
    var lastAuditDate: String

    static func sample(_ number: Int = 42) -> OrganisationRecord {
        OrganisationRecord(
            orgId: "ORG-\(String(repeating: "0", count: max(0, 4 - String(number).count)))\(number)",
            name: "Harbor Logistics LLC",
            status: "ACTIVE",
            region: "US-WEST",
            contractStart: "2024-01-01",
            contractEnd: "2026-12-31",
            memberCount: 412,
            taxIdVerified: true,
            outstandingBalance: 1250.00,
            lastAuditDate: "2025-09-30"
        )
    }
}
