import FnhostWire
import RuleEngine
import Testing

/// Loading refuses a bad rule set with an error that names the file, the rule (index and id), the field and
/// the reason.
@Suite("Rule set validation")
struct RuleSetValidationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let json: String
        let ruleIndex: Int?
        let ruleID: String?
        let field: String
        let reason: RuleSetError.Reason
        var testDescription: String { name }
    }

    private static func rule(_ body: String) -> String { #"{"version": "t", "rules": ["# + body + "]}" }
    private static let ok =
        #"{"id": "ok", "condition": {"fact": "memberCount", "op": "==", "value": 0}, "outcome": "REVIEW", "reason": "r"}"#

    static let cases: [Case] = [
        Case(
            name: "unknown operator",
            json: rule(
                ok
                    + #", {"id": "bad-op", "condition": {"fact": "status", "op": "=~", "value": "X"}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 1, ruleID: "bad-op", field: "condition.op", reason: .unknownOperator("=~")
        ),
        Case(
            name: "unknown outcome",
            json: rule(
                #"{"id": "r", "condition": {"fact": "status", "op": "==", "value": "X"}, "outcome": "MAYBE", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "outcome", reason: .unknownOutcome("MAYBE")
        ),
        Case(
            name: "malformed date",
            json: rule(
                #"{"id": "r", "condition": {"fact": "contractEnd", "op": "<", "value": {"date": "2026-02-30"}}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.value.date", reason: .malformedDate("2026-02-30")
        ),
        Case(
            name: "missing reason",
            json: rule(#"{"id": "r", "condition": {"fact": "status", "op": "==", "value": "X"}, "outcome": "REVIEW"}"#),
            ruleIndex: 0, ruleID: "r", field: "reason", reason: .missingField
        ),
        Case(
            name: "missing id",
            json: rule(
                #"{"condition": {"fact": "status", "op": "==", "value": "X"}, "outcome": "REVIEW", "reason": "r"}"#),
            ruleIndex: 0, ruleID: nil, field: "id", reason: .missingField
        ),
        Case(
            name: "missing condition value",
            json: rule(
                #"{"id": "r", "condition": {"fact": "status", "op": "=="}, "outcome": "REVIEW", "reason": "r"}"#),
            ruleIndex: 0, ruleID: "r", field: "condition.value", reason: .missingField
        ),
        Case(
            name: "duplicate id",
            json: rule(ok + ", " + ok),
            ruleIndex: 1, ruleID: "ok", field: "id", reason: .duplicateID("ok", firstIndex: 0)
        ),
        Case(
            name: "reserved id",
            json: rule(
                #"{"id": "default", "condition": {"fact": "status", "op": "==", "value": "X"}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "default", field: "id", reason: .reservedID("default")
        ),
        Case(
            name: "misspelt field",
            json: rule(
                #"{"id": "r", "conditon": {"fact": "status", "op": "==", "value": "X"}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "conditon", reason: .unknownField
        ),
        Case(
            name: "wrong type",
            json: rule(
                #"{"id": 7, "condition": {"fact": "status", "op": "==", "value": "X"}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: nil, field: "id", reason: .wrongType(expected: "a string", found: "a number")
        ),
        Case(
            name: "empty all",
            json: rule(#"{"id": "r", "condition": {"all": []}, "outcome": "REVIEW", "reason": "r"}"#),
            ruleIndex: 0, ruleID: "r", field: "condition.all", reason: .empty
        ),
        Case(
            name: "ambiguous condition",
            json: rule(#"{"id": "r", "condition": {"all": [], "fact": "status"}, "outcome": "REVIEW", "reason": "r"}"#),
            ruleIndex: 0, ruleID: "r", field: "condition", reason: .unrecognisedCondition(["all", "fact"])
        ),
        Case(
            name: "nested error path",
            json: rule(
                #"{"id": "r", "condition": {"any": [{"fact": "a", "op": "==", "value": 1}, {"not": {"fact": "b", "op": "~", "value": 1}}]}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.any[1].not.op", reason: .unknownOperator("~")
        ),
        Case(
            name: "negative period",
            json: rule(
                #"{"id": "r", "condition": {"fact": "lastAuditDate", "op": "<", "value": {"date": "evaluation", "minus": {"years": -2}}}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.value.minus.years",
            reason: .invalidPeriod("must be a whole number from 0 to 100000, found -2")
        ),
        Case(
            name: "unknown period unit",
            json: rule(
                #"{"id": "r", "condition": {"fact": "lastAuditDate", "op": "<", "value": {"date": "evaluation", "minus": {"weeks": 2}}}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.value.minus.weeks", reason: .unknownField
        ),
        Case(
            name: "in without a list",
            json: rule(
                #"{"id": "r", "condition": {"fact": "status", "op": "in", "value": "ACTIVE"}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.value",
            reason: .operatorMismatch(#"operator "in" needs a list of values (or a fact holding one), found "ACTIVE""#)
        ),
        Case(
            name: "list without in",
            json: rule(
                #"{"id": "r", "condition": {"fact": "status", "op": "==", "value": ["ACTIVE"]}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.value",
            reason: .operatorMismatch(#"a list of values only goes with operator "in", not "==""#)
        ),
        Case(
            name: "ordering a boolean",
            json: rule(
                #"{"id": "r", "condition": {"fact": "taxIdVerified", "op": "<", "value": true}, "outcome": "REVIEW", "reason": "r"}"#
            ),
            ruleIndex: 0, ruleID: "r", field: "condition.value",
            reason: .operatorMismatch(#"operator "<" cannot order booleans; use == or !="#)
        ),
        Case(
            name: "missing version",
            json: #"{"rules": [\#(ok)]}"#,
            ruleIndex: nil, ruleID: nil, field: "version", reason: .missingField
        ),
        Case(
            name: "no rules",
            json: #"{"version": "t", "rules": []}"#,
            ruleIndex: nil, ruleID: nil, field: "rules", reason: .empty
        ),
        Case(
            name: "document not an object",
            json: #"[1, 2]"#,
            ruleIndex: nil, ruleID: nil, field: "",
            reason: .wrongType(expected: #"an object with "version" and "rules""#, found: "an array")
        ),
        Case(
            name: "malformed JSON",
            json: "{\"version\": \"t\",\n  \"rules\": [,]}",
            ruleIndex: nil, ruleID: nil, field: "",
            reason: .malformedJSON(JSONSyntaxError(line: 2, column: 13, detail: "unexpected ',', expected a value"))
        ),
        Case(
            name: "duplicate JSON key",
            json: #"{"version": "t", "version": "u", "rules": []}"#,
            ruleIndex: nil, ruleID: nil, field: "",
            reason: .malformedJSON(JSONSyntaxError(line: 1, column: 18, detail: #"duplicate key "version""#))
        ),
    ]

    @Test(arguments: cases)
    func badRuleSetIsRefusedWithFileRuleFieldAndReason(_ c: Case) {
        let error = #expect(throws: RuleSetError.self) { try RuleSet(json: c.json, source: "rules/test.json") }
        #expect(error?.source == "rules/test.json")
        #expect(error?.ruleIndex == c.ruleIndex)
        #expect(error?.ruleID == c.ruleID)
        #expect(error?.field == c.field)
        #expect(error?.reason == c.reason)
    }

    @Test func errorMessageReadsAsOneActionableLine() {
        let json = Self.rule(
            Self.ok
                + #", {"id": "audit-overdue", "condition": {"fact": "lastAuditDate", "op": "<", "value": {"date": "evaluation", "minus": {"years": -2}}}, "outcome": "REVIEW", "reason": "r"}"#
        )
        let error = #expect(throws: RuleSetError.self) { try RuleSet(json: json, source: "functions/rules/rules.json") }
        #expect(
            error?.description
                == #"functions/rules/rules.json: rules[1] (id "audit-overdue"), field "condition.value.minus.years": must be a whole number from 0 to 100000, found -2"#
        )
    }

    @Test func unknownOperatorMessageListsTheValidOnes() {
        let json = Self.rule(
            #"{"id": "r", "condition": {"fact": "status", "op": "=", "value": "X"}, "outcome": "REVIEW", "reason": "r"}"#
        )
        let error = #expect(throws: RuleSetError.self) { try RuleSet(json: json, source: "x.json") }
        #expect(
            error?.description.contains(#"unknown operator "=" (expected one of ==, !=, <, <=, >, >=, in)"#) == true)
    }

    @Test func rulesBuiltInCodeGetTheSameIdChecks() {
        let rule = Rule(
            id: "same", condition: .comparison(fact: "a", op: .equal, value: .literal(.number(1))), outcome: .review,
            reason: "r")
        let error = #expect(throws: RuleSetError.self) { try RuleSet(version: "t", rules: [rule, rule]) }
        #expect(error?.reason == .duplicateID("same", firstIndex: 0))
    }
}
