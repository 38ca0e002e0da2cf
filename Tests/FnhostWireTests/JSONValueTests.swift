import FnhostWire
import Testing

/// The one strict JSON parser and writer that the host and every worker share.
@Suite("JSON values")
struct JSONValueTests {
    @Test func parsesEveryJSONType() throws {
        let value = try JSONValue.parse(
            #" {"s": "a\"b\\c\u00e9\ud83d\ude00", "n": -12.5e1, "i": 0, "t": true, "f": false, "z": null, "a": [1, [2]], "o": {}} "#
        )
        #expect(
            value
                == .object([
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
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test func deepNestingIsRefusedRatherThanOverflowingTheStack() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
    }

    @Test func aDuplicateKeyIsRefusedAtTheRepeatedKey() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse("{\n  \"a\": 1,\n  \"a\": 2\n}") }
        #expect(error == JSONSyntaxError(line: 3, column: 3, detail: #"duplicate key "a""#))
    }

    @Test func invalidUTF8InAStringIsRefusedNotReplaced() {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse([0x22, 0x61, 0xFF, 0x22]) }
        #expect(error?.detail == "the string is not valid UTF-8")
        #expect(error?.column == 2)
    }

    @Test func nestingUpToTheInvokeAPILimitIsAccepted() throws {
        let depth = InvokeAPI.maxEventNesting
        let text = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try JSONValue.parse(text) != .null)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse("[" + text + "]") }
    }

    @Test(arguments: [
        #"{"b":[1,2.5,true,null],"a":"x\"y"}"#, #"[]"#, #"{}"#, #""\u0001\n\t""#, "-0.125", "1e300",
    ])
    func serializingAndParsingAgainGivesTheSameValue(_ text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(try JSONValue.parse(value.serialized) == value)
    }

    @Test func serializedObjectsHaveSortedKeysAndIntegersWithoutAFraction() throws {
        let value = try JSONValue.parse(#"{"b": 2.0, "a": [1.5, "é"]}"#)
        #expect(String(decoding: value.serialized, as: UTF8.self) == #"{"a":[1.5,"é"],"b":2}"#)
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("q\"b\\", #""q\"b\\""#), ("a\nb\r\t", #""a\nb\r\t""#),
        ("\u{01}\u{1F}", #""\u0001\u001f""#), ("😀", #""😀""#),
    ])
    func jsonTextQuotesAndEscapesControlCharacters(_ text: String, _ quoted: String) throws {
        #expect(JSONText.quote(text) == quoted)
        #expect(try JSONValue.parse(quoted) == .string(text))
    }

    @Test func quoteShortenedCutsLongTextWithAnEllipsis() {
        #expect(JSONText.quoteShortened(String(repeating: "x", count: 100), limit: 5) == #""xxxxx…""#)
        #expect(JSONText.quoteShortened("short", limit: 5) == #""short""#)
    }
}
