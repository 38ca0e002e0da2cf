import FnhostWire
import Testing

@testable import FnhostTemplate

/// `AWS::SQS::Queue` in templates: names, attributes in SQS's text form, Ref and Fn::GetAtt to a queue.
extension SAMTemplateTests {
    static let queues = """
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
                  JOBS_URL: !Ref Jobs
                  JOBS_ARN: !GetAtt Jobs.Arn
                  DEAD_NAME: !GetAtt Dead.QueueName
          Jobs:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub 'jobs-${AWS::Region}'
              VisibilityTimeout: 45
              ReceiveMessageWaitTimeSeconds: 2
              RedrivePolicy:
                deadLetterTargetArn: !GetAtt Dead.Arn
                maxReceiveCount: 3
              KmsMasterKeyId: alias/aws/sqs
          Dead:
            Type: AWS::SQS::Queue
          Ordered:
            Type: AWS::SQS::Queue
            Properties:
              FifoQueue: true
              ContentBasedDeduplication: true
        """

    @Test func queuesAreReadWithTheirAttributesAndResolveAsRefAndGetAtt() throws {
        let app = try load(Self.queues)
        #expect(app.queues.map(\.name) == ["Dead", "jobs-us-east-1", "Ordered.fifo"])
        let jobs = try #require(app.queues.first { $0.logicalID == "Jobs" })
        #expect(jobs.attributes["VisibilityTimeout"] == "45")
        #expect(jobs.attributes["ReceiveMessageWaitTimeSeconds"] == "2")
        let policy = try JSONValue.parse(try #require(jobs.attributes["RedrivePolicy"]))
        #expect(
            policy
                == .object([
                    "deadLetterTargetArn": .string("arn:aws:sqs:us-east-1:000000000000:Dead"),
                    "maxReceiveCount": .number(3),
                ]))
        #expect(jobs.attributes["KmsMasterKeyId"] == nil)
        let ordered = try #require(app.queues.first { $0.logicalID == "Ordered" })
        #expect(ordered.attributes == ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
        let env = app.functions[0].environment
        #expect(env["JOBS_URL"] == "https://sqs.us-east-1.amazonaws.com/000000000000/jobs-us-east-1")
        #expect(env["JOBS_ARN"] == "arn:aws:sqs:us-east-1:000000000000:jobs-us-east-1")
        #expect(env["DEAD_NAME"] == "Dead")
        #expect(app.unemulated.isEmpty, "queues are emulated: \(app.unemulated)")
        #expect(app.warning?.contains("AWS::SQS::Queue.KmsMasterKeyId") == true, "\(app.warning ?? "")")
    }

    @Test func aQueuePropertyOfTheWrongShapeNamesTheResourceAndTheField() {
        expectError(
            """
            Resources:
              F:
                Type: AWS::Serverless::Function
                Properties: {Runtime: provided.al2023, CodeUri: f, Handler: bootstrap}
              Q:
                Type: AWS::SQS::Queue
                Properties:
                  VisibilityTimeout: [1, 2]
            """, contains: ["resource Q", "Properties.VisibilityTimeout", "expected a string"])
    }
}
