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
            entries: (0..<100).map { _ in
                FunctionSpans.Entry(name: String(repeating: "é", count: 80), startMs: -1, durationMs: .nan)
            })
        let read = try FunctionSpans(parsing: many.headerValue)
        #expect(read.entries.count == FunctionSpans.maxEntries)
        #expect(read.entries[0].name.utf8.count == 100)
        #expect(read.entries[0].startMs == 0)
    }

    @Test func refusesWhatIsNotASpanList() throws {
        #expect(throws: FunctionSpans.ParseError.malformedEntry("1+2")) { try FunctionSpans(parsing: "1+2") }
        #expect(throws: FunctionSpans.ParseError.invalidMilliseconds("-1")) { try FunctionSpans(parsing: "-1+2 a") }
        #expect(throws: FunctionSpans.ParseError.invalidName("a b")) { try FunctionSpans(parsing: "1+2 a b") }
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
