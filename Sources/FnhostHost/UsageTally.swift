import Synchronization

/// Requests and billed GB-seconds per function, as Lambda would bill them, so that a run can estimate its AWS
/// bill (prices: `../shared/reference/lambda.md`, x86 us-east-1).
public final class UsageTally: Sendable {
    /// One function's usage.
    public struct Usage: Sendable, Equatable {
        public var requests = 0
        /// Memory (GB) × billed duration (s), the duration rounded up to the millisecond and taken in simulated
        /// terms when a profile is active (a caller is billed for waiting on the functions it calls).
        public var gigabyteSeconds = 0.0
    }

    /// $0.20 per million requests.
    public static let pricePerRequest = 0.20 / 1_000_000
    /// $0.0000166667 per GB-second.
    public static let pricePerGigabyteSecond = 0.0000166667

    private let state = Mutex<[String: Usage]>([:])

    public init() {}

    func record(_ result: InvocationResult) {
        let billedMs = max(1, result.simulatedDurationMs.rounded(.up))
        state.withLock {
            $0[result.function, default: Usage()].requests += 1
            $0[result.function, default: Usage()].gigabyteSeconds +=
                Double(result.memorySizeMB) / 1024 * billedMs / 1000
        }
    }

    public var byFunction: [String: Usage] { state.withLock { $0 } }

    /// The estimated bill in US dollars, every function together.
    public var estimatedCostUSD: Double {
        state.withLock { usage in
            usage.values.reduce(0) {
                $0 + Double($1.requests) * Self.pricePerRequest + $1.gigabyteSeconds * Self.pricePerGigabyteSecond
            }
        }
    }

    public func reset() { state.withLock { $0 = [:] } }
}
