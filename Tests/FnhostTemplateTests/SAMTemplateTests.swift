import FnhostWire
import Foundation
import Testing

@testable import FnhostTemplate

/// Templates as SAM users write them: what fnhost reads from each, and the errors that name resource and field.
@Suite struct SAMTemplateTests {
    static let app = """
        AWSTemplateFormatVersion: '2010-09-09'
        Transform: AWS::Serverless-2016-10-31
        Parameters:
          Stage:
            Type: String
            Default: dev
            AllowedValues: [dev, prod]
          RedisUrl:
            Type: String
            Default: ''
        Conditions:
          IsProd: !Equals [!Ref Stage, prod]
          HasRedis: !Not [!Equals [!Ref RedisUrl, '']]
        Globals:
          Function:
            Runtime: provided.al2023
            MemorySize: 256
            Timeout: 10
            Environment:
              Variables:
                STAGE: !Ref Stage
                TABLE: !Ref Table
        Resources:
          OrgStatus:
            Type: AWS::Serverless::Function
            Properties:
              FunctionName: !Sub 'org-status-${Stage}'
              CodeUri: build/org-status
              Handler: bootstrap
              ReservedConcurrentExecutions: 8
              Environment:
                Variables:
                  RULES_ARN: !GetAtt Rules.Arn
                  REDIS: !If [HasRedis, !Ref RedisUrl, !Ref 'AWS::NoValue']
                  REGION_TEXT: !Sub '${AWS::Region}/${!NotAVariable}'
              Events:
                Get:
                  Type: HttpApi
                  Properties:
                    Path: /orgs/{orgId}
                    Method: get
                Nightly:
                  Type: Schedule
                  Properties:
                    Schedule: cron(0 2 * * ? *)
          Rules:
            Type: AWS::Serverless::Function
            Properties:
              CodeUri: ./build/rules
              MemorySize: 512
              ProvisionedConcurrencyConfig:
                ProvisionedConcurrentExecutions: 2
              Events:
                Any:
                  Type: HttpApi
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: orgs
          Role:
            Type: AWS::IAM::Role
        """

    func load(_ text: String, overrides: [String: String] = [:]) throws(TemplateError) -> SAMApplication {
        try SAMTemplate.parse(
            text, file: "template.yaml", directory: "/p", context: .init(parameterOverrides: overrides))
    }

    func expectError(_ text: String, overrides: [String: String] = [:], contains parts: [String]) {
        do {
            _ = try load(text, overrides: overrides)
            Issue.record("expected an error containing \(parts)")
        } catch {
            for part in parts { #expect(error.description.contains(part), "\(error.description)") }
        }
    }

    @Test func globalsMergeUnderEachFunctionAndIntrinsicsResolve() throws {
        let app = try load(Self.app)
        #expect(app.functions.map(\.name) == ["org-status-dev", "Rules"])
        let org = app.functions[0]
        #expect(org.logicalID == "OrgStatus")
        #expect(org.runtime == .provided("provided.al2023"))
        #expect(org.memorySize == 256)
        #expect(org.timeout == 10)
        #expect(org.reservedConcurrency == 8)
        #expect(org.codeDirectory == "/p/build/org-status")
        #expect(
            org.environment == [
                "STAGE": "dev", "TABLE": "Table", "RULES_ARN": ARN.function("Rules"),
                "REGION_TEXT": "us-east-1/${NotAVariable}",
            ])
        #expect(org.routes == ["GET /orgs/{orgId}"])
        #expect(org.schedules.map(\.expression.description) == ["cron(0 2 * * ? *)"])
        let rules = app.functions[1]
        #expect(rules.memorySize == 512)
        #expect(rules.provisionedConcurrency == 2)
        #expect(rules.routes == ["$default"])
    }

    @Test func overridesChangeParametersAndConditions() throws {
        let app = try load(Self.app, overrides: ["Stage": "prod", "RedisUrl": "redis://cache:6379"])
        #expect(app.functions[0].name == "org-status-prod")
        #expect(app.functions[0].environment["REDIS"] == "redis://cache:6379")
    }

    @Test func resourcesFnhostDoesNotEmulateAreListedInOneWarning() throws {
        let warning = try #require(try load(Self.app).warning)
        #expect(warning.contains("2 resource(s)"))
        #expect(warning.contains("Role (AWS::IAM::Role)"))
        #expect(warning.contains("Table (AWS::DynamoDB::Table)"))
    }

    @Test func longFormsReadLikeShortForms() throws {
        let long = """
            {"Transform": "AWS::Serverless-2016-10-31",
             "Parameters": {"Name": {"Type": "String", "Default": "x"}},
             "Resources": {"F": {"Type": "AWS::Serverless::Function", "Properties": {
               "Runtime": "provided.al2", "CodeUri": "f",
               "FunctionName": {"Fn::Join": ["-", [{"Ref": "Name"}, {"Fn::Select": [1, {"Fn::Split": [",", "a,b"]}]}]]},
               "Environment": {"Variables": {"ARN": {"Fn::GetAtt": ["F", "Arn"]},
                 "SUB": {"Fn::Sub": ["${A}-${Name}", {"A": "one"}]}}}}}}}
            """
        let f = try load(long).functions[0]
        #expect(f.name == "x-b")
        #expect(f.environment == ["ARN": ARN.function("x-b"), "SUB": "one-x"])
    }

    @Test func badFieldsNameTheResourceAndTheField() {
        let base = """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: provided.al2023
                  CodeUri: f

            """
        expectError(base + "      MemorySize: 64\n", contains: ["resource Fn", "Properties.MemorySize", "128–10240"])
        expectError(base + "      Timeout: 901\n", contains: ["Properties.Timeout"])
        expectError(base + "      Handler: !Ref Nowhere\n", contains: ["Properties.Handler", "Nowhere"])
        expectError(base + "      PackageType: Image\n", contains: ["Properties.PackageType", "Docker"])
        expectError(
            base.replacingOccurrences(of: "provided.al2023", with: "java21"),
            contains: ["Properties.Runtime", "java21"])
        expectError(base.replacingOccurrences(of: "      CodeUri: f\n", with: ""), contains: ["Properties.CodeUri"])
        expectError(
            base
                + "      Events:\n        E:\n          Type: Schedule\n          Properties:\n            Schedule: rate(1 minutes)\n",
            contains: ["Properties.Events.E.Properties.Schedule", "singular"])
        expectError(
            base + "      Events:\n        E:\n          Type: Api\n          Properties:\n            Path: /x\n",
            contains: ["Events.E.Properties", "Path and Method"])
    }

    @Test func parametersWithoutValuesAndUnknownOverridesAreRefused() {
        let t = """
            Parameters:
              Needed: {Type: String}
            Resources:
              F: {Type: AWS::Serverless::Function, Properties: {Runtime: provided, CodeUri: f}}
            """
        expectError(t, contains: ["Parameters.Needed", "--parameter-overrides Needed=VALUE"])
        expectError(t, overrides: ["Needed": "a", "Other": "b"], contains: ["Parameters.Other", "does not declare"])
    }

    @Test func malformedYAMLAndUnknownTagsSayWhere() {
        expectError("Resources:\n  F: [unclosed\n", contains: ["not valid YAML", "line"])
        expectError("Resources:\n  F: !Bogus x\n", contains: ["unknown tag !Bogus", "Resources.F"])
        expectError("- a list\n", contains: ["Resources section"])
        expectError("Resources:\n  A: {Type: AWS::S3::Bucket}\n", contains: ["no AWS::Serverless::Function"])
    }

    @Test func pythonNeedsAHandlerAndNodeIsRecognised() throws {
        let t = "Resources:\n  P: {Type: AWS::Serverless::Function, Properties: {Runtime: python3.12, CodeUri: src}}\n"
        expectError(t, contains: ["Properties.Handler"])
        let ok = try load(t.replacingOccurrences(of: "CodeUri: src", with: "CodeUri: src, Handler: app.handler"))
        #expect(ok.functions[0].runtime == .python(version: "3.12"))
        #expect(FunctionRuntime("nodejs20.x") == .node(version: "20"))
        #expect(FunctionRuntime("ruby3.3") == nil)
    }

    @Test func deeplyNestedDocumentsAreRefusedNotRecursedForever() {
        let deep = String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        expectError("Resources: " + deep + "\n", contains: ["nest"])
    }
}
