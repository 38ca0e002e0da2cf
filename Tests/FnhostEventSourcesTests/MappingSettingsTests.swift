import FnhostEventSources
import FnhostWire
import Testing

/// Lambda's defaults and rules for a mapping's settings, for each kind of source.
@Suite struct MappingSettingsTests {
    static func body(_ text: String) -> [String: JSONValue] {
        guard case .object(let o)? = try? JSONValue.parse(text) else { return [:] }
        return o
    }

    /// The settings a Create body gives, or the error Lambda answers.
    static func create(_ text: String, kind: EventSourceKind, fifo: Bool = false) -> Result<
        MappingSettings, ServiceError
    > {
        let fields = body(text)
        var settings = MappingSettings.defaults(for: kind)
        do throws(ServiceError) {
            try settings.apply(fields)
            try settings.validate(kind: kind, fifo: fifo, given: Set(fields.keys))
            return .success(settings)
        } catch {
            return .failure(error)
        }
    }

    static func error(_ text: String, kind: EventSourceKind, fifo: Bool = false) -> ServiceError? {
        if case .failure(let e) = create(text, kind: kind, fifo: fifo) { return e }
        return nil
    }

    @Test func sqsDefaultsAreLambdasAndCarryNoStreamFields() {
        let s = MappingSettings.defaults(for: .sqs)
        #expect(s.batchSize == 10 && s.maximumBatchingWindowInSeconds == 0)
        #expect(s.maximumConcurrency == nil && !s.reportBatchItemFailures && s.enabled)
        let fields = s.fields(kind: .sqs)
        #expect(fields["StartingPosition"] == nil && fields["MaximumRetryAttempts"] == nil)
        #expect(fields["FunctionResponseTypes"] == .array([]))
    }

    @Test func streamDefaultsRetryUntilTheRecordExpires() {
        let s = MappingSettings.defaults(for: .kinesis)
        #expect(s.batchSize == 100 && s.maximumRetryAttempts == -1 && s.maximumRecordAgeInSeconds == -1)
        #expect(s.parallelizationFactor == 1 && s.bisectBatchOnFunctionError == false)
    }

    @Test func aStandardQueueBatchOverTenNeedsABatchingWindow() {
        let e = Self.error(#"{"BatchSize": 100}"#, kind: .sqs)
        #expect(e?.type == "InvalidParameterValueException")
        #expect(
            e?.message
                == "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        #expect(
            (try? Self.create(#"{"BatchSize": 100, "MaximumBatchingWindowInSeconds": 1}"#, kind: .sqs).get())?
                .batchSize == 100)
    }

    @Test func aFIFOQueueRefusesLargeBatchesAndABatchingWindow() {
        #expect(Self.error(#"{"BatchSize": 11, "MaximumBatchingWindowInSeconds": 5}"#, kind: .sqs, fifo: true) != nil)
        #expect(Self.error(#"{"MaximumBatchingWindowInSeconds": 5}"#, kind: .sqs, fifo: true) != nil)
        #expect((try? Self.create(#"{"BatchSize": 10}"#, kind: .sqs, fifo: true).get()) != nil)
    }

    @Test func valuesOutsideTheModelAreValidationErrorsNamingTheField() {
        let big = Self.error(#"{"BatchSize": 10001}"#, kind: .sqs)
        #expect(big?.type == "ValidationException")
        #expect(big?.message.contains("at 'batchSize'") == true)
        #expect(big?.message.contains("less than or equal to 10000") == true)
        let low = Self.error(#"{"ScalingConfig": {"MaximumConcurrency": 1}}"#, kind: .sqs)
        #expect(low?.message.contains("scalingConfig.maximumConcurrency") == true)
        #expect(Self.error(#"{"MaximumBatchingWindowInSeconds": 301}"#, kind: .sqs)?.status == 400)
        #expect(Self.error(#"{"FunctionResponseTypes": ["Nope"]}"#, kind: .sqs)?.type == "ValidationException")
        #expect(Self.error(#"{"BatchSize": "ten"}"#, kind: .sqs)?.type == "InvalidParameterValueException")
    }

    @Test func streamFieldsOnAnSQSMappingAreRefused() {
        let e = Self.error(#"{"MaximumRetryAttempts": 2}"#, kind: .sqs)
        #expect(e?.type == "InvalidParameterValueException")
        #expect(e?.message.contains("MaximumRetryAttempts") == true)
    }

    @Test func aStreamMappingNeedsAStartingPositionAndChecksItsLimits() {
        #expect(Self.error("{}", kind: .kinesis)?.message.contains("StartingPosition") == true)
        #expect(Self.error(#"{"StartingPosition": "AT_TIMESTAMP"}"#, kind: .kinesis) != nil)
        #expect(Self.error(#"{"StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 30}"#, kind: .kinesis) != nil)
        #expect(Self.error(#"{"StartingPosition": "LATEST", "ParallelizationFactor": 11}"#, kind: .kinesis) != nil)
        #expect(
            Self.error(
                #"{"StartingPosition": "LATEST", "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sns:us-east-1:000000000000:t"}}}"#,
                kind: .kinesis) != nil)
        let ok = try? Self.create(
            #"{"StartingPosition": "TRIM_HORIZON", "MaximumRetryAttempts": 2, "BisectBatchOnFunctionError": true, "DestinationConfig": {"OnFailure": {"Destination": "arn:aws:sqs:us-east-1:000000000000:parked"}}}"#,
            kind: .kinesis
        ).get()
        #expect(ok?.maximumRetryAttempts == 2 && ok?.bisectBatchOnFunctionError == true)
        #expect(ok?.onFailureDestination == "arn:aws:sqs:us-east-1:000000000000:parked")
    }

    @Test func anEmptyScalingConfigRemovesTheLimit() throws {
        var s = try Self.create(#"{"ScalingConfig": {"MaximumConcurrency": 5}}"#, kind: .sqs).get()
        #expect(s.maximumConcurrency == 5)
        try s.apply(Self.body(#"{"ScalingConfig": {}}"#))
        #expect(s.maximumConcurrency == nil)
    }

    @Test func storedSettingsReadBackEqual() throws {
        for (kind, text) in [
            (
                EventSourceKind.sqs,
                #"{"BatchSize": 7, "Enabled": false, "FunctionResponseTypes": ["ReportBatchItemFailures"], "ScalingConfig": {"MaximumConcurrency": 3}}"#
            ),
            (
                .kinesis,
                #"{"StartingPosition": "TRIM_HORIZON", "MaximumRetryAttempts": 3, "MaximumRecordAgeInSeconds": 120, "ParallelizationFactor": 2}"#
            ),
        ] {
            let s = try Self.create(text, kind: kind).get()
            #expect(MappingSettings.fromStored(s.stored(kind: kind), kind: kind) == s)
        }
    }

    @Test func theKindComesFromTheARN() {
        #expect(EventSourceKind(arn: "arn:aws:sqs:us-east-1:000000000000:orders") == .sqs)
        #expect(EventSourceKind(arn: "arn:aws:kinesis:us-east-1:000000000000:stream/clicks") == .kinesis)
        #expect(EventSourceKind(arn: "arn:aws:sns:us-east-1:000000000000:topic") == nil)
        #expect(EventSourceKind(arn: "orders") == nil)
        #expect(EventSourceKind.sourceName(arn: "arn:aws:kinesis:us-east-1:000000000000:stream/clicks") == "clicks")
        #expect(EventSourceKind.sourceName(arn: "arn:aws:sqs:us-east-1:000000000000:orders.fifo") == "orders.fifo")
    }
}
