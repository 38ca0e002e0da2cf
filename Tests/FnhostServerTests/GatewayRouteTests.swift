import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// The manifests' routes, served as API Gateway HTTP API (payload format 2.0).
    @Suite("API Gateway routes", .serialized, .sharedServer())
    struct GatewayRoutes {
        @Test("GET /orgs/ORG-0042 answers 200 JSON with the decision")
        func orgStatusRoute() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.get("/orgs/ORG-0042")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("apigw-requestid")?.isEmpty == false)
            let answer = try response.jsonObject()
            #expect(answer["decision"] is String)
            #expect((answer["organisation"] as? [String: Any])?["orgId"] as? String == "ORG-0042")
        }

        @Test("GET /orgs/ORG-0042?date=2026-03-01 passes the query string to the function")
        func queryStringReachesTheFunction() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.get("/orgs/ORG-0042?date=2026-03-01")
            #expect(response.status == 200)
            let answer = try response.jsonObject()
            #expect(answer["evaluatedOn"] as? String == "2026-03-01")
            #expect(answer["decision"] as? String == "ELIGIBLE")
        }

        @Test("GET /members/M-000042/coverage answers the member's coverage")
        func coverageRoute() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.get("/members/M-000042/coverage?date=2026-03-01")
            #expect(response.status == 200)
            let answer = try response.jsonObject()
            #expect(answer["memberId"] as? String == "M-000042")
            #expect(answer["active"] is Bool)
            #expect(answer["evaluatedOn"] as? String == "2026-03-01")
        }

        @Test("An ANY route takes every method (PUT /hello reaches hello-shell with its body)")
        func anyRouteTakesEveryMethod() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.send("PUT", "/hello", body: Array(#"{"ping":1}"#.utf8))
            #expect(response.status == 200, "\(response)")
            let answer = try response.jsonObject()
            #expect(answer["message"] as? String == "hello from the shell")
            let event = try #require(answer["event"] as? [String: Any], "\(response)")
            #expect(
                (event["requestContext"] as? [String: Any]).flatMap {
                    ($0["http"] as? [String: Any])?["method"] as? String
                } == "PUT")
        }

        @Test("GET /nope is 404 {\"message\":\"Not Found\"}")
        func unknownRouteIs404() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.get("/nope")
            #expect(response.status == 404)
            #expect(try response.jsonObject()["message"] as? String == "Not Found")
        }

        @Test("DELETE /orgs/ORG-0042 is 405 {\"message\":\"Method Not Allowed\"}")
        func wrongMethodIs405() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.send("DELETE", "/orgs/ORG-0042")
            #expect(response.status == 405)
            #expect(try response.jsonObject()["message"] as? String == "Method Not Allowed")
        }

        @Test("An unknown organisation on a route (GET /orgs/ORG-9999) is 404 naming orgId and the reason")
        func unknownOrganisationIs404() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.get("/orgs/ORG-9999")
            #expect(response.status == 404, "\(response)")
            #expect(response.header("Content-Type") == "application/json")
            let body = try response.jsonObject()
            #expect(body["message"] as? String == "Not Found")
            #expect(body["field"] as? String == "orgId")
            #expect(body["reason"] as? String == "no organisation ORG-9999 in the reference store")
            #expect(body["errorType"] as? String == "OrganisationNotFound")
        }

        @Test(
            "The same mistakes sent to the Invoke API stay function errors with their error types",
            arguments: [
                ("org-status", #"{"orgId":"\u0000"}"#, "InvalidOrgId"),
                ("org-status", #"{"orgId":"☃"}"#, "InvalidOrgId"),
                ("org-status", #"{"orgId":"ORG-9999"}"#, "OrganisationNotFound"),
                ("org-status", #"{"orgId":"ORG-0042","date":"2026-13-45"}"#, "InvalidDate"),
                ("org-status", #"{"orgId":"ORG-0042","date":""}"#, "InvalidDate"),
                ("coverage", #"{"memberId":"M-999999"}"#, "MemberNotFound"),
                ("coverage", #"{"memberId":"M-000042","date":"2026-13-45"}"#, "InvalidDate"),
                // An event that only looks like a gateway's (no requestContext) is a direct call too.
                ("org-status", #"{"pathParameters":{"orgId":"ORG-9999"}}"#, "OrganisationNotFound"),
            ])
        func directCallsKeepFunctionErrors(function: String, payload: String, errorType: String) async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke(function, payload: payload)
            #expect(response.status == 200, "\(response)")
            #expect(response.header("X-Amz-Function-Error") == "Unhandled", "\(response)")
            #expect(try response.jsonObject()["errorType"] as? String == errorType, "\(response)")
        }

        @Test(
            "A real failure on a route stays 500 {\"message\":\"Internal Server Error\"} (rules cannot load its rule set)"
        )
        func realFailureIs500() async throws {
            try await withTemporaryDirectory { directory in
                let functions = directory + "/functions"
                try FileManager.default.copyItem(atPath: Paths.functions, toPath: functions)
                try Data("{ this is not a rule set".utf8).write(
                    to: URL(fileURLWithPath: functions + "/rules/rules.json"))
                try await withServer(ServeOptions(functions: functions)) { server in
                    let response = try await server.client.get("/orgs/ORG-0042")
                    #expect(response.status == 500, "\(response)")
                    #expect(try response.jsonObject()["message"] as? String == "Internal Server Error")
                    // The client's mistakes are still 4xx on the same server.
                    #expect(try await server.client.get("/orgs/ORG-9999").status == 404)
                    #expect(try await server.client.get("/members/M-000042/coverage?date=").status == 400)
                }
            }
        }
    }
}
