import Foundation
import LambdaRuntime
import Testing

@testable import ReferenceData

/// An org-status-style event around ``LookupEvent``, as the functions wrap it.
private struct OrgEvent: Decodable {
    let fields: LookupEvent
    init(from decoder: any Decoder) throws { fields = try LookupEvent(from: decoder, idField: "orgId") }
}

private let format = IdentifierFormat(prefix: "ORG-", digits: 4)

private func validate(_ json: String) throws -> (id: String, date: String) {
    let event = try JSONDecoder().decode(OrgEvent.self, from: Data(json.utf8))
    let (id, date) = try event.fields.validated(format: format, errorType: "InvalidOrgId", noun: "an organisation id")
    return (id, "\(date)")
}

private func refusal(_ json: String) throws -> HandlerError? {
    do {
        _ = try validate(json)
        return nil
    } catch let error as HandlerError {
        return error
    }
}

@Suite("IdentifierFormat")
struct IdentifierFormatTests {
    @Test(
        "an id is the prefix and exactly the number of ASCII digits",
        arguments: [
            ("ORG-0042", true), ("ORG-042", false), ("ORG-00042", false), ("org-0042", false), ("ORG-00a2", false),
            ("ORG-٠٠٤٢", false), ("", false), ("ORG-", false), (" ORG-0042", false),
        ]
    )
    func matches(text: String, expected: Bool) {
        #expect(format.matches(text) == expected)
    }

    @Test("the example in messages has the right shape")
    func example() {
        #expect(format.example == "ORG-0042")
        #expect(IdentifierFormat(prefix: "M-", digits: 6).example == "M-000042")
        #expect(format.matches(format.example))
    }
}

@Suite("LookupEvent: the id and date of a lookup, direct or through API Gateway")
struct LookupEventTests {
    @Test("a direct event gives its id and date")
    func direct() throws {
        let (id, date) = try validate(#"{"orgId":"ORG-0042","date":"2026-03-01"}"#)
        #expect(id == "ORG-0042")
        #expect(date == "2026-03-01")
    }

    @Test("an API Gateway event gives the id from the path and the date from the query string")
    func gateway() throws {
        let (id, date) = try validate(
            #"{"rawPath":"/orgs/ORG-0007","pathParameters":{"orgId":"ORG-0007"},"queryStringParameters":{"date":"2025-12-31"}}"#
        )
        #expect(id == "ORG-0007")
        #expect(date == "2025-12-31")
    }

    @Test("without a date (absent or null) the date is today in UTC, written YYYY-MM-DD")
    func defaultDate() throws {
        for json in [
            #"{"orgId":"ORG-0001"}"#, #"{"orgId":"ORG-0001","date":null}"#,
            #"{"pathParameters":{"orgId":"ORG-0001"}}"#,
        ] {
            let (_, date) = try validate(json)
            #expect(date.count == 10 && date.utf8.filter { $0 == UInt8(ascii: "-") }.count == 2, "\(json) → \(date)")
        }
    }

    @Test(
        "a missing, ill-typed or malformed id is the caller's errorType with an example",
        arguments: [
            (#"{}"#, "the event has no orgId"),
            (#"{"orgId":null}"#, "the event has no orgId"),
            (#"{"orgId":42}"#, "orgId must be a string like ORG-0042"),
            (#"{"orgId":"ORG-42"}"#, "\"ORG-42\" is not an organisation id: expected ORG- and 4 digits, like ORG-0042"),
            (#"{"pathParameters":{}}"#, "the event has no orgId"),
        ]
    )
    func badId(json: String, messageStart: String) throws {
        let error = try #require(try refusal(json))
        #expect(error.type == "InvalidOrgId")
        #expect(error.message.hasPrefix(messageStart), "\(error.message)")
    }

    @Test(
        "a date that is not a string or not a real day is InvalidDate",
        arguments: [
            #"{"orgId":"ORG-0042","date":20260301}"#, #"{"orgId":"ORG-0042","date":"2026-02-30"}"#,
            #"{"pathParameters":{"orgId":"ORG-0042"},"queryStringParameters":{"date":"tomorrow"}}"#,
        ]
    )
    func badDate(json: String) throws {
        let error = try #require(try refusal(json))
        #expect(error.type == "InvalidDate")
        #expect(error.message.contains("YYYY-MM-DD"))
    }

    @Test("an event that is not an object does not decode")
    func notAnObject() {
        #expect(throws: DecodingError.self) { _ = try JSONDecoder().decode(OrgEvent.self, from: Data("[1,2]".utf8)) }
    }
}
