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

/// SplitMix64: a tiny seeded generator, so that the property tests see the same inputs on every run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
