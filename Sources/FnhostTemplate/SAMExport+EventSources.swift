import FnhostEventSources
import FnhostManifest
import FnhostWire

/// The queues, streams and event source mappings of an export: every queue or stream a function's `eventSources`
/// names (or sends discarded batches to) becomes a resource, and each declaration an `SQS` or `Kinesis` event of its
/// function with the same settings, so `sam deploy` creates the same mappings on Lambda.
extension SAMExport {
    /// `orders` → `OrdersQueue`, `orders.fifo` → `OrdersFifoQueue`.
    static func queueID(_ name: String) -> String { logicalID(name) + "Queue" }
    /// `clicks` → `ClicksStream`.
    static func streamID(_ name: String) -> String { logicalID(name) + "Stream" }

    /// The queue a destination ARN (`arn:aws:sqs:REGION:ACCOUNT:NAME`) names.
    static func queueName(arn: String) -> String { String(arn.split(separator: ":").last ?? "") }

    /// The `Events` entries of one function's mappings (after its routes).
    static func eventLines(_ sources: [EventSourceDeclaration]) -> [String] {
        var lines: [String] = []
        for (i, source) in sources.enumerated() {
            let s = source.settings
            switch source.kind {
            case .sqs:
                lines += [
                    "        Queue\(i + 1):", "          Type: SQS", "          Properties:",
                    "            Queue: !GetAtt \(queueID(source.source)).Arn",
                    "            BatchSize: \(s.batchSize)",
                ]
                if s.maximumBatchingWindowInSeconds > 0 {
                    lines.append("            MaximumBatchingWindowInSeconds: \(s.maximumBatchingWindowInSeconds)")
                }
                if let concurrency = s.maximumConcurrency {
                    lines += ["            ScalingConfig:", "              MaximumConcurrency: \(concurrency)"]
                }
            case .dynamodb:
                continue  // a manifest names queues and streams only
            case .kinesis:
                lines += [
                    "        Stream\(i + 1):", "          Type: Kinesis", "          Properties:",
                    "            Stream: !GetAtt \(streamID(source.source)).Arn",
                    "            StartingPosition: \(s.startingPosition ?? "TRIM_HORIZON")",
                    "            BatchSize: \(s.batchSize)",
                ]
                if s.maximumBatchingWindowInSeconds > 0 {
                    lines.append("            MaximumBatchingWindowInSeconds: \(s.maximumBatchingWindowInSeconds)")
                }
                if let retries = s.maximumRetryAttempts {
                    lines.append("            MaximumRetryAttempts: \(retries)")
                }
                if let age = s.maximumRecordAgeInSeconds {
                    lines.append("            MaximumRecordAgeInSeconds: \(age)")
                }
                if let bisect = s.bisectBatchOnFunctionError {
                    lines.append("            BisectBatchOnFunctionError: \(bisect)")
                }
                if let factor = s.parallelizationFactor { lines.append("            ParallelizationFactor: \(factor)") }
                if let destination = s.onFailureDestination {
                    lines += [
                        "            DestinationConfig:", "              OnFailure:",
                        // `Type` (SAM's own) makes SAM grant the mapping's role sqs:SendMessage on the queue.
                        "                Type: SQS",
                        "                Destination: !GetAtt \(queueID(queueName(arn: destination))).Arn",
                    ]
                }
            }
            if s.reportBatchItemFailures {
                lines.append("            FunctionResponseTypes: [ReportBatchItemFailures]")
            }
            if !s.enabled { lines.append("            Enabled: false") }
        }
        return lines
    }

    /// The `AWS::SQS::Queue` and `AWS::Kinesis::Stream` resources the functions' mappings need. A queue's visibility
    /// timeout is six times its slowest consumer's timeout (at least 30 s), as Lambda's documentation advises: Lambda
    /// refuses a mapping whose queue's visibility timeout is shorter than the function's timeout.
    func sourceResourceLines() -> [String] {
        var queues: [String: Double] = [:]
        var streams = Set<String>()
        for function in functions {
            for source in function.manifest.eventSources {
                switch source.kind {
                case .sqs: queues[source.source] = max(queues[source.source] ?? 0, function.manifest.timeout)
                case .kinesis: streams.insert(source.source)
                case .dynamodb: break  // a manifest names queues and streams only
                }
                if let destination = source.settings.onFailureDestination {
                    let name = Self.queueName(arn: destination)
                    queues[name] = queues[name] ?? 0
                }
            }
        }
        let q = JSONText.quote
        var lines: [String] = []
        for name in queues.keys.sorted() {
            lines += [
                "  \(Self.queueID(name)):", "    Type: AWS::SQS::Queue", "    Properties:",
                "      QueueName: \(q(name))",
                "      VisibilityTimeout: \(max(30, Int((queues[name]! * 6).rounded(.up))))",
            ]
            if name.hasSuffix(".fifo") { lines.append("      FifoQueue: true") }
        }
        for name in streams.sorted() {
            lines += [
                "  \(Self.streamID(name)):", "    Type: AWS::Kinesis::Stream", "    Properties:",
                "      Name: \(q(name))", "      ShardCount: 1",
            ]
        }
        return lines
    }
}
