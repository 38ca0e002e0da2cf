import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// Lambda's control plane through boto3 and the AWS CLI: list, inspect, names as ARNs, unknown qualifiers.
    @Suite("Lambda control plane", .serialized, .sharedServer())
    struct ControlPlane {
        /// Every folder of `functions/` with a manifest, sorted as ListFunctions sorts them.
        static var shippedFunctions: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: Paths.functions)) ?? []).filter {
                FileManager.default.fileExists(atPath: Paths.functions + "/" + $0 + "/function.json")
            }.sorted()
        }

        @Test func boto3ListsInspectsAndInvokesByNameArnAndPartialArn() async throws {
            let server = try SharedServer.require()
            let out = try await AWSClients.boto3(
                "lambda", port: server.port,
                """
                out = {"pages": [], "errors": {}}
                marker = None
                while True:
                    page = client.list_functions(MaxItems=2, **({"Marker": marker} if marker else {}))
                    out["pages"].append([f["FunctionName"] for f in page["Functions"]])
                    marker = page.get("NextMarker")
                    if not marker: break
                arn = "arn:aws:lambda:us-east-1:000000000000:function:org-status"
                g = client.get_function(FunctionName="org-status")
                out["memory"] = g["Configuration"]["MemorySize"]
                out["reserved"] = g["Concurrency"]["ReservedConcurrentExecutions"]
                out["runtime"] = g["Configuration"]["Runtime"]
                out["byArn"] = client.get_function_configuration(FunctionName=arn)["FunctionArn"]
                out["byPartial"] = client.get_function_configuration(FunctionName="000000000000:function:coverage")["Timeout"]
                out["concurrency"] = client.get_function_concurrency(FunctionName="rules")["ReservedConcurrentExecutions"]
                r = client.invoke(FunctionName=arn, Payload=json.dumps({"orgId": "ORG-0042"}))
                out["invokeArn"] = r["StatusCode"]
                out["invokeArnAnswered"] = "decision" in json.loads(r["Payload"].read())
                r = client.invoke(FunctionName="org-status", Qualifier="$LATEST", Payload=json.dumps({"orgId": "ORG-0042"}))
                out["invokeLatest"] = r["StatusCode"]
                def error(call):
                    try:
                        call()
                        return "no error"
                    except client.exceptions.ClientError as e:
                        return [e.response["Error"]["Code"], e.response["Error"].get("Message", "")]
                out["errors"]["qualifier"] = error(lambda: client.invoke(FunctionName="org-status", Qualifier="prod", Payload=b"{}"))
                out["errors"]["arnQualifier"] = error(lambda: client.invoke(FunctionName=arn + ":prod", Payload=b"{}"))
                out["errors"]["unknown"] = error(lambda: client.get_function(FunctionName="nope"))
                out["errors"]["provisioned"] = error(lambda: client.get_provisioned_concurrency_config(FunctionName="rules", Qualifier="$LATEST"))
                print(json.dumps(out))
                """)
            let pages = try #require(out["pages"] as? [[String]])
            #expect(pages.allSatisfy { $0.count <= 2 })
            #expect(pages.flatMap { $0 } == Self.shippedFunctions)
            #expect(out["memory"] as? Int == 256)
            #expect(out["reserved"] as? Int == 64)
            #expect(out["runtime"] as? String == "provided.al2023")
            #expect(out["byArn"] as? String == "arn:aws:lambda:us-east-1:000000000000:function:org-status")
            #expect(out["byPartial"] as? Int == 3)
            #expect(out["concurrency"] as? Int == 64)
            #expect(out["invokeArn"] as? Int == 200)
            #expect(out["invokeArnAnswered"] as? Bool == true)
            #expect(out["invokeLatest"] as? Int == 200)
            let errors = try #require(out["errors"] as? [String: [String]])
            #expect(errors["qualifier"]?.first == "ResourceNotFoundException")
            #expect(errors["qualifier"]?.last?.hasSuffix("function:org-status:prod") == true)
            #expect(errors["arnQualifier"]?.first == "ResourceNotFoundException")
            #expect(errors["unknown"]?.first == "ResourceNotFoundException")
            #expect(errors["provisioned"]?.first == "ProvisionedConcurrencyConfigNotFoundException")
        }

        @Test func theAWSCLIListsFunctionsAndReadsAConfigurationByArn() async throws {
            try AWSClients.requireAWSCLI()
            let server = try SharedServer.require()
            let endpoint = ["--endpoint-url", "http://127.0.0.1:\(server.port)", "--region", "us-east-1"]
            let list = try await Command.run(
                "aws", ["lambda", "list-functions"] + endpoint, environment: AWSClients.environment)
            #expect(list.exitCode == 0, "\(list)")
            let functions = try jsonObject(Array(list.standardOutput.utf8))["Functions"] as? [[String: Any]]
            #expect(functions?.count == Self.shippedFunctions.count)
            let config = try await Command.run(
                "aws",
                [
                    "lambda", "get-function-configuration", "--function-name",
                    "arn:aws:lambda:us-east-1:000000000000:function:coverage",
                ] + endpoint,
                environment: AWSClients.environment)
            #expect(config.exitCode == 0, "\(config)")
            #expect(try jsonObject(Array(config.standardOutput.utf8))["MemorySize"] as? Int == 256)
            let missing = try await Command.run(
                "aws", ["lambda", "get-function", "--function-name", "org-status", "--qualifier", "prod"] + endpoint,
                environment: AWSClients.environment)
            #expect(missing.exitCode != 0)
            #expect(missing.standardError.contains("ResourceNotFoundException"), "\(missing)")
        }
    }
}
