import LambdaRuntime
import ReferenceData

/// The coverage event, `{"memberId": "M-000042", "date": "2026-03-01"}` (date optional: today, UTC).
///
/// Decoding never fails on a field's type: `validated()` turns a missing or ill-typed field into a function error
/// whose type (`InvalidMemberId`, `InvalidDate`) the caller can act on.
struct CoverageEvent: Decodable {
    private let memberId: String?
    private let memberIdPresent: Bool
    private let date: String?
    private let datePresent: Bool

    private enum CodingKeys: String, CodingKey { case memberId, date }
    private enum GatewayKeys: String, CodingKey { case pathParameters, queryStringParameters }

    /// Reads `{"memberId": ..., "date": ...}`, or an API Gateway HTTP API event whose path parameters and query string
    /// carry the same fields.
    init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: GatewayKeys.self)
        let c: KeyedDecodingContainer<CodingKeys>
        if outer.contains(.pathParameters) {
            let path = try outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .pathParameters)
            let query = try? outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .queryStringParameters)
            memberIdPresent = path.contains(.memberId)
            memberId = try? path.decode(String.self, forKey: .memberId)
            datePresent = query?.contains(.date) ?? false
            date = try? query?.decode(String.self, forKey: .date)
            return
        }
        c = try decoder.container(keyedBy: CodingKeys.self)
        memberIdPresent = c.contains(.memberId) && !((try? c.decodeNil(forKey: .memberId)) ?? false)
        memberId = try? c.decode(String.self, forKey: .memberId)
        datePresent = c.contains(.date) && !((try? c.decodeNil(forKey: .date)) ?? false)
        date = try? c.decode(String.self, forKey: .date)
    }

    /// The member id and the date to check coverage on.
    func validated() throws(HandlerError) -> (memberId: String, date: ISODate) {
        let format = Member.idFormat
        guard memberIdPresent else {
            throw HandlerError(
                type: "InvalidMemberId",
                message: "the event has no memberId; send {\"memberId\": \"\(format.example)\", \"date\": \"2026-03-01\"}"
            )
        }
        guard let memberId else {
            throw HandlerError(type: "InvalidMemberId", message: "memberId must be a string like \(format.example)")
        }
        guard format.matches(memberId) else {
            throw HandlerError(
                type: "InvalidMemberId",
                message: "\"\(memberId)\" is not a member id: expected M- and \(format.digits) digits, like \(format.example)"
            )
        }
        if datePresent && date == nil {
            throw HandlerError(type: "InvalidDate", message: "date must be a string written YYYY-MM-DD (e.g. 2026-03-01)")
        }
        return (memberId, try ISODate.fromEvent(date))
    }
}
