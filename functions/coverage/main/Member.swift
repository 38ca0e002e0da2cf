import FnhostWire
import ReferenceData

/// One member's coverage, as `members.csv` holds it.
struct Member: Codable, Sendable, Hashable {
    let memberId: String
    let orgId: String
    let plan: Plan
    let coverageStart: String
    let coverageEnd: String
    let dependents: Int

    /// The member's plan tier.
    enum Plan: String, Codable, Sendable, CaseIterable {
        case bronze = "BRONZE"
        case silver = "SILVER"
        case gold = "GOLD"
        case platinum = "PLATINUM"
    }

    static let idFormat = IdentifierFormat(prefix: "M-", digits: 6)
    static let file = "data/members.csv"
    static let columns = ["memberId", "orgId", "plan", "coverageStart", "coverageEnd", "dependents"]

    init(_ row: CSVRowReader) throws(ReferenceDataError) {
        memberId = try row.text("memberId", expected: "an id like \(Self.idFormat.example)") {
            Self.idFormat.matches($0)
        }
        orgId = try row.text("orgId")
        let planText = try row.text(
            "plan", expected: "one of \(Plan.allCases.map(\.rawValue).joined(separator: ", "))"
        ) { Plan(rawValue: $0) != nil }
        plan = Plan(rawValue: planText)!
        coverageStart = try row.date("coverageStart")
        coverageEnd = try row.date("coverageEnd")
        dependents = try row.integer("dependents")
    }

    /// Whether coverage is in force on `date`: from `coverageStart` to `coverageEnd`, both days included.
    func isActive(on date: CalendarDate) -> Bool {
        let day = date.description
        return coverageStart <= day && day <= coverageEnd
    }

    /// Every member of the table by id; a repeated id is an error.
    static func index(_ table: CSVTable) throws(ReferenceDataError) -> [String: Member] {
        var byID: [String: Member] = [:]
        byID.reserveCapacity(table.rows.count)
        for row in table.rows {
            let member = try Member(table.reader(row))
            guard byID.updateValue(member, forKey: member.memberId) == nil else {
                throw ReferenceDataError(
                    file: table.path, line: row.line, problem: "duplicate memberId \(member.memberId)")
            }
        }
        return byID
    }
}
