import Foundation
import TestSupport
import Testing

extension Integration {
    /// `fnhost export sam`: a SAM project cfn-lint accepts, and that fnhost itself runs again with `--template`.
    @Suite struct ExportSAM {
        @Test func theExportedTemplatePassesCfnLintAndRunsBackOnFnhost() async throws {
            try Paths.requireBuilt(Paths.functionBinaries)
            guard let lint = Command.find("cfn-lint") else {
                throw TestFailure(
                    "cfn-lint is not installed: run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            try await withTemporaryDirectory("export") { folder in
                let out = folder + "/aws"
                let export = try await Command.fnhost(["export", "sam", "--functions", Paths.functions, "--out", out])
                #expect(export.exitCode == 0, "\(export)")
                for name in ["org-status", "rules", "coverage", "hello-shell", "hello-c"] {
                    #expect(FileManager.default.isExecutableFile(atPath: "\(out)/\(name)/bootstrap"), "\(name)")
                    #expect(FileManager.default.fileExists(atPath: "\(out)/\(name)/Makefile"), "\(name)")
                }
                #expect(!FileManager.default.fileExists(atPath: "\(out)/hello-c/main/hello.c"))
                #expect(FileManager.default.fileExists(atPath: "\(out)/rules/rules.json"))

                let linted = try await Command.run(lint, [out + "/template.yaml"], timeLimit: 120)
                #expect(linted.exitCode == 0, "cfn-lint: \(linted)")

                let template = try String(contentsOfFile: out + "/template.yaml", encoding: .utf8)
                #expect(template.contains("Path: \"/orgs/{orgId}\""))
                #expect(template.contains("Runtime: provided.al2023"))

                // The way back and forth: the exported project runs on fnhost as a SAM template, org-status → rules.
                let run = try await Command.fnhost([
                    "invoke", "org-status", "--template", out + "/template.yaml", "--payload", #"{"orgId":"ORG-0042"}"#,
                ])
                #expect(run.exitCode == 0, "\(run)")
                #expect(try jsonObject(Array(run.standardOutput.utf8))["decision"] is String)
            }
        }

        @Test func stateMachinesAreExportedWithTheirFunctionARNsAsSubstitutions() async throws {
            guard let lint = Command.find("cfn-lint") else {
                throw TestFailure(
                    "cfn-lint is not installed: run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            try await withTemporaryDirectory("export-sm") { folder in
                let fm = FileManager.default
                try fm.createDirectory(atPath: folder + "/functions", withIntermediateDirectories: true)
                try fm.createDirectory(atPath: folder + "/statemachines", withIntermediateDirectories: true)
                try fm.copyItem(atPath: Paths.functions + "/hello-shell", toPath: folder + "/functions/hello-shell")
                try #"""
                {"StartAt": "Hello", "States": {"Hello": {"Type": "Task",
                  "Resource": "arn:aws:lambda:us-east-1:000000000000:function:hello-shell", "Next": "Again"},
                  "Again": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "hello-shell", "Payload.$": "$"}, "End": true}}}
                """#.write(toFile: folder + "/statemachines/greet.asl.json", atomically: true, encoding: .utf8)
                try #"{"type": "EXPRESS"}"#.write(
                    toFile: folder + "/statemachines/greet.json", atomically: true, encoding: .utf8)
                let out = folder + "/aws"
                let export = try await Command.fnhost([
                    "export", "sam", "--functions", folder + "/functions", "--out", out,
                ])
                #expect(export.exitCode == 0, "\(export)")
                let template = try String(contentsOfFile: out + "/template.yaml", encoding: .utf8)
                #expect(template.contains("GreetStateMachine:\n    Type: AWS::Serverless::StateMachine"), "\(template)")
                #expect(template.contains("Type: EXPRESS"))
                #expect(template.contains("HelloShellArn: !GetAtt HelloShell.Arn"))
                let definition = try String(contentsOfFile: out + "/statemachines/greet.asl.json", encoding: .utf8)
                #expect(definition.contains(#""Resource":"${HelloShellArn}""#), "\(definition)")
                #expect(definition.contains(#""FunctionName":"hello-shell""#), "a plain name stays: \(definition)")
                let linted = try await Command.run(lint, [out + "/template.yaml"], timeLimit: 120)
                #expect(linted.exitCode == 0, "cfn-lint: \(linted)")
            }
        }

        @Test func eventSourcesAreExportedAsQueuesStreamsAndTheirFunctionsEvents() async throws {
            guard let lint = Command.find("cfn-lint") else {
                throw TestFailure(
                    "cfn-lint is not installed: run scripts/setup --deps (it installs the test tools in .build/test-venv)"
                )
            }
            try await withTemporaryDirectory("export-es") { folder in
                let fm = FileManager.default
                try fm.createDirectory(atPath: folder + "/functions", withIntermediateDirectories: true)
                try fm.copyItem(atPath: Paths.functions + "/hello-shell", toPath: folder + "/functions/hello-shell")
                try #"""
                {"name": "hello-shell", "command": ["./bootstrap"], "timeout": 20,
                 "eventSources": [
                   {"queue": "orders.fifo", "batchSize": 5, "reportBatchItemFailures": true},
                   {"queue": "jobs", "batchSize": 50, "maximumBatchingWindowInSeconds": 2, "maximumConcurrency": 4},
                   {"stream": "clicks", "startingPosition": "LATEST", "maximumRetryAttempts": 2,
                    "bisectBatchOnFunctionError": true, "parallelizationFactor": 2, "onFailure": "parked"}]}
                """#.write(toFile: folder + "/functions/hello-shell/function.json", atomically: true, encoding: .utf8)
                let out = folder + "/aws"
                let export = try await Command.fnhost([
                    "export", "sam", "--functions", folder + "/functions", "--out", out,
                ])
                #expect(export.exitCode == 0, "\(export)")
                let template = try String(contentsOfFile: out + "/template.yaml", encoding: .utf8)
                for expected in [
                    "Queue: !GetAtt OrdersFifoQueue.Arn", "FunctionResponseTypes: [ReportBatchItemFailures]",
                    "Queue: !GetAtt JobsQueue.Arn", "MaximumBatchingWindowInSeconds: 2", "MaximumConcurrency: 4",
                    "Stream: !GetAtt ClicksStream.Arn", "StartingPosition: LATEST", "MaximumRetryAttempts: 2",
                    "BisectBatchOnFunctionError: true", "ParallelizationFactor: 2",
                    "Destination: !GetAtt ParkedQueue.Arn",
                    "OrdersFifoQueue:\n    Type: AWS::SQS::Queue", "QueueName: \"orders.fifo\"", "FifoQueue: true",
                    "VisibilityTimeout: 120", "ClicksStream:\n    Type: AWS::Kinesis::Stream",
                ] {
                    #expect(template.contains(expected), "\(expected) missing from:\n\(template)")
                }
                let linted = try await Command.run(lint, [out + "/template.yaml"], timeLimit: 120)
                #expect(linted.exitCode == 0, "cfn-lint: \(linted)")
                // fnhost reads its own export back: the events become the same mappings again.
                let back = try await Command.fnhost([
                    "invoke", "hello-shell", "--template", out + "/template.yaml", "--payload", #"{"n":1}"#,
                ])
                #expect(back.exitCode == 0, "\(back)")
            }
        }

        @Test func anExistingFolderIsKeptUnlessForceIsGiven() async throws {
            try Paths.requireBuilt(Paths.functionBinaries)
            try await withTemporaryDirectory("export") { folder in
                let again = try await Command.fnhost(["export", "sam", "--functions", Paths.functions, "--out", folder])
                #expect(again.exitCode == 3, "\(again)")
                #expect(again.standardError.contains("--force"))
                let forced = try await Command.fnhost([
                    "export", "sam", "--functions", Paths.functions, "--out", folder, "--force",
                ])
                #expect(forced.exitCode == 0, "\(forced)")
            }
        }
    }
}
