import LambdaRuntime
import ReferenceData

/// The org-status event, `{"orgId": "ORG-0042", "date": "2026-03-01"}` (date optional: today, UTC).
///
/// Decoding never fails on a field's type: `validated()` turns a missing or ill-typed field into a function error
/// whose type (`InvalidOrgId`, `InvalidDate`) the caller can act on.
struct OrgStatusEvent: Decodable {
    private let orgId: String?
    private let orgIdPresent: Bool
    private let date: String?
    private let datePresent: Bool

    private enum CodingKeys: String, CodingKey { case orgId, date }
    private enum GatewayKeys: String, CodingKey { case pathParameters, queryStringParameters }

    /// Reads `{"orgId": ..., "date": ...}`, or an API Gateway HTTP API event whose path parameters and query string
    /// carry the same fields.
    init(from decoder: any Decoder) throws {
        let outer = try decoder.container(keyedBy: GatewayKeys.self)
        let c: KeyedDecodingContainer<CodingKeys>
        if outer.contains(.pathParameters) {
            let path = try outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .pathParameters)
            let query = try? outer.nestedContainer(keyedBy: CodingKeys.self, forKey: .queryStringParameters)
            orgIdPresent = path.contains(.orgId)
            orgId = try? path.decode(String.self, forKey: .orgId)
            datePresent = query?.contains(.date) ?? false
            date = try? query?.decode(String.self, forKey: .date)
            return
        }
        c = try decoder.container(keyedBy: CodingKeys.self)
        orgIdPresent = c.contains(.orgId) && !((try? c.decodeNil(forKey: .orgId)) ?? false)
        orgId = try? c.decode(String.self, forKey: .orgId)
        datePresent = c.contains(.date) && !((try? c.decodeNil(forKey: .date)) ?? false)
        date = try? c.decode(String.self, forKey: .date)
    }

    /// The organisation id and the evaluation date, checked.
    func validated() throws(HandlerError) -> (orgId: String, date: ISODate) {
        let format = Organisation.idFormat
        guard orgIdPresent else {
            throw HandlerError(
                type: "InvalidOrgId", message: "the event has no orgId; send {\"orgId\": \"\(format.example)\", \"date\": \"2026-03-01\"}"
            )
        }
        guard let orgId else { throw HandlerError(type: "InvalidOrgId", message: "orgId must be a string like \(format.example)") }
        guard format.matches(orgId) else {
            throw HandlerError(
                type: "InvalidOrgId",
                message: "\"\(orgId)\" is not an organisation id: expected ORG- and \(format.digits) digits, like \(format.example)"
            )
        }
        if datePresent && date == nil {
            throw HandlerError(type: "InvalidDate", message: "date must be a string written YYYY-MM-DD (e.g. 2026-03-01)")
        }
        return (orgId, try ISODate.fromEvent(date))
    }
}
