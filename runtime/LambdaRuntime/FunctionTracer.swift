import Synchronization
import Tracing

/// swift-distributed-tracing's `Tracer` for a function on fnhost: a span opened with `withSpan("name") { span in … }`
/// (or by an instrumented library) during an invocation goes into that invocation's trace, nested under the span it
/// was opened in, with its attributes and its error, and the host shows it in `fnhost traces`, on the live page and in
/// the OTLP export. The runtime loop bootstraps it (`InstrumentationSystem.bootstrap`) after Init, unless the
/// function bootstrapped a tracer of its own (its spans then go to that tracer only). To turn spans off, bootstrap
/// `NoOpTracer()` in Init: a bootstrapped `NoOpInstrument()` looks like no bootstrap at all, and
/// swift-distributed-tracing stops a process that bootstraps twice.
///
/// The invocation a span belongs to comes from the task-local `ServiceContext` the runtime loop sets around the
/// handler, so concurrent child tasks keep their parent, and the tracer itself holds no state. A span opened outside
/// an invocation (during Init, in a detached task) is not recorded. On AWS Lambda the spans' header is ignored.
///
/// Bounds (``FunctionSpans``): 64 spans per invocation, 8 attributes per span (the first by key; a value printed and
/// cut to 128 bytes), an error message cut to 200 bytes. Span events and links are not kept: fnhost's trace has no
/// place for them.
public struct FunctionTracer: Tracer {
    public typealias Span = FunctionSpan

    public init() {}

    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> ServiceContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> FunctionSpan {
        let parentContext = context()
        guard let parent = parentContext[FunctionSpanParent.Key.self] else {
            return FunctionSpan(name: operationName, context: parentContext, recording: nil)
        }
        let startNs = instant().nanosecondsSinceEpoch
        guard let index = parent.log.open(operationName, parent: parent, atNs: startNs) else {
            return FunctionSpan(name: operationName, context: parentContext, recording: nil)
        }
        var spanContext = parentContext
        let here = FunctionSpanParent(log: parent.log, generation: parent.generation, index: index)
        spanContext[FunctionSpanParent.Key.self] = here
        return FunctionSpan(
            name: operationName, context: spanContext,
            recording: .init(log: parent.log, generation: parent.generation, index: index, startNs: startNs))
    }

    public func forceFlush() {}

    /// Nothing to inject: a call to another function carries the invocation's trace header already
    /// (`context.invoke`), and the host places the callee's spans itself.
    public func inject<Carrier, Inject: Injector>(
        _ context: ServiceContext, into carrier: inout Carrier, using injector: Inject
    ) where Carrier == Inject.Carrier {}

    /// Nothing to extract: the invocation's place in its trace comes from the runtime loop, not from a carrier.
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract
    ) where Carrier == Extract.Carrier {}
}

extension FunctionTracer {
    /// Bootstraps the process's instrumentation with a ``FunctionTracer`` unless something was bootstrapped already
    /// (the function's own tracer, in its Init). Once per process: the runtime loop calls it after every Init.
    static func bootstrapUnlessBootstrapped() { _ = bootstrapped }

    /// Whether ``FunctionTracer`` is the process's tracer.
    static var isBootstrapped: Bool { InstrumentationSystem.tracer is FunctionTracer }

    private static let bootstrapped: Void = {
        if InstrumentationSystem.instrument is NoOpInstrument { InstrumentationSystem.bootstrap(FunctionTracer()) }
    }()

    /// The context a handler runs in: `base` with the invocation as the parent of the spans it opens.
    static func context(_ base: ServiceContext, invocation: FunctionSpanParent) -> ServiceContext {
        var context = base
        context[FunctionSpanParent.Key.self] = invocation
        return context
    }
}
