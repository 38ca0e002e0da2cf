import FnhostStates
import FnhostWire
import Testing

/// JSONPath as ASL uses it: parsing, what each segment selects, and ResultPath's placing.
@Suite struct JSONPathTests {
    let doc = try! JSONValue.parse(#"{"a":[10,20,30,40],"o":{"x":{"y":1}},"s":"text"}"#)
    let context = JSONValue.object(["Execution": .object(["Name": .string("e1")])])

    func select(_ path: String) throws -> JSONValue? {
        try JSONPath(path).select(input: doc, context: context)
    }

    @Test("definite paths give their node, indefinite ones the array of matches")
    func definiteAndIndefinite() throws {
        #expect(try select("$.o.x.y") == .number(1))
        #expect(try select("$.a[-1]") == .number(40))
        #expect(try select("$.a[1:3]") == .array([.number(20), .number(30)]))
        #expect(try select("$.a[::2]") == .array([.number(10), .number(30)]))
        #expect(try select("$.a[::-1]") == .array([40, 30, 20, 10].map { .number($0) }))
        #expect(try select("$.missing") == nil)
        #expect(try select("$.missing[*]") == .array([]))
        #expect(try select("$$.Execution.Name") == .string("e1"))
        #expect(try JSONPath("$.a[0]").isReferencePath)
        #expect(try !JSONPath("$..y").isReferencePath)
    }

    @Test(
        "a bad path is refused with where it fails",
        arguments: ["", "a.b", "$.", "$[", "$.a[1:2:0]", "$.a[?(@.x ==)]", "$x"])
    func badPaths(_ text: String) {
        #expect(throws: JSONPathError.self) { try JSONPath(text) }
    }

    @Test("ResultPath creates missing fields, replaces array items and refuses non-objects")
    func placing() throws {
        let placed = try JSONPath("$.o.new.deep").placing(.bool(true), into: doc)
        #expect(try JSONPath("$.o.new.deep").select(input: placed, context: .null) == .bool(true))
        #expect(try JSONPath("$.o.x.y").select(input: placed, context: .null) == .number(1))
        let replaced = try JSONPath("$.a[1]").placing(.string("b"), into: doc)
        #expect(
            try JSONPath("$.a").select(input: replaced, context: .null)
                == .array([.number(10), .string("b"), .number(30), .number(40)]))
        #expect(throws: StatesError.self) { try JSONPath("$.s.x").placing(.null, into: doc) }
        #expect(throws: StatesError.self) { try JSONPath("$.a[9]").placing(.null, into: doc) }
        #expect(try JSONPath("$").placing(.number(5), into: doc) == .number(5))
    }
}
