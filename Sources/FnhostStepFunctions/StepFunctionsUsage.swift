import Synchronization

/// What the executions run so far would cost on AWS Step Functions (us-east-1; `../shared/reference/step-functions.md`
/// and AWS's pricing page): STANDARD $25 per million state transitions (the 4,000 free a month are not deducted);
/// EXPRESS $1 per million requests plus $0.00001667 per GB-second ($0.06 per GB-hour, the first tier), the duration
/// rounded up to 100 ms and the memory to 64 MB (fnhost bills every express execution as 64 MB). Lambda's own bill for
/// the tasks is the host's `UsageTally`.
public final class StepFunctionsUsage: Sendable {
    public struct Totals: Sendable, Equatable {
        public var standardTransitions = 0
        public var expressRequests = 0
        public var expressGigabyteSeconds = 0.0

        /// The estimated bill in US dollars.
        public var estimatedCostUSD: Double {
            Double(standardTransitions) * StepFunctionsUsage.pricePerTransition + Double(expressRequests)
                * StepFunctionsUsage.pricePerExpressRequest + expressGigabyteSeconds
                * StepFunctionsUsage.pricePerExpressGigabyteSecond
        }
    }

    /// $25 per million state transitions (STANDARD).
    public static let pricePerTransition = 25.0 / 1_000_000
    /// $1 per million requests (EXPRESS).
    public static let pricePerExpressRequest = 1.0 / 1_000_000
    /// $0.00001667 per GB-second (EXPRESS, first tier: $0.06 per GB-hour).
    public static let pricePerExpressGigabyteSecond = 0.06 / 3600
    /// The memory fnhost bills an express execution for: AWS's smallest step.
    public static let expressBilledMemoryMB = 64

    private let state = Mutex(Totals())

    public init() {}

    /// A STANDARD execution's transitions (each state entered, retries included).
    public func recordStandard(transitions: Int) { state.withLock { $0.standardTransitions += transitions } }

    /// One EXPRESS execution of `durationMs` (simulated); returns its billed duration in ms.
    @discardableResult
    public func recordExpress(durationMs: Double) -> Int {
        let billedMs = Self.expressBilledMilliseconds(durationMs)
        state.withLock {
            $0.expressRequests += 1
            $0.expressGigabyteSeconds += Double(Self.expressBilledMemoryMB) / 1024 * Double(billedMs) / 1000
        }
        return billedMs
    }

    /// An express duration rounded up to the next 100 ms (100 ms at least).
    public static func expressBilledMilliseconds(_ durationMs: Double) -> Int {
        max(100, Int((max(0, durationMs) / 100).rounded(.up)) * 100)
    }

    public var totals: Totals { state.withLock { $0 } }
}
