import FnhostEventSources
import FnhostWire
import Testing

/// A manifest's `eventSources` entry, read with the API's rules and refused naming its key.
@Suite struct EventSourceDeclarationTests {
    static func parse(_ text: String) throws(EventSourceDeclaration.Problem) -> EventSourceDeclaration {
        try EventSourceDeclaration.parse((try? JSONValue.parse(text)) ?? .null)
    }

    @Test func aQueueDeclarationBecomesSQSSettings() throws {
        let d = try Self.parse(
            #"{"queue": "orders", "batchSize": 5, "maximumConcurrency": 3, "reportBatchItemFailures": true}"#)
        #expect(d.kind == .sqs && d.source == "orders")
        #expect(d.settings.batchSize == 5 && d.settings.maximumConcurrency == 3 && d.settings.reportBatchItemFailures)
        #expect(d.sourceARN() == "arn:aws:sqs:us-east-1:000000000000:orders")
    }

    @Test func aStreamDeclarationNamesItsOnFailureQueue() throws {
        let d = try Self.parse(
            #"{"stream": "clicks", "startingPosition": "TRIM_HORIZON", "maximumRetryAttempts": 2, "onFailure": "parked"}"#
        )
        #expect(d.kind == .kinesis && d.sourceARN() == "arn:aws:kinesis:us-east-1:000000000000:stream/clicks")
        #expect(d.settings.onFailureDestination == "arn:aws:sqs:us-east-1:000000000000:parked")
    }

    @Test(arguments: [
        (#"{"batchSize": 5}"#, "queue"), (#"{"queue": "a", "stream": "b"}"#, "stream"),
        (#"{"queue": "bad name"}"#, "queue"), (#"{"queue": "a", "size": 1}"#, "size"),
        (#"{"queue": "a", "batchSize": 20}"#, ""), (#"{"queue": "a", "batchSize": 0}"#, "batchSize"),
        (#"{"queue": "a", "reportBatchItemFailures": "yes"}"#, "reportBatchItemFailures"),
        (#"{"stream": "s"}"#, ""),
        (#"{"queue": "a.fifo", "maximumBatchingWindowInSeconds": 2}"#, "maximumBatchingWindowInSeconds"),
        (#"{"queue": "a", "maximumRetryAttempts": 1}"#, "maximumRetryAttempts"), ("[]", ""),
    ])
    func badDeclarationsAreRefusedNamingTheKey(_ text: String, _ field: String) {
        do throws(EventSourceDeclaration.Problem) {
            let d = try Self.parse(text)
            Issue.record("accepted \(d)")
        } catch {
            #expect(error.field == field, "\(error)")
            #expect(!error.reason.isEmpty)
        }
    }

    @Test func aDeclaredMappingKeepsItsUUID() {
        let a = EventSourceMapping.declaredUUID(function: "f", sourceARN: "arn:aws:sqs:us-east-1:000000000000:q")
        #expect(a == EventSourceMapping.declaredUUID(function: "f", sourceARN: "arn:aws:sqs:us-east-1:000000000000:q"))
        #expect(a != EventSourceMapping.declaredUUID(function: "g", sourceARN: "arn:aws:sqs:us-east-1:000000000000:q"))
        #expect(a.count == 36 && a.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    }
}
