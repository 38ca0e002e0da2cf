import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// `fnhost serve --template`: a SAM project's HttpApi routes and its functions through the Invoke API and boto3.
    @Suite("SAM template served", .serialized, .sharedServer(ServeOptions(template: Paths.pythonTemplate)))
    struct TemplateServed {
        @Test func theTemplatesHttpApiRouteReachesThePythonFunction() async throws {
            let server = try SharedServer.require()
            let ok = try await server.client.get("/quotes/team?months=2")
            #expect(ok.status == 200, "\(ok)")
            let body = try jsonObject(ok.body)
            #expect(body["total"] as? Int == 58)
            #expect(body["plan"] as? String == "team")
            let unknown = try await server.client.get("/quotes/gold")
            #expect(unknown.status == 404)
            #expect(try jsonObject(unknown.body)["field"] as? String == "plan")
            let bad = try await server.client.get("/quotes/team?months=99")
            #expect(bad.status == 400)
            #expect(try jsonObject(bad.body)["field"] as? String == "months")
        }

        @Test func boto3InvokesThePythonFunctionByNameThroughTheInvokeAPI() async throws {
            let server = try SharedServer.require()
            let out = try await AWSClients.boto3(
                "lambda", port: server.port,
                """
                r = client.invoke(FunctionName="quote", Payload=json.dumps({"plan": "enterprise", "months": 12}))
                answer = json.loads(r["Payload"].read())
                r = client.invoke(FunctionName="quote", Payload=json.dumps({"plan": "team", "months": 0}))
                error = json.loads(r["Payload"].read())
                print(json.dumps({"status": r["StatusCode"], "answer": answer, "functionError": r.get("FunctionError"),
                                  "error": error}))
                """)
            #expect((out["answer"] as? [String: Any])?["total"] as? Int == 1_188)
            #expect(out["functionError"] as? String == "Unhandled")
            #expect((out["error"] as? [String: Any])?["errorType"] as? String == "ValueError")
        }
    }
}
