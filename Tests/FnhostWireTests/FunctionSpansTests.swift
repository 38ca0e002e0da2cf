import FnhostWire
import Testing

@Suite struct FunctionSpansTests {
    @Test func whatIsWrittenReadsBack() throws {
        let spans = FunctionSpans(entries: [
            .init(name: "load rules", startMs: 0.125, durationMs: 3.5),
            .init(name: "score, é;=", startMs: 4, durationMs: 0),
        ])
        #expect(spans.headerValue == "0.125+3.5 load%20rules, 4.0+0 score%2C%20%C3%A9%3B%3D")
        #expect(try FunctionSpans(parsing: spans.headerValue) == spans)
    }

    @Test func theWriterKeepsTheBoundsTheParserChecks() throws {
        let many = FunctionSpans(
            entries: (0..<100).map { _ in FunctionSpans.Entry(name: "x", startMs: -1, durationMs: .nan) })
        let read = try FunctionSpans(parsing: many.headerValue)
        #expect(read.entries.count == FunctionSpans.maxEntries)
        #expect(read.entries[0].startMs == 0 && read.entries[0].durationMs == 0)
        let long = FunctionSpans(entries: [.init(name: String(repeating: "é", count: 80), startMs: 1, durationMs: 1)])
        #expect(try FunctionSpans(parsing: long.headerValue).entries[0].name.utf8.count == 100)
    }

    @Test func refusesWhatIsNotASpanList() throws {
        #expect(throws: FunctionSpans.ParseError.malformedEntry("1+2")) { try FunctionSpans(parsing: "1+2") }
        #expect(throws: FunctionSpans.ParseError.invalidMilliseconds("-1")) { try FunctionSpans(parsing: "-1+2 a") }
        #expect(throws: FunctionSpans.ParseError.invalidField("b")) { try FunctionSpans(parsing: "1+2 a b") }
        #expect(throws: FunctionSpans.ParseError.invalidName("")) { try FunctionSpans(parsing: "1+2  a") }
        #expect(throws: FunctionSpans.ParseError.invalidName("%zz")) { try FunctionSpans(parsing: "1+2 %zz") }
        #expect(throws: FunctionSpans.ParseError.invalidName("%FF")) { try FunctionSpans(parsing: "1+2 %FF") }
        #expect(try FunctionSpans(parsing: "").entries.isEmpty)
    }

    @Test func aTimeBeyondTheLimitIsRefusedAndTheWriterClampsToIt() throws {
        #expect(throws: FunctionSpans.ParseError.self) { try FunctionSpans(parsing: "25+1000000001 slow") }
        #expect(throws: FunctionSpans.ParseError.self) { try FunctionSpans(parsing: "1e12+1 late") }
        let huge = FunctionSpans(entries: [.init(name: "huge", startMs: 25, durationMs: 7.7e61)])
        #expect(!huge.headerValue.contains("e+"), "\(huge.headerValue)")
        let back = try FunctionSpans(parsing: huge.headerValue)
        #expect(back.entries.first?.durationMs == FunctionSpans.maxMilliseconds)
    }
}

@Suite("Fnhost-Spans with parents, errors and attributes")
struct FunctionSpansFieldsTests {
    static let nested = FunctionSpans(entries: [
        .init(
            name: "load rules", startMs: 0.125, durationMs: 3.5, attributes: ["rules.count": "12", "src": "a b,c=d"]),
        .init(name: "parse", startMs: 0.5, durationMs: 2.25, parent: 0, error: "bad row, 17"),
        .init(name: "bare", startMs: 1, durationMs: 0, parent: 1, error: ""),
    ])

    @Test("parents, errors and attributes are written as fields and read back")
    func roundTrip() throws {
        #expect(
            Self.nested.headerValue
                == "0.125+3.5 load%20rules a.rules.count=12 a.src=a%20b%2Cc%3Dd, 0.5+2.25 parse p=0 e=bad%20row%2C%2017, "
                + "1.0+0 bare p=1 e=")
        #expect(try FunctionSpans(parsing: Self.nested.headerValue) == Self.nested)
    }

    @Test("a value of the first version still reads, as spans without parent, error or attributes")
    func firstVersionValuesStillParse() throws {
        let old = try FunctionSpans(parsing: "0.125+3.5 load%20rules, 4.0+1.25 score")
        #expect(
            old.entries == [
                .init(name: "load rules", startMs: 0.125, durationMs: 3.5),
                .init(name: "score", startMs: 4, durationMs: 1.25),
            ])
    }

    @Test("the parser refuses bad fields: a parent that is not earlier, repeats, unknown fields, fields out of bounds")
    func refusesBadFields() {
        let refused = [
            "1+1 a p=0",  // itself
            "1+1 a, 1+1 b p=1",  // itself
            "1+1 a, 1+1 b p=2",  // later
            "1+1 a, 1+1 b p=0 p=0",  // twice
            "1+1 a p=-1", "1+1 a p=", "1+1 a p=x",
            "1+1 a e=x e=y", "1+1 a e=%zz", "1+1 a e=a%20b c",
            "1+1 a a.k=v a.k=w", "1+1 a a.=v", "1+1 a a.k", "1+1 a a.k=v=w",
            "1+1 a z=1", "1+1 a  p=0",
            "1+1 a e=" + String(repeating: "x", count: FunctionSpans.maxErrorBytes + 1),
            "1+1 a a.k=" + String(repeating: "v", count: FunctionSpans.maxValueBytes + 1),
            "1+1 a a." + String(repeating: "k", count: FunctionSpans.maxKeyBytes + 1) + "=v",
            "1+1 a" + (0...FunctionSpans.maxAttributes).map { " a.k\($0)=v" }.joined(),
        ]
        for value in refused {
            #expect(throws: FunctionSpans.ParseError.self, "\(value)") { try FunctionSpans(parsing: value) }
        }
        #expect(
            throws: FunctionSpans.ParseError.tooLong(FunctionSpans.maxHeaderBytes + 1),
            performing: { try FunctionSpans(parsing: String(repeating: " ", count: FunctionSpans.maxHeaderBytes + 1)) })
    }

    @Test("the writer keeps every bound: attributes, keys, values, messages, a parent not earlier, the whole value")
    func theWriterKeepsTheFieldBounds() throws {
        var attributes: [String: String] = [:]
        for i in 0..<20 { attributes["k" + (i < 10 ? "0" : "") + "\(i)"] = String(repeating: "é", count: 100) }
        attributes[String(repeating: "x", count: FunctionSpans.maxKeyBytes + 1)] = "too long a key"
        let entry = FunctionSpans.Entry(
            name: "big", startMs: 1, durationMs: 1, parent: 3, error: String(repeating: "e", count: 500),
            attributes: attributes)
        let written = FunctionSpans(entries: [entry])
        let read = try FunctionSpans(parsing: written.headerValue)
        let back = try #require(read.entries.first)
        #expect(back.parent == nil, "no entry 3 before it")
        #expect(back.error?.utf8.count == FunctionSpans.maxErrorBytes)
        #expect(back.attributes.keys.sorted() == (0..<8).map { "k0\($0)" }, "the first by key; the long key left out")
        #expect(back.attributes.values.allSatisfy { $0.utf8.count == FunctionSpans.maxValueBytes })

        // 64 such entries do not fit the header: the first that do are kept, whole.
        var plain = entry
        plain.parent = nil
        let many = FunctionSpans(entries: Array(repeating: plain, count: FunctionSpans.maxEntries))
        #expect(many.headerValue.utf8.count <= FunctionSpans.maxHeaderBytes)
        let kept = try FunctionSpans(parsing: many.headerValue)
        #expect(kept.entries.count == many.writtenCount && kept.entries.count < FunctionSpans.maxEntries)
        #expect(kept.entries.count > 1 && kept.entries.allSatisfy { $0 == back })
    }
}
