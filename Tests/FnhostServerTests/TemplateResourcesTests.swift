import Foundation
import TestSupport
import Testing

extension ServeSuite {
    /// A template's queues, SQS events and state machines in `fnhost serve`: created in its SQS, kept as event
    /// source mappings, loaded beside `statemachines/`, reached through boto3.
    @Suite("Template resources", .serialized)
    struct TemplateResources {
        @Test func theTemplatesQueuesAndStateMachinesAreLoadedAtStart() async throws {
            try await withTemporaryDirectory("queues") { folder in
                _ = try Fixtures.install(["echo"], into: folder)
                let template = folder + "/template.yaml"
                try """
                Transform: AWS::Serverless-2016-10-31
                Resources:
                  Echo:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: provided.al2023
                      Handler: bootstrap
                      CodeUri: functions/echo
                      Events:
                        FromJobs:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Jobs.Arn
                            BatchSize: 5
                            FunctionResponseTypes: [ReportBatchItemFailures]
                            FilterCriteria: {Filters: [{Pattern: '{"body": {"kind": ["job"]}}'}]}
                  Jobs:
                    Type: AWS::SQS::Queue
                    Properties:
                      VisibilityTimeout: 45
                      RedrivePolicy:
                        deadLetterTargetArn: !GetAtt JobsDead.Arn
                        maxReceiveCount: 2
                  JobsDead:
                    Type: AWS::SQS::Queue
                  Flow:
                    Type: AWS::Serverless::StateMachine
                    Properties:
                      Definition:
                        StartAt: Echo
                        States:
                          Echo: {Type: Task, Resource: '${EchoArn}', End: true}
                      DefinitionSubstitutions:
                        EchoArn: !GetAtt Echo.Arn
                """.write(toFile: template, atomically: true, encoding: .utf8)
                // The fixture's manifest names ./bootstrap; the template's CodeUri folder has it.
                try await withServer(ServeOptions(template: template)) { server in
                    let out = try await AWSClients.boto3(
                        "sqs", port: server.port,
                        """
                        url = client.get_queue_url(QueueName="Jobs")["QueueUrl"]
                        attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
                        print(json.dumps({"url": url, "attributes": attributes,
                                          "queues": sorted(client.list_queues().get("QueueUrls", []))}))
                        """)
                    let attributes = try #require(out["attributes"] as? [String: String])
                    #expect(attributes["VisibilityTimeout"] == "45")
                    let policy = try jsonObject(Array(try #require(attributes["RedrivePolicy"]).utf8))
                    #expect(policy["deadLetterTargetArn"] as? String == "arn:aws:sqs:us-east-1:000000000000:JobsDead")
                    #expect((out["queues"] as? [String])?.count == 2)
                    #expect(server.capture.output.contains("queue        Jobs  (from Jobs)"))
                    let flow = try await AWSClients.boto3(
                        "stepfunctions", port: server.port,
                        """
                        import time
                        machines = [m["name"] for m in client.list_state_machines()["stateMachines"]]
                        arn = "arn:aws:states:us-east-1:000000000000:stateMachine:Flow"
                        run = client.start_execution(stateMachineArn=arn, input=json.dumps({"hello": "flow"}))
                        for _ in range(100):
                            d = client.describe_execution(executionArn=run["executionArn"])
                            if d["status"] != "RUNNING": break
                            time.sleep(0.1)
                        print(json.dumps({"machines": machines, "status": d["status"], "output": d.get("output")}))
                        """)
                    #expect(flow["machines"] as? [String] == ["Flow"])
                    let mappings = try await AWSClients.boto3(
                        "lambda", port: server.port,
                        """
                        m = client.list_event_source_mappings(FunctionName="Echo")["EventSourceMappings"]
                        print(json.dumps({"mappings": [{"source": x["EventSourceArn"], "batch": x["BatchSize"],
                                                        "types": x.get("FunctionResponseTypes", [])} for x in m]}))
                        """)
                    let mapping = try #require((mappings["mappings"] as? [[String: Any]])?.first, "\(mappings)")
                    #expect(mapping["source"] as? String == "arn:aws:sqs:us-east-1:000000000000:Jobs")
                    #expect(mapping["batch"] as? Int == 5)
                    #expect(mapping["types"] as? [String] == ["ReportBatchItemFailures"])
                    #expect(server.capture.error.contains("SQS event property FilterCriteria"), "noted, not refused")
                    #expect(flow["status"] as? String == "SUCCEEDED", "\(flow)")
                }
            }
        }
    }
}
