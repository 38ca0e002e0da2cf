import FnhostWire
import Foundation
import Testing

@testable import FnhostTemplate

/// `AWS::Serverless::StateMachine` in templates: inline and file definitions, substitutions, Ref and GetAtt.
extension SAMTemplateTests {
    static let machines = """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Worker:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: provided.al2023
              CodeUri: build/worker
              Handler: bootstrap
              Environment:
                Variables:
                  FLOW_ARN: !Ref Flow
                  FLOW_NAME: !GetAtt Flow.Name
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              Name: order-flow
              Type: EXPRESS
              Definition:
                StartAt: Work
                States:
                  Work:
                    Type: Task
                    Resource: '${WorkerArn}'
                    Comment: 'a "quoted" ${Note}'
                    End: true
              DefinitionSubstitutions:
                WorkerArn: !GetAtt Worker.Arn
                Note: 'say "hi"'
              Role: arn:aws:iam::123456789012:role/flow
              Events:
                Nightly:
                  Type: Schedule
                  Properties:
                    Schedule: rate(1 day)
        """

    @Test func anInlineStateMachineGetsItsSubstitutionsAndResolvesAsRefAndGetAtt() throws {
        let app = try load(Self.machines)
        let flow = try #require(app.stateMachines.first)
        #expect(flow.logicalID == "Flow")
        #expect(flow.name == "order-flow")
        #expect(flow.type == "EXPRESS")
        guard case .object(let definition) = try JSONValue.parse(flow.definition),
            case .object(let states)? = definition["States"], case .object(let work)? = states["Work"]
        else {
            Issue.record("not an ASL object: \(flow.definition)")
            return
        }
        #expect(work["Resource"] == .string("arn:aws:lambda:us-east-1:000000000000:function:Worker"))
        #expect(work["Comment"] == .string(#"a "quoted" say "hi""#))
        let env = app.functions[0].environment
        #expect(env["FLOW_ARN"] == "arn:aws:states:us-east-1:000000000000:stateMachine:order-flow")
        #expect(env["FLOW_NAME"] == "order-flow")
        #expect(app.unemulated.isEmpty)
        let warning = app.warning ?? ""
        #expect(warning.contains("AWS::Serverless::StateMachine.Events"), "\(warning)")
        #expect(warning.contains("AWS::Serverless::StateMachine.Role"), "\(warning)")
    }

    @Test func aDefinitionUriIsReadBesideTheTemplateInJSONOrYAML() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sam-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/statemachine", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try """
        StartAt: Wait
        States:
          Wait: {Type: Pass, Result: '${Greeting}', End: true}
        """.write(toFile: folder + "/statemachine/flow.asl.yaml", atomically: true, encoding: .utf8)
        try """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          F:
            Type: AWS::Serverless::Function
            Properties: {Runtime: provided.al2023, CodeUri: f, Handler: bootstrap}
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: statemachine/flow.asl.yaml
              DefinitionSubstitutions: {Greeting: hello}
        """.write(toFile: folder + "/template.yaml", atomically: true, encoding: .utf8)
        let app = try SAMTemplate.load(file: folder + "/template.yaml")
        let flow = try #require(app.stateMachines.first)
        #expect(flow.name == "Flow")
        #expect(flow.type == "STANDARD")
        #expect(flow.definition.contains(#""Result":"hello""#), "\(flow.definition)")
    }

    @Test func aStateMachineWithBothOrNeitherDefinitionNamesTheField() {
        let base = """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {Runtime: provided.al2023, CodeUri: f, Handler: bootstrap}
              M:
                Type: AWS::Serverless::StateMachine
                Properties:

            """
        expectError(
            base + "      Type: STANDARD\n",
            contains: ["resource M", "Properties.Definition", "exactly one of Definition and DefinitionUri"])
        expectError(
            base + "      Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}\n      Type: FAST\n",
            contains: ["resource M", "Properties.Type", "STANDARD or EXPRESS"])
        expectError(
            base + "      DefinitionUri: {Bucket: b, Key: k}\n",
            contains: ["resource M", "Properties.DefinitionUri", "not an S3 location"])
    }
}
