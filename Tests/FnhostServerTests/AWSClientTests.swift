import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// The AWS CLI and boto3 talk to `fnhost serve` unchanged, with `--endpoint-url` / `endpoint_url`.
    @Suite("AWS CLI and SDK", .serialized, .sharedServer())
    struct AWSClients {
        /// Dummy credentials and nothing of the developer's own AWS set-up.
        static let environment: [String: String?] = [
            "AWS_ACCESS_KEY_ID": "AKIAFNHOSTTESTS00000", "AWS_SECRET_ACCESS_KEY": "fnhost-test-secret",
            "AWS_SESSION_TOKEN": nil, "AWS_PROFILE": nil, "AWS_DEFAULT_PROFILE": nil,
            "AWS_CONFIG_FILE": "/nonexistent/fnhost-tests/aws-config",
            "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/fnhost-tests/aws-credentials",
            "AWS_EC2_METADATA_DISABLED": "true", "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1", "AWS_RETRY_MODE": "standard",
        ]

        static var awsCLI: String? { Command.find("aws") }

        /// Fails the test, saying how to install it, when the AWS CLI is missing: these tests never skip.
        static func requireAWSCLI() throws {
            guard awsCLI != nil else {
                throw TestFailure(
                    "the AWS CLI (`aws` in PATH) is not installed: run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
        }

        static func boto3Importable() async -> Bool {
            guard Command.find("python3") != nil,
                let result = try? await Command.run("python3", ["-c", "import boto3"], timeLimit: 30)
            else { return false }
            return result.exitCode == 0
        }

        @Test("The AWS CLI or boto3 is installed (CI installs both)")
        func awsClientToolingIsInstalled() async throws {
            let cli = Self.awsCLI
            let boto3 = await Self.boto3Importable()
            #expect(
                cli != nil || boto3,
                "neither the AWS CLI (`aws` in PATH) nor boto3 (`python3 -c 'import boto3'`) is installed: install them as .ci/run does (pip install awscli boto3, or Debian's awscli and python3-boto3)"
            )
        }

        @Test("aws lambda invoke gets StatusCode 200 and the decision")
        func awsCLIInvokesOrgStatus() async throws {
            try Self.requireAWSCLI()
            let server = try SharedServer.require()
            try await withTemporaryDirectory("aws") { folder in
                let out = folder + "/out.json"
                let result = try await Command.run(
                    "aws",
                    try await Self.invokeArguments(
                        port: server.port, function: "org-status", payload: #"{"orgId":"ORG-0042"}"#, out: out),
                    environment: Self.environment)
                #expect(result.exitCode == 0, "\(result)")
                let printed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
                #expect(printed?["StatusCode"] as? Int == 200, "\(result)")
                #expect(printed?["FunctionError"] == nil)
                let answer =
                    try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out)))
                    as? [String: Any]
                #expect(
                    answer?["decision"] is String,
                    "OUT holds: \((try? String(contentsOfFile: out, encoding: .utf8)) ?? "nothing")")
                #expect((answer?["organisation"] as? [String: Any])?["orgId"] as? String == "ORG-0042")
            }
        }

        @Test("aws lambda invoke of an unknown function fails with ResourceNotFoundException")
        func awsCLIReportsAnUnknownFunction() async throws {
            try Self.requireAWSCLI()
            let server = try SharedServer.require()
            try await withTemporaryDirectory("aws") { folder in
                let out = folder + "/out.json"
                let result = try await Command.run(
                    "aws",
                    try await Self.invokeArguments(
                        port: server.port, function: "no-such-function", payload: "{}", out: out),
                    environment: Self.environment)
                #expect(result.exitCode != 0 && result.exitCode != nil, "\(result)")
                #expect(result.standardError.contains("ResourceNotFoundException"), "\(result)")
            }
        }

        @Test("boto3's invoke works with endpoint_url: RequestResponse, Tail, Event, unknown function")
        func boto3Invokes() async throws {
            guard await Self.boto3Importable() else {
                throw TestFailure(
                    "boto3 is not importable (`python3 -c 'import boto3'`): run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            let server = try SharedServer.require()
            let out = try await Self.boto3(
                "lambda", port: server.port,
                """
                out = {}
                r = client.invoke(FunctionName="org-status", Payload=json.dumps({"orgId": "ORG-0042"}), LogType="Tail")
                out["status"] = r["StatusCode"]
                out["answer"] = json.loads(r["Payload"].read())
                out["functionError"] = r.get("FunctionError")
                out["log"] = base64.b64decode(r.get("LogResult", "")).decode("utf-8", "replace")
                r = client.invoke(FunctionName="org-status", Payload=json.dumps({"orgId": "ORG-9999"}))
                out["errorFunctionError"] = r.get("FunctionError")
                out["errorAnswer"] = json.loads(r["Payload"].read())
                r = client.invoke(FunctionName="org-status", InvocationType="Event", Payload=json.dumps({"orgId": "ORG-0042"}))
                out["eventStatus"] = r["StatusCode"]
                try:
                    client.invoke(FunctionName="no-such-function", Payload=b"{}")
                    out["unknown"] = "no error"
                except client.exceptions.ResourceNotFoundException as e:
                    out["unknown"] = e.response["Error"]["Code"]
                print(json.dumps(out))
                """)
            #expect(out["status"] as? Int == 200)
            #expect((out["answer"] as? [String: Any])?["decision"] is String)
            #expect(out["functionError"] is NSNull)
            #expect((out["log"] as? String)?.contains("REPORT RequestId:") == true)
            #expect(out["errorFunctionError"] as? String == "Unhandled")
            #expect((out["errorAnswer"] as? [String: Any])?["errorType"] as? String == "OrganisationNotFound")
            #expect(out["eventStatus"] as? Int == 202)
            #expect(out["unknown"] as? String == "ResourceNotFoundException")
        }

        /// Runs a boto3 script against `fnhost serve` on `port`: `client` is `service`'s client with the endpoint,
        /// dummy credentials and no retries; `body` prints one JSON object, which is returned.
        static func boto3(_ service: String, port: Int, _ body: String) async throws -> [String: Any] {
            let script = """
                import base64, json, sys
                import boto3, botocore.config
                client = boto3.client(
                    "\(service)", endpoint_url="http://127.0.0.1:%s" % sys.argv[1], region_name="us-east-1",
                    aws_access_key_id="AKIAFNHOSTTESTS00000", aws_secret_access_key="fnhost-test-secret",
                    config=botocore.config.Config(retries={"max_attempts": 0}))

                """ + body
            let result = try await Command.run("python3", ["-c", script, String(port)], environment: environment)
            guard result.exitCode == 0 else { throw TestFailure("the boto3 script failed: \(result)") }
            return try jsonObject(Array(result.standardOutput.utf8))
        }

        /// `lambda invoke …` for the installed CLI (v2 needs `--cli-binary-format raw-in-base64-out` for a JSON payload).
        static func invokeArguments(port: Int, function: String, payload: String, out: String) async throws -> [String]
        {
            let version = try await Command.run("aws", ["--version"], environment: environment)
            let isV2 = (version.standardOutput + version.standardError).contains("aws-cli/2.")
            return [
                "lambda", "invoke", "--endpoint-url", "http://127.0.0.1:\(port)", "--function-name", function,
                "--payload", payload, "--region", "us-east-1",
            ]
                + (isV2 ? ["--cli-binary-format", "raw-in-base64-out"] : []) + [out]
        }
    }
}
