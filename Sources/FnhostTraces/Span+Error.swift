extension Span {
    /// The attribute a failed span carries, with the error's message (`error` when it had none): a span a function
    /// opened and failed (`span.recordError`, `setStatus(.error)`, or an error thrown out of `withSpan`). OTLP's
    /// export turns it into the span's status (`STATUS_CODE_ERROR` and the message).
    public static let errorAttribute = "fnhost.error"

    /// Whether the span failed: an invocation that ended in an error, a timeout or a throttle, or a function's span
    /// that recorded an error.
    public var failed: Bool {
        attributes[Self.errorAttribute] != nil
            || ["error", "timeout", "throttled"].contains(attributes["fnhost.outcome"] ?? "")
    }
}
