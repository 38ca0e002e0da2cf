import ReferenceData

/// One organisation's reference data, as `organisations.csv` holds it and as the `rules` function reads its facts.
struct Organisation: Codable, Sendable, Hashable {
    let orgId: String
    let name: String
    /// `ACTIVE`, `PENDING`, `SUSPENDED` or `TERMINATED` (kept as text: judging it is the rules' job).
    let status: String
    let region: String
    let contractStart: String
    let contractEnd: String
    let memberCount: Int
    let taxIdVerified: Bool
    let outstandingBalance: Double
    let lastAuditDate: String

    static let idFormat = IdentifierFormat(prefix: "ORG-", digits: 4)
    static let file = "data/organisations.csv"
    static let columns = [
        "orgId", "name", "status", "region", "contractStart", "contractEnd", "memberCount", "taxIdVerified",
        "outstandingBalance", "lastAuditDate",
    ]

    init(_ row: CSVRowReader) throws(ReferenceDataError) {
        orgId = try row.text("orgId", expected: "an id like \(Self.idFormat.example)") { Self.idFormat.matches($0) }
        name = try row.text("name")
        status = try row.text("status")
        region = try row.text("region")
        contractStart = try row.date("contractStart")
        contractEnd = try row.date("contractEnd")
        memberCount = try row.integer("memberCount")
        taxIdVerified = try row.boolean("taxIdVerified")
        outstandingBalance = try row.decimal("outstandingBalance")
        lastAuditDate = try row.date("lastAuditDate")
    }

    /// Every organisation of the table by id; a repeated id is an error.
    static func index(_ table: CSVTable) throws(ReferenceDataError) -> [String: Organisation] {
        var byID: [String: Organisation] = [:]
        byID.reserveCapacity(table.rows.count)
        for row in table.rows {
            let organisation = try Organisation(table.reader(row))
            guard byID.updateValue(organisation, forKey: organisation.orgId) == nil else {
                throw ReferenceDataError(
                    file: table.path, line: row.line, problem: "duplicate orgId \(organisation.orgId)")
            }
        }
        return byID
    }
}
