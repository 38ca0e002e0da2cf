import FnhostGateway
import Testing

/// API Gateway's own answers for requests it refuses.
@Suite("Limits")
struct GatewayLimitsTests {
    @Test func aBodyOverTenMegabytesIs413() {
        #expect(GatewayLimits.maxRequestBytes == 10_485_760)
        #expect(GatewayLimits.check(bodyByteCount: 10_485_760) == nil)
        let response = GatewayLimits.check(bodyByteCount: 10_485_761)
        #expect(response?.status == 413)
        #expect(response?.bodyText == #"{"message":"Request Entity Too Large"}"#)
        #expect(response?.headerValues("content-type") == ["application/json"])
    }

    @Test func gatewayAnswersAreWellFormed() {
        for response in [
            GatewayHTTPResponse.notFound, .payloadTooLarge, .internalServerError, .badGateway, .serviceUnavailable,
            .methodNotAllowed(allowed: ["GET"]),
        ] {
            #expect(GatewayInvariants.problems(in: response).isEmpty, "\(response)")
        }
    }
}
