import FnhostWire
import LambdaRuntime

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `combine` member of a combine-mode event: the Parallel's output, `[orgStatus, coverage, requestLog]` in branch
/// order, as `statemachines/eligibility.asl.json` puts it beside the request's fields.
struct CombineEvent {
    /// The answer's `transport` in combine mode.
    static let transport = "step-functions"
    let results: [JSONValue]

    /// The event's `combine` results; nil when the event has none (an ordinary request); `InvalidEvent` when it is
    /// not an array of three.
    static func results(_ event: JSONValue) throws(HandlerError) -> CombineEvent? {
        guard case .object(let fields) = event, let combine = fields["combine"] else { return nil }
        guard case .array(let results) = combine, results.count == 3 else {
            throw HandlerError(
                type: "InvalidEvent",
                message: "combine must be an array of the three results [orgStatus, coverage, requestLog]")
        }
        return CombineEvent(results: results)
    }

    /// The result at `index` read as `T`; `InvalidEvent` naming the branch otherwise.
    func decode<T: Decodable>(_ index: Int, _ branch: String, as: T.Type) throws(HandlerError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(results[index].serialized))
        } catch {
            throw HandlerError(
                type: "InvalidEvent", message: "combine[\(index)] is not a \(branch) result: \(error)")
        }
    }
}
