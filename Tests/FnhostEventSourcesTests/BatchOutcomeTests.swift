import FnhostEventSources
import Testing

/// A partial batch response read as Lambda reads it, and which messages go back to the queue.
@Suite struct BatchOutcomeTests {
    static let ids: Set<String> = ["a", "b", "c"]

    static func read(_ text: String) -> BatchOutcome { BatchOutcome.fromPartialResponse(Array(text.utf8), ids: ids) }

    @Test(arguments: ["", "null", "{}", #"{"batchItemFailures": []}"#, #"{"batchItemFailures": null}"#, "  \n"])
    func emptyOrNullAnswersAreFullSuccess(_ text: String) {
        #expect(Self.read(text) == .success)
    }

    @Test(arguments: [
        "not json", #"{"batchItemFailures": [{"itemIdentifier": ""}]}"#,
        #"{"batchItemFailures": [{"itemIdentifier": null}]}"#, #"{"batchItemFailures": [{"id": "a"}]}"#,
        #"{"batchItemFailures": [{"itemIdentifier": "zzz"}]}"#, #"{"batchFailures": []}"#, #""a""#, "[1]",
        #"{"batchItemFailures": "a"}"#,
    ])
    func invalidAnswersAreFullFailure(_ text: String) {
        #expect(Self.read(text) == .failure)
    }

    @Test func namedItemsFailAndTheOthersSucceed() {
        let outcome = Self.read(#"{"batchItemFailures": [{"itemIdentifier": "b"}]}"#)
        #expect(outcome == .partial(["b"]))
        #expect(outcome.returned(["a", "b", "c"]) == ["b"])
        #expect(outcome.label == "partial")
    }

    @Test func aFIFOFailureReturnsTheRestOfItsGroupOnly() {
        let order = [(id: "a", group: "g1"), (id: "b", group: "g2"), (id: "c", group: "g1"), (id: "d", group: "g2")]
        #expect(BatchOutcome.partial(["a"]).returnedFIFO(order) == ["a", "c"])
        #expect(BatchOutcome.partial(["d"]).returnedFIFO(order) == ["d"])
        #expect(BatchOutcome.failure.returnedFIFO(order) == ["a", "b", "c", "d"])
        #expect(BatchOutcome.success.returnedFIFO(order).isEmpty)
    }
}
