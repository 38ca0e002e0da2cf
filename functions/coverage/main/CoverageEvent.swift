import FnhostWire
import LambdaRuntime
import ReferenceData

/// The coverage event, `{"memberId": "M-000042", "date": "2026-03-01"}` (date optional: today, UTC), or the same
/// fields from `GET /members/{memberId}/coverage?date=…` through the gateway.
struct CoverageEvent: Decodable {
    private let fields: LookupEvent

    init(from decoder: any Decoder) throws {
        fields = try LookupEvent(from: decoder, idField: "memberId")
    }

    /// The member id and the date to check coverage on; `InvalidMemberId` or `InvalidDate` otherwise.
    func validated() throws(HandlerError) -> (memberId: String, date: CalendarDate) {
        let (id, date) = try fields.validated(
            format: Member.idFormat, errorType: "InvalidMemberId", noun: "a member id")
        return (id, date)
    }
}
