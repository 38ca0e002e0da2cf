/// The organisation record org-status caches (`functions/org-status/main/Organisation.swift`, the same ten fields
/// and types), with the values of ORG-0042 in `functions/org-status/data/organisations.csv`.
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

    static let sample = OrganisationRecord(
        orgId: "ORG-0042", name: "Harbor Logistics LLC", status: "ACTIVE", region: "US-WEST",
        contractStart: "2024-01-01", contractEnd: "2028-12-31", memberCount: 27, taxIdVerified: true,
        outstandingBalance: 1250.00, lastAuditDate: "2025-09-30")

    /// The `n`th of many distinct organisations of the same shape, for filling a cache.
    static func sample(_ n: Int) -> OrganisationRecord {
        OrganisationRecord(
            orgId: "ORG-" + String(n), name: "Northwind Health Cooperative \(n)", status: "ACTIVE", region: "us-east",
            contractStart: "2024-01-01", contractEnd: "2027-12-31", memberCount: 1200 + n, taxIdVerified: true,
            outstandingBalance: 1234.56, lastAuditDate: "2025-06-30")
    }
}
