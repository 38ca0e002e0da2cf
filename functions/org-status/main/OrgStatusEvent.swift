import FnhostWire
import LambdaRuntime
import ReferenceData

/// The org-status event, `{"orgId": "ORG-0042", "date": "2026-03-01"}` (date optional: today, UTC), or the same
/// fields from `GET /orgs/{orgId}?date=…` through the gateway.
struct OrgStatusEvent: Decodable {
    private let fields: LookupEvent

    init(from decoder: any Decoder) throws {
        fields = try LookupEvent(from: decoder, idField: "orgId")
    }

    /// The organisation id and the evaluation date; `InvalidOrgId` or `InvalidDate` otherwise.
    func validated() throws(HandlerError) -> (orgId: String, date: CalendarDate) {
        let (id, date) = try fields.validated(
            format: Organisation.idFormat, errorType: "InvalidOrgId", noun: "an organisation id")
        return (id, date)
    }
}
