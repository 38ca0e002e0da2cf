import Foundation
import TestSupport
import Testing

extension Integration {
    /// `--template`: a SAM project's functions run as they are, Python through AWS's runtime interface client.
    @Suite struct Templates {
        static func invoke(_ arguments: [String], directory: String? = nil) async throws -> CommandResult {
            // The first run makes the Python environment (pip from PyPI): allow for it.
            try await Command.fnhost(["invoke"] + arguments, workingDirectory: directory, timeLimit: 240)
        }

        @Test func aPythonFunctionFromATemplateAnswersWithItsParametersAndWarnsOnceAboutTheRest() async throws {
            let run = try await Self.invoke([
                "quote", "--template", Paths.pythonTemplate, "--payload", #"{"plan":"team","months":3}"#,
            ])
            #expect(run.exitCode == 0, "\(run)")
            let answer = try jsonObject(Array(run.standardOutput.utf8))
            #expect(answer["total"] as? Int == 87)
            #expect(answer["currency"] as? String == "EUR")
            #expect(answer["function"] as? String == "quote")
            #expect((answer["requestId"] as? String)?.count == 36)
            let warnings = run.standardError.split(separator: "\n").filter { $0.contains("warning:") }
            #expect(warnings.count == 1, "\(run.standardError)")
            #expect(warnings.first?.contains("Quotes (AWS::DynamoDB::Table)") == true)
            #expect(run.standardError.contains("REPORT RequestId: "))
            #expect(run.standardError.contains("Memory Size: 256 MB"))
        }

        @Test func parameterOverridesReachTheFunctionsEnvironment() async throws {
            let run = try await Self.invoke([
                "quote", "--template", Paths.pythonTemplate, "--parameter-overrides", "Currency=USD",
                "--payload", #"{"plan":"basic"}"#,
            ])
            #expect(run.exitCode == 0, "\(run)")
            #expect(try jsonObject(Array(run.standardOutput.utf8))["currency"] as? String == "USD")
        }

        @Test func aPythonExceptionIsAFunctionErrorWithItsTypeAndExitCode1() async throws {
            let run = try await Self.invoke([
                "quote", "--template", Paths.pythonTemplate, "--payload", #"{"plan":"gold"}"#,
            ])
            #expect(run.exitCode == 1, "\(run)")
            let error = try jsonObject(Array(run.standardOutput.utf8))
            #expect(error["errorType"] as? String == "KeyError")
            #expect((error["errorMessage"] as? String)?.contains("unknown plan 'gold'") == true)
        }

        @Test func aTemplateInTheCurrentFolderIsPickedUpWithoutAFlag() async throws {
            let folder = (Paths.pythonTemplate as NSString).deletingLastPathComponent
            let run = try await Command.fnhost(["functions", "--json"], workingDirectory: folder, timeLimit: 240)
            #expect(run.exitCode == 0, "\(run)")
            let rows = try JSONSerialization.jsonObject(with: Data(run.standardOutput.utf8)) as? [[String: Any]]
            let quote = try #require(rows?.first)
            #expect(quote["name"] as? String == "quote")
            #expect((quote["command"] as? [String])?.suffix(3) == ["-m", "awslambdaric", "app.lambda_handler"])
            #expect(quote["reservedConcurrency"] as? Int == 4)
        }

        @Test(arguments: [
            ("      MemorySize: 64\n", "resource Fn, Properties.MemorySize"),
            ("      Runtime: java21\n", "resource Fn, Properties.Runtime: fnhost does not run java21"),
            ("      CodeUri: missing-folder\n", "function Fn: Properties.CodeUri:"),
            ("      Handler: !GetAtt Nowhere.Arn\n", "\"Nowhere\" is not a resource of this template"),
        ])
        func aBrokenTemplateIsAConfigurationErrorNamingResourceAndField(line: String, message: String)
            async throws
        {
            try await withTemporaryDirectory("template") { folder in
                try FileManager.default.createDirectory(atPath: folder + "/fn", withIntermediateDirectories: true)
                let bootstrap = folder + "/fn/bootstrap"
                _ = FileManager.default.createFile(atPath: bootstrap, contents: Data("#!/bin/sh\n".utf8))
                chmod(bootstrap, 0o755)
                var lines = [
                    "Transform: AWS::Serverless-2016-10-31", "Resources:", "  Fn:",
                    "    Type: AWS::Serverless::Function", "    Properties:", "      CodeUri: fn",
                    "      Runtime: provided.al2023",
                ].map { $0 + "\n" }
                let key = line.split(separator: ":")[0]
                lines.removeAll { $0.hasPrefix(key + ":") }
                try (lines.joined() + line).write(toFile: folder + "/template.yaml", atomically: true, encoding: .utf8)
                let run = try await Command.fnhost(["functions"], workingDirectory: folder)
                #expect(run.exitCode == 3, "\(run)")
                #expect(run.standardError.contains(message), "\(run.standardError)")
            }
        }
    }
}
