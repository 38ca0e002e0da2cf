import Tracing

/// Where a span opens in an invocation's ``FunctionSpanLog``: the invocation itself (`index` nil) or one of its
/// spans. Carried in the `ServiceContext` under ``Key``, so that the child tasks of a handler open their spans under
/// the span that was current when they started.
struct FunctionSpanParent: Sendable {
    let log: FunctionSpanLog
    let generation: UInt64
    let index: Int?

    /// The `ServiceContext` key of the invocation's current span.
    enum Key: ServiceContextKey {
        typealias Value = FunctionSpanParent
        static var nameOverride: String? { "fnhost-function-span" }
    }
}
