import FnhostHost
import FnhostStepFunctions

/// The prices `fnhost experiment architectures` bills a run at (us-east-1, x86; no free tier).
///
/// Lambda: $0.20 per million requests and $0.0000166667 per GB-second (shared/reference/lambda.md, as
/// ``UsageTally``); API Gateway HTTP API: $1.00 per million requests for the first 300 million a month (AWS,
/// "Best Practices for Designing Amazon API Gateway Private APIs", table 4 — the gateway fnhost emulates is an HTTP API,
/// payload format 2.0; a REST API costs $3.50); Step Functions EXPRESS: $1 per million requests and $0.00001667 per
/// GB-second, 64 MB, the duration rounded up to 100 ms (shared/reference/step-functions.md, as ``StepFunctionsUsage``).
public enum ArchitecturesPricing {
    public static let lambdaPerRequest = UsageTally.pricePerRequest
    public static let lambdaPerGigabyteSecond = UsageTally.pricePerGigabyteSecond
    public static let gatewayPerRequest = 1.00 / 1_000_000
    public static let expressPerRequest = StepFunctionsUsage.pricePerExpressRequest
    public static let expressPerGigabyteSecond = StepFunctionsUsage.pricePerExpressGigabyteSecond

    /// GB-seconds of one EXPRESS execution billed `billedMs` (already rounded up to 100 ms) at 64 MB.
    static func expressGigabyteSeconds(billedMs: Int) -> Double {
        Double(StepFunctionsUsage.expressBilledMemoryMB) / 1024 * Double(billedMs) / 1000
    }

    /// GB-seconds of one invocation: memory × billed duration (rounded up to the millisecond, at least 1 ms).
    static func gigabyteSeconds(memoryMB: Int, durationMs: Double) -> Double {
        Double(memoryMB) / 1024 * max(1, durationMs.rounded(.up)) / 1000
    }
}
