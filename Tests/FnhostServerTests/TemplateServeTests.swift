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
            let script = """
                import json, sys
                import boto3, botocore.config
                client = boto3.client(
                    "lambda", endpoint_url="http://127.0.0.1:%s" % sys.argv[1], region_name="us-east-1",
                    aws_access_key_id="AKIAFNHOSTTESTS00000", aws_secret_access_key="fnhost-test-secret",
                    config=botocore.config.Config(retries={"max_attempts": 0}))
                r = client.invoke(FunctionName="quote", Payload=json.dumps({"plan": "enterprise", "months": 12}))
                answer = json.loads(r["Payload"].read())
                r = client.invoke(FunctionName="quote", Payload=json.dumps({"plan": "team", "months": 0}))
                error = json.loads(r["Payload"].read())
                print(json.dumps({"status": r["StatusCode"], "answer": answer, "functionError": r.get("FunctionError"),
                                  "error": error}))
                """
            let result = try await Command.run(
                "python3", ["-c", script, String(server.port)], environment: AWSClients.environment)
            #expect(result.exitCode == 0, "\(result)")
            let out = try jsonObject(Array(result.standardOutput.utf8))
            #expect((out["answer"] as? [String: Any])?["total"] as? Int == 1_188)
            #expect(out["functionError"] as? String == "Unhandled")
            #expect((out["error"] as? [String: Any])?["errorType"] as? String == "ValueError")
        }
    }
}
