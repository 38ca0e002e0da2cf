import Tracing

extension LambdaContext {
    /// Times `body` as a span named `name` of this invocation's trace: a shorthand for swift-distributed-tracing's
    /// `withSpan(name) { _ in … }` (use `withSpan` itself to set attributes or an error on the span). The host shows
    /// it in `fnhost traces`, on the live page and in the OTLP export, nested under the span it was opened in.
    public func span<T>(
        _ name: String, isolation: isolated (any Actor)? = #isolation, _ body: () async throws -> T
    ) async rethrows -> T {
        try await withSpan(name, isolation: isolation) { _ in try await body() }
    }
}
