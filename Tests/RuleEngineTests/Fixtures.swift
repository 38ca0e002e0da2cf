import FnhostWire
import Foundation
import RuleEngine
import TestSupport

/// Shared inputs for the rule-engine tests (the fixture functions are TestSupport's `Fixtures`): the shipped rule file and an organisation in good standing.
enum Fixtures {
    /// `functions/rules/rules.json` in the repository.
    static var shippedRulesPath: String { Paths.functions + "/rules/rules.json" }

    static func shippedRules() throws -> RuleSet {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: shippedRulesPath)))
        return try RuleSet(jsonBytes: bytes, source: shippedRulesPath)
    }

    static let evaluationDate = CalendarDate(iso: "2026-03-01")!

    /// An organisation no shipped rule fires on, as of ``evaluationDate``.
    static let goodStanding: [String: JSONValue] = [
        "orgId": .string("ORG-0042"),
        "name": .string("Harbor Logistics LLC"),
        "status": .string("ACTIVE"),
        "region": .string("US-WEST"),
        "contractStart": .string("2024-01-01"),
        "contractEnd": .string("2027-12-31"),
        "memberCount": .number(412),
        "taxIdVerified": .bool(true),
        "outstandingBalance": .number(1250),
        "lastAuditDate": .string("2025-09-30"),
    ]

    static func facts(_ changes: [String: JSONValue]) -> [String: JSONValue] {
        goodStanding.merging(changes) { _, new in new }
    }

    /// Loads a rule set from JSON text, for tests of the format.
    static func ruleSet(_ json: String) throws -> RuleSet {
        try RuleSet(json: json, source: "test.json")
    }

    /// A one-rule document around `condition` (JSON text).
    static func oneRule(_ condition: String, outcome: String = "REVIEW", id: String = "r1") -> String {
        """
        {"version": "t", "rules": [{"id": "\(id)", "condition": \(condition), "outcome": "\(outcome)", "reason": "because"}]}
        """
    }
}
