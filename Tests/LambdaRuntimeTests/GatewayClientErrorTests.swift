import FnhostWire
import Foundation
import Testing

@testable import LambdaRuntime

/// A handler that maps two of ScriptedHandler-like errors to client errors and leaves the rest as function errors.
struct GatewayMappedHandler: GatewayClientErrors {
    struct Event: Decodable {
        var fail: String?
    }

    init(context: InitContext) async throws {}

    func handle(_ event: Event, context: LambdaContext) async throws -> [String: String] {
        if let type = event.fail { throw HandlerError(type: type, message: "failing with \(type)") }
        return ["ok": "yes"]
    }

    static func clientError(for error: HandlerError) -> GatewayClientError? {
        switch error.type {
        case "InvalidThing": .badRequest(field: "thingId", error)
        case "ThingNotFound": .notFound(field: "thingId", error)
        default: nil
        }
    }
}

@Suite("Client errors through API Gateway")
struct GatewayClientErrorTests {
    static let httpAPIEvent =
        #"{"version":"2.0","routeKey":"GET /things/{thingId}","rawPath":"/things/x","requestContext":{"http":{"method":"GET"}},"pathParameters":{"thingId":"x"},"fail":"FAIL"}"#

    static func gatewayEvent(failingWith type: String) -> String {
        httpAPIEvent.replacingOccurrences(of: "FAIL", with: type)
    }

    @Test(
        "API Gateway's events are recognised (HTTP API 2.0, REST API 1.0); direct events and look-alikes are not",
        arguments: [
            (httpAPIEvent, true),
            (#"{"httpMethod":"GET","path":"/x","requestContext":{"resourcePath":"/x"}}"#, true),
            (#"{"orgId":"ORG-0042"}"#, false),
            (#"{"pathParameters":{"orgId":"ORG-0042"}}"#, false),
            (#"{"version":"2.0","routeKey":"GET /x","requestContext":{}}"#, false),
            (#"{"version":"1.0","routeKey":"GET /x","requestContext":{"http":{}}}"#, false),
            (#"[1,2]"#, false),
            ("not json", false),
        ])
    func recognisesGatewayEvents(event: String, isGateway: Bool) {
        #expect(GatewayClientError.isGatewayEvent(Array(event.utf8)) == isGateway)
    }

    @Test("The answer is API Gateway's response object; its JSON body names the field, the reason and the error type")
    func responseShape() throws {
        let error = GatewayClientError.notFound(
            field: "orgId", HandlerError(type: "OrganisationNotFound", message: "no organisation \"ORG-9999\""))
        let response = try #require(
            try JSONSerialization.jsonObject(with: Data(error.response)) as? [String: Any])
        #expect(response["statusCode"] as? Int == 404)
        #expect((response["headers"] as? [String: String])?["content-type"] == "application/json")
        #expect(response["isBase64Encoded"] as? Bool == false)
        let bodyText = try #require(response["body"] as? String)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(bodyText.utf8)) as? [String: String])
        #expect(
            body == [
                "message": "Not Found", "field": "orgId", "reason": "no organisation \"ORG-9999\"",
                "errorType": "OrganisationNotFound",
            ])
    }

    @Test("A status outside 4xx is taken as 400: a client error is never a server error")
    func statusIsAlwaysClientError() {
        #expect(GatewayClientError(statusCode: 500, field: "f", reason: "r", errorType: "T").statusCode == 400)
        #expect(GatewayClientError(statusCode: 422, field: "f", reason: "r", errorType: "T").statusCode == 422)
    }

    @Test("Through the gateway a mapped error is answered as its 4xx on …/response; an unmapped one stays an error")
    func runtimeAnswersMappedErrorsAsResponses() async throws {
        let api = try RuntimeAPIStub(events: [
            .init(requestID: "gw-bad", body: Self.gatewayEvent(failingWith: "InvalidThing")),
            .init(requestID: "gw-missing", body: Self.gatewayEvent(failingWith: "ThingNotFound")),
            .init(requestID: "gw-broken", body: Self.gatewayEvent(failingWith: "StoreUnreachable")),
            .init(requestID: "direct", body: #"{"fail":"ThingNotFound"}"#),
        ])
        defer { api.stop() }
        #expect(await LambdaRuntimeLoop.run(GatewayMappedHandler.self, environment: api.environment()) == .hostGone)
        let posts = Dictionary(uniqueKeysWithValues: api.posts.map { ($0.path, $0) })

        for (id, status) in [("gw-bad", 400), ("gw-missing", 404)] {
            let post = try #require(posts[RuntimeAPI.responsePath(requestID: id)], "no response for \(id)")
            let response = try #require(try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
            #expect(response["statusCode"] as? Int == status)
        }
        // A real failure, and any error of a direct call, is still the function error it was.
        for (id, type) in [("gw-broken", "StoreUnreachable"), ("direct", "ThingNotFound")] {
            let post = try #require(posts[RuntimeAPI.errorPath(requestID: id)], "no error for \(id)")
            #expect(post.headers[RuntimeAPI.Header.functionErrorType.lowercased()] == type)
        }
    }
}
