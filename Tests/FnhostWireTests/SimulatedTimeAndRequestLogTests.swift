import FnhostWire
import Testing

/// The `Fnhost-Simulated` header, the request log's lines and the eligibility answer: each written by one side and
/// read by the other through one parser.
struct SimulatedTimeAndRequestLogTests {
    @Test func theSimulatedTimeHeaderReadsBackWhatItsWriterWrote() throws {
        let time = SimulatedTime(simulatedMs: 70.5, sleptMs: 0.705)
        #expect(time.headerValue == "simulated-ms=70.5; slept-ms=0.705")
        #expect(try SimulatedTime(parsing: time.headerValue) == time)
        #expect(
            try SimulatedTime(parsing: " slept-ms=1 ;simulated-ms=2; newer-field=x")
                == .init(simulatedMs: 2, sleptMs: 1))
        #expect(SimulatedTime(simulatedMs: -3, sleptMs: .nan).headerValue == "simulated-ms=0; slept-ms=0")
    }

    @Test func aSimulatedTimeHeaderThatIsNotAsWrittenIsRefusedWithItsReason() {
        #expect(throws: SimulatedTime.ParseError.missingField("slept-ms")) {
            try SimulatedTime(parsing: "simulated-ms=1")
        }
        #expect(throws: SimulatedTime.ParseError.invalidMilliseconds(field: "slept-ms", value: "-1")) {
            try SimulatedTime(parsing: "simulated-ms=1; slept-ms=-1")
        }
        #expect(throws: SimulatedTime.ParseError.duplicateField("simulated-ms")) {
            try SimulatedTime(parsing: "simulated-ms=1; simulated-ms=2; slept-ms=0")
        }
        #expect(throws: SimulatedTime.ParseError.malformedField("oops")) { try SimulatedTime(parsing: "oops") }
    }

    @Test func aRequestLogLineReadsBackToTheSameEntry() throws {
        let record = RequestLogRecord(
            requestID: "r\"1", orgID: "ORG-0001", memberID: "M-000001", date: "2026-03-01", atMs: 1_796_057_883_664)
        let line = record.line
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(try RequestLogRecord(parsing: line.dropLast()) == record)
    }

    @Test func aFileLogWithATornLineAndAGarbledLineKeepsEveryWholeEntry() {
        let a = RequestLogRecord(requestID: "a", orgID: "ORG-0001", memberID: "M-000001", date: "2026-03-01", atMs: 1)
        let b = RequestLogRecord(requestID: "b", orgID: "ORG-0002", memberID: "M-000002", date: "2026-03-01", atMs: 2)
        let garbled = Array("{\"requestId\":\"half\"\n".utf8)
        let bytes = a.line + garbled + b.line + Array("{\"requestId\":\"c\"".utf8)
        let contents = RequestLogRecord.readFile(bytes)
        #expect(contents.entries.map(\.record) == [a, b])
        #expect(contents.entries.map(\.offset) == [0, a.line.count + garbled.count])
        #expect(contents.unreadable == [a.line.count])
        #expect(contents.truncatedTail)
    }

    @Test func anEligibilityAnswerIsReadFromItsJSONOrItsLogLine() throws {
        let json =
            #"{"requestId":"r","decision":"ELIGIBLE","slowestBranch":"org-status","durationOnLambdaMs":88.5,"handlerMs":2,"offset":"0","#
            + #""branches":{"org-status":{"measuredMs":3,"simulatedMs":80,"latencyMs":83,"cache":"miss"},"coverage":{"measuredMs":1,"simulatedMs":40,"latencyMs":41}}}"#
        let summary = try EligibilitySummary(parsing: Array(json.utf8))
        #expect(summary.slowestBranch == "org-status" && summary.branches["org-status"]?.cache == "miss")
        #expect(summary.branches["coverage"]?.cache == nil)
        #expect(EligibilitySummary(logLine: EligibilitySummary.logPrefix + json) == summary)
        #expect(EligibilitySummary(logLine: json) == nil, "a line without the prefix is not an answer")
        let nowhere =
            #"{"requestId":"r","decision":"ELIGIBLE","slowestBranch":"nowhere","durationOnLambdaMs":1,"handlerMs":1,"#
            + #""offset":"0","branches":{}}"#
        #expect(throws: EligibilitySummary.ParseError.badField("slowestBranch")) {
            try EligibilitySummary(parsing: Array(nowhere.utf8))
        }
    }
}
