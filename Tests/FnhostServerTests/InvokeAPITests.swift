import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Lambda's Invoke API on the project's real functions, one server for the suite.
    @Suite("Invoke API", .serialized, .sharedServer())
    struct InvokeAPI {
        let path = "/2015-03-31/functions/org-status/invocations"

        @Test("RequestResponse on org-status answers 200 with the decision")
        func requestResponseAnswersTheDecision() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke(
                "org-status", payload: #"{"orgId":"ORG-0042","date":"2026-03-01"}"#, type: "RequestResponse")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.header("X-Amz-Function-Error") == nil)
            #expect(response.header("X-Amz-Executed-Version") == "$LATEST")
            #expect(response.header("X-Amzn-RequestId")?.isEmpty == false)
            let answer = try response.jsonObject()
            #expect(answer["decision"] as? String == "ELIGIBLE")
            #expect((answer["organisation"] as? [String: Any])?["orgId"] as? String == "ORG-0042")
            #expect(answer["evaluatedOn"] as? String == "2026-03-01")
        }

        @Test("Without X-Amz-Invocation-Type the invocation is RequestResponse")
        func defaultInvocationTypeIsRequestResponse() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
            #expect(response.status == 200)
            #expect(try response.jsonObject()["decision"] is String)
        }

        @Test("DryRun answers 204 with no body and runs nothing")
        func dryRunAnswers204() async throws {
            let server = try SharedServer.require()
            let before = try await server.metrics().value("fnhost_invocations_total", ["function": "org-status"]) ?? 0
            let response = try await server.client.invoke(
                "org-status", payload: #"{"orgId":"ORG-0042"}"#, type: "DryRun")
            #expect(response.status == 204)
            #expect(response.body.isEmpty)
            let after = try await server.metrics().value("fnhost_invocations_total", ["function": "org-status"]) ?? 0
            #expect(after == before, "a DryRun must not invoke the function")
        }

        @Test("An unknown function is 404 ResourceNotFoundException with a JSON body")
        func unknownFunctionIs404() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke("no-such-function", payload: "{}")
            #expect(response.status == 404)
            #expect(response.header("x-amzn-ErrorType") == "ResourceNotFoundException")
            #expect(response.header("Content-Type") == "application/json")
            let body = try response.jsonObject()
            #expect(body["Type"] as? String == "User")
            #expect((body["message"] as? String)?.contains("no-such-function") == true)
        }

        @Test("A body that is not JSON is 400 InvalidRequestContentException")
        func bodyNotJSONIs400() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke("org-status", payload: "{orgId: ORG-0042")
            #expect(response.status == 400)
            #expect(response.header("x-amzn-ErrorType") == "InvalidRequestContentException")
            let body = try response.jsonObject()
            #expect(body["Type"] as? String == "User")
            #expect(body["message"] is String)
        }

        @Test("A synchronous payload of exactly 6 MB runs; one byte more is 413 RequestTooLargeException")
        func synchronousPayloadLimit() async throws {
            let server = try SharedServer.require()
            let limit = 6 * 1024 * 1024
            let exact = try await server.client.send(
                "POST", path, body: Self.orgStatusEvent(padTo: limit))
            #expect(exact.status == 200, "exactly 6 MB must be accepted: \(exact)")
            #expect(try exact.jsonObject()["decision"] as? String == "ELIGIBLE")

            let over = try await server.client.send("POST", path, body: Self.orgStatusEvent(padTo: limit + 1))
            #expect(over.status == 413)
            #expect(over.header("x-amzn-ErrorType") == "RequestTooLargeException")
            #expect(try over.jsonObject()["message"] is String)
        }

        @Test("An Event payload of exactly 1 MB is accepted; one byte more is 413 RequestTooLargeException")
        func eventPayloadLimit() async throws {
            let server = try SharedServer.require()
            let limit = 1024 * 1024
            let exact = try await server.client.send(
                "POST", path, headers: [("X-Amz-Invocation-Type", "Event")], body: Self.orgStatusEvent(padTo: limit))
            #expect(exact.status == 202, "exactly 1 MB must be accepted: \(exact)")

            let over = try await server.client.send(
                "POST", path, headers: [("X-Amz-Invocation-Type", "Event")], body: Self.orgStatusEvent(padTo: limit + 1)
            )
            #expect(over.status == 413)
            #expect(over.header("x-amzn-ErrorType") == "RequestTooLargeException")
            #expect(try over.jsonObject()["message"] is String)
        }

        @Test("X-Amz-Log-Type: Tail returns the invocation's log, base64, framed by START and REPORT")
        func tailReturnsTheLog() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke(
                "org-status", payload: #"{"orgId":"ORG-0042"}"#, headers: [("X-Amz-Log-Type", "Tail")])
            #expect(response.status == 200)
            let requestID = try #require(response.header("X-Amzn-RequestId"))
            let encoded = try #require(response.header("X-Amz-Log-Result"), "no X-Amz-Log-Result header")
            let data = try #require(Data(base64Encoded: encoded), "X-Amz-Log-Result is not base64: \(encoded)")
            #expect(data.count <= 4096)
            let log = String(decoding: data, as: UTF8.self)
            #expect(log.contains("START RequestId: \(requestID)"), "\(log)")
            #expect(log.contains("END RequestId: \(requestID)"), "\(log)")
            #expect(log.contains("REPORT RequestId: \(requestID)"), "\(log)")

            let untailed = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
            #expect(untailed.header("X-Amz-Log-Result") == nil, "no log unless asked for")
        }

        @Test("A function error is 200 with X-Amz-Function-Error: Unhandled and the error as the body")
        func functionErrorIsUnhandled() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-9999"}"#)
            #expect(response.status == 200)
            #expect(response.header("X-Amz-Function-Error") == "Unhandled")
            #expect(response.header("x-amzn-ErrorType") == nil, "a function error is not a service error")
            let body = try response.jsonObject()
            #expect(body["errorType"] as? String == "OrganisationNotFound")
            #expect((body["errorMessage"] as? String)?.contains("ORG-9999") == true)
        }

        @Test("Any JSON value is a payload (string, number, null, array, empty body as {}), handed over as sent")
        func anyJSONValueIsAPayload() async throws {
            let server = try SharedServer.require()
            for (payload, expected) in [
                (#""text""#, #""event": "text""#), ("42", #""event": 42"#), ("null", #""event": null"#),
                ("[1,2]", #""event": [1,2]"#),
                (#"{"a":12345678901234567890123}"#, #""event": {"a":12345678901234567890123}"#),
                ("", #""event": {}"#), ("  ", #""event": {}"#),
            ] {
                let response = try await server.client.invoke("hello-shell", payload: payload)
                #expect(response.status == 200, "\(payload): \(response)")
                #expect(response.text.contains(expected), "\(payload): \(response.text)")
            }
        }

        @Test("A JSON number beyond Double's range is still valid JSON: the payload is accepted, as Lambda does")
        func hugeJSONNumberIsAPayload() async throws {
            let server = try SharedServer.require()
            let response = try await server.client.invoke("hello-shell", payload: #"{"a":1e400}"#)
            #expect(response.status == 200, "valid JSON refused: \(response)")
            #expect(response.text.contains("1e400"), "\(response.text)")
        }

        /// `{"orgId":"ORG-0042","date":"2026-03-01","pad":"xxx…"}` of exactly `size` bytes.
        static func orgStatusEvent(padTo size: Int) -> [UInt8] {
            let head = Array(#"{"orgId":"ORG-0042","date":"2026-03-01","pad":""#.utf8)
            let tail = Array(#""}"#.utf8)
            return head + [UInt8](repeating: UInt8(ascii: "x"), count: size - head.count - tail.count) + tail
        }
    }
}
