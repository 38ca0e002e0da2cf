import FnhostWire
import Foundation
import RuleEngine
import Testing

/// The committed reference data (`functions/org-status/data/organisations.csv`) against the shipped rules: the mix
/// the generator promises, as org-status will send it to the rules function.
@Suite("Shipped organisations.csv")
struct ShippedDataTests {
    /// Each organisation's facts, typed as org-status encodes them (numbers, booleans, ISO date strings).
    static func organisations() throws -> [String: [String: JSONValue]] {
        let path = URL(fileURLWithPath: Fixtures.shippedRulesPath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("org-status/data/organisations.csv").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n")
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var result: [String: [String: JSONValue]] = [:]
        for line in lines {
            var facts: [String: JSONValue] = [:]
            for (column, field) in zip(header, line.split(separator: ",", omittingEmptySubsequences: false)) {
                let text = String(field)
                switch column {
                case "memberCount", "outstandingBalance": facts[column] = .number(Double(text)!)
                case "taxIdVerified": facts[column] = .bool(text == "true")
                default: facts[column] = .string(text)
                }
            }
            result[facts["orgId"]!.stringValue] = facts
        }
        return result
    }

    @Test func referenceDataHasEveryDecisionMostlyEligibleAndEveryRuleFires() throws {
        let rules = try Fixtures.shippedRules()
        let organisations = try Self.organisations()
        #expect(organisations.count == 5000)
        var decisions: [Outcome: Int] = [:]
        var fired = Set<String>()
        for facts in organisations.values {
            let decision = try rules.evaluate(facts: facts, on: Fixtures.evaluationDate)
            decisions[decision.outcome, default: 0] += 1
            fired.formUnion(decision.firedRuleIDs)
        }
        #expect(decisions[.eligible, default: 0] > 2500, "\(decisions)")
        #expect(decisions[.review, default: 0] > 0)
        #expect(decisions[.ineligible, default: 0] > 0)
        #expect(fired == Set(rules.rules.map(\.id)), "never fired: \(Set(rules.rules.map(\.id)).subtracting(fired))")
    }

    @Test func demoOrganisationIsEligible() throws {
        let facts = try #require(try Self.organisations()["ORG-0042"])
        #expect(facts["name"] == .string("Harbor Logistics LLC"))
        let decision = try Fixtures.shippedRules().evaluate(facts: facts, on: Fixtures.evaluationDate)
        #expect(decision.outcome == .eligible)
        #expect(decision.firedRuleIDs.isEmpty)
    }
}

extension JSONValue {
    fileprivate var stringValue: String {
        if case .string(let s) = self { return s }
        return ""
    }
}
