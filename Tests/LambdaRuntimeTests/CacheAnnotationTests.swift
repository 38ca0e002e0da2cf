import FnhostWire
import Testing

@testable import LambdaRuntime

@Suite("Fnhost-Cache annotation: one writer, one parser")
struct CacheAnnotationTests {
    @Test("what the writer writes, the parser reads back", arguments: CacheAnnotation.Outcome.allCases)
    func roundTrip(outcome: CacheAnnotation.Outcome) throws {
        let annotation = CacheAnnotation(outcome: outcome, workerMs: 0.012, sharedMs: 1.25, storeMs: 3e-05)
        #expect(try CacheAnnotation(parsing: annotation.headerValue) == annotation)
    }

    @Test("the header value reads outcome=…; worker-ms=…; shared-ms=…; store-ms=…")
    func headerValueForm() {
        #expect(
            CacheAnnotation(outcome: .workerHit, workerMs: 0.5, sharedMs: 0, storeMs: 2).headerValue
                == "outcome=worker-hit; worker-ms=0.5; shared-ms=0; store-ms=2.0")
    }

    @Test("a negative or non-finite time is written as 0, so the value always parses")
    func writerClampsTimes() throws {
        let written = CacheAnnotation(outcome: .miss, workerMs: -1, sharedMs: .nan, storeMs: .infinity).headerValue
        #expect(try CacheAnnotation(parsing: written) == CacheAnnotation(outcome: .miss))
    }

    @Test("unknown fields, any order, extra spaces and missing times are accepted")
    func tolerantParser() throws {
        let parsed = try CacheAnnotation(parsing: " store-ms=4 ;future=1;outcome = shared-hit;; tier=redis ")
        #expect(parsed == CacheAnnotation(outcome: .sharedHit, workerMs: 0, sharedMs: 0, storeMs: 4))
    }

    @Test(
        "garbage is refused with the reason",
        arguments: [
            ("", CacheAnnotation.ParseError.missingOutcome),
            ("worker-ms=1", .missingOutcome),
            ("outcome=hit", .unknownOutcome("hit")),
            ("outcome=miss; worker-ms=fast", .invalidMilliseconds(field: "worker-ms", value: "fast")),
            ("outcome=miss; store-ms=-2", .invalidMilliseconds(field: "store-ms", value: "-2")),
            ("outcome=miss; shared-ms=nan", .invalidMilliseconds(field: "shared-ms", value: "nan")),
            ("outcome=miss; garbage", .malformedField("garbage")),
            ("=miss", .malformedField("=miss")),
            ("outcome=miss; outcome=worker-hit", .duplicateField("outcome")),
        ]
    )
    func refusesGarbage(value: String, expected: CacheAnnotation.ParseError) {
        #expect(throws: expected) { try CacheAnnotation(parsing: value) }
    }

    @Test("recordCacheOutcome sets the Fnhost-Cache header through the writer; a second call replaces the first")
    func contextUsesTheWriter() {
        let annotations = InvocationAnnotations()
        let context = LambdaContext(
            requestID: "r", deadlineMs: 0, invokedFunctionARN: "", traceID: "", functionName: "f", functionVersion: "1",
            memoryLimitMB: 128, logGroupName: "", logStreamName: "", invoker: FunctionInvoker(endpoint: nil),
            annotations: annotations
        )
        context.recordCacheOutcome(CacheAnnotation(outcome: .miss, storeMs: 3))
        let hit = CacheAnnotation(outcome: .workerHit, workerMs: 0.01)
        context.recordCacheOutcome(hit)
        let headers = annotations.take()
        #expect(headers.count == 1)
        #expect(headers.first?.0 == CacheAnnotation.headerName)
        #expect(headers.first?.1 == hit.headerValue)
        #expect(annotations.take().isEmpty)
    }
}
