import FnhostWire

/// What became of one batch, from the invocation's result, as Lambda reads it: everything succeeded, everything
/// failed (a function error, or with `ReportBatchItemFailures` an answer Lambda treats as a failure), or only the
/// records the answer names failed.
public enum BatchOutcome: Sendable, Equatable {
    case success
    case failure
    /// The identifiers (message ids, sequence numbers) that failed; every other record succeeded.
    case partial(Set<String>)

    /// The metric label: `success`, `failure`, `partial`.
    public var label: String {
        switch self {
        case .success: "success"
        case .failure: "failure"
        case .partial: "partial"
        }
    }

    /// Reads a function's successful answer with `ReportBatchItemFailures` on, by Lambda's rules: an empty or null
    /// answer, or an empty or null `batchItemFailures`, is full success; an answer that is not JSON, a list with a
    /// missing, empty or unknown `itemIdentifier`, or a wrong key name is full failure; otherwise the named records
    /// failed. (`ids` are the batch's identifiers.)
    public static func fromPartialResponse(_ payload: [UInt8], ids: Set<String>) -> BatchOutcome {
        if payload.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return .success }
        guard let json = try? JSONValue.parse(payload) else { return .failure }
        switch json {
        case .null: return .success
        case .object(let object):
            let failures: [JSONValue]
            switch object["batchItemFailures"] {
            case nil:
                // An object without the key: {} is success (an empty answer); any other key is a wrong key name.
                return object.isEmpty ? .success : .failure
            case .null?: return .success
            case .array(let items)?: failures = items
            default: return .failure
            }
            var failed: Set<String> = []
            for item in failures {
                guard case .object(let fields) = item, case .string(let id)? = fields["itemIdentifier"], !id.isEmpty,
                    ids.contains(id)
                else { return .failure }
                failed.insert(id)
            }
            return failed.isEmpty ? .success : .partial(failed)
        default:
            // A JSON string, number or list is not a batch response: Lambda counts the batch as failed.
            return .failure
        }
    }

    /// For a FIFO queue, order holds per message group: from a group's first failed message on, every later
    /// message of that group returns too (Lambda: stop at the first failure and return it with every unprocessed
    /// message). `order` is the batch as `(id, group)` in order; returns the ids (in batch order) that go back.
    public func returnedFIFO(_ order: [(id: String, group: String)]) -> [String] {
        switch self {
        case .success: return []
        case .failure: return order.map(\.id)
        case .partial(let failed):
            var stopped: Set<String> = []
            var out: [String] = []
            for (id, group) in order where stopped.contains(group) || failed.contains(id) {
                stopped.insert(group)
                out.append(id)
            }
            return out
        }
    }

    /// The ids (in batch order) that go back to a standard queue.
    public func returned(_ order: [String]) -> [String] {
        switch self {
        case .success: return []
        case .failure: return order
        case .partial(let failed): return order.filter(failed.contains)
        }
    }
}
