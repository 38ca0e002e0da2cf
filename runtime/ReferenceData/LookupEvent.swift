import FnhostWire
import LambdaRuntime

/// The event of a reference-data lookup (`{"orgId": "ORG-0042", "date": "2026-03-01"}`, `{"memberId": …}`), read
/// either as sent or from an API Gateway HTTP API event whose path parameters and query string carry the same
/// fields. Decoding never fails on a field's type: ``validated(format:errorType:noun:)`` turns a missing or
/// ill-typed field into a function error whose type the caller can act on.
public struct LookupEvent: Sendable {
    /// The name of the id field (`orgId`, `memberId`).
    public let idField: String
    private let id: String?
    private let idPresent: Bool
    private let date: String?
    private let datePresent: Bool

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static let date = Key(stringValue: "date")
        static let pathParameters = Key(stringValue: "pathParameters")
        static let queryStringParameters = Key(stringValue: "queryStringParameters")
    }

    public init(from decoder: any Decoder, idField: String) throws {
        self.idField = idField
        let idKey = Key(stringValue: idField)
        let outer = try decoder.container(keyedBy: Key.self)
        if outer.contains(.pathParameters) {
            let path = try outer.nestedContainer(keyedBy: Key.self, forKey: .pathParameters)
            let query = try? outer.nestedContainer(keyedBy: Key.self, forKey: .queryStringParameters)
            idPresent = path.contains(idKey)
            id = try? path.decode(String.self, forKey: idKey)
            datePresent = query?.contains(.date) ?? false
            date = try? query?.decode(String.self, forKey: .date)
        } else {
            idPresent = outer.contains(idKey) && !((try? outer.decodeNil(forKey: idKey)) ?? false)
            id = try? outer.decode(String.self, forKey: idKey)
            datePresent = outer.contains(.date) && !((try? outer.decodeNil(forKey: .date)) ?? false)
            date = try? outer.decode(String.self, forKey: .date)
        }
    }

    /// The id, checked against `format`, and the date (today, UTC, when absent).
    /// - Parameters:
    ///   - errorType: the error type of a bad id (`InvalidOrgId`).
    ///   - noun: what the id names, for messages ("an organisation id").
    public func validated(format: IdentifierFormat, errorType: String, noun: String) throws(HandlerError) -> (
        id: String, date: CalendarDate
    ) {
        guard idPresent else {
            throw HandlerError(
                type: errorType,
                message:
                    "the event has no \(idField); send {\"\(idField)\": \"\(format.example)\", \"date\": \"2026-03-01\"}"
            )
        }
        guard let id else {
            throw HandlerError(type: errorType, message: "\(idField) must be a string like \(format.example)")
        }
        guard format.matches(id) else {
            throw HandlerError(
                type: errorType,
                message:
                    "\(JSONText.quoteShortened(id)) is not \(noun): expected \(format.prefix) and \(format.digits) digits, like \(format.example)"
            )
        }
        if datePresent && date == nil {
            throw HandlerError(
                type: "InvalidDate", message: "date must be a string written YYYY-MM-DD (e.g. 2026-03-01)")
        }
        return (id, try CalendarDate.fromEvent(date))
    }
}
