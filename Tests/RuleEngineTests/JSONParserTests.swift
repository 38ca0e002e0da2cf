import RuleEngine
import Testing

/// The engine's own JSON parser, which lets it load rule files without Foundation.
@Suite("JSON parser")
struct JSONParserTests {
    @Test func parsesEveryJSONType() throws {
        let value = try JSONValue(parsing: #" {"s": "a\"b\\c\u00e9\ud83d\ude00", "n": -12.5e1, "i": 0, "t": true, "f": false, "z": null, "a": [1, [2]], "o": {}} "#)
        #expect(value == .object([
            "s": .string("a\"b\\cé😀"), "n": .number(-125), "i": .number(0), "t": .bool(true), "f": .bool(false),
            "z": .null, "a": .array([.number(1), .array([.number(2)])]), "o": .object([:]),
        ]))
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9),
        ("[1 2]", 1, 4),
        ("{\"a\": 01}", 1, 8),
        ("\"unterminated", 1, 14),
        ("{}\n  x", 2, 3),
        ("tru", 1, 1),
    ])
    func malformedJSONReportsLineAndColumn(_ text: String, _ line: Int, _ column: Int) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test func deepNestingIsRefusedRatherThanOverflowingTheStack() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue(parsing: text) }
    }
}
