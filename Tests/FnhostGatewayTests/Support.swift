import FnhostGateway

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Shared helpers: a fixed request time, a request builder, and decoding an event's JSON back with an independent
/// JSON decoder (so that the hand-written JSON is checked by someone else's parser).
enum Support {
    /// 2026-11-22T00:05:34.567Z.
    static let time: Int64 = 1_795_305_934_567

    static func request(
        _ method: String = "GET", _ path: String, query: String = "", headers: [(String, String)] = [],
        body: [UInt8] = []
    ) -> GatewayHTTPRequest {
        GatewayHTTPRequest(
            method: method, rawPath: path, rawQueryString: query,
            headers: headers.map { (name: $0.0, value: $0.1) }, body: body, sourceIP: "127.0.0.1",
            protocolVersion: "HTTP/1.1", timeEpochMilliseconds: time)
    }

    static func event(
        _ request: GatewayHTTPRequest, routeKey: String = "GET /orgs/{orgId}", pathParameters: [String: String] = [:]
    ) -> GatewayEvent {
        GatewayEventBuilder().event(
            for: request, routeKey: routeKey, pathParameters: pathParameters, requestID: "req-1")
    }

    /// The event's JSON decoded by Foundation's decoder, and the JSON text.
    static func roundTrip(_ event: GatewayEvent) throws -> (decoded: GatewayEvent, text: String) {
        let bytes = event.jsonBytes()
        return (try JSONDecoder().decode(GatewayEvent.self, from: Data(bytes)), String(decoding: bytes, as: UTF8.self))
    }

    static func answer(_ text: String) -> GatewayHTTPResponse {
        GatewayResponseMapper.response(forAnswer: Array(text.utf8))
    }
}
