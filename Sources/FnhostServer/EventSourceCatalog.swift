import FnhostEventSources
import FnhostHost

/// What serve knows about one event source: that it exists, and for a queue whether it is FIFO (the mapping's
/// rules differ).
public struct EventSourceInfo: Sendable, Equatable {
    public var fifo: Bool

    public init(fifo: Bool = false) {
        self.fifo = fifo
    }
}

/// Looks up the source an event source mapping names, for one kind of source (SQS queues here; Kinesis streams
/// plug in the same way): Create and Update refuse a mapping whose source does not exist.
public protocol EventSourceCatalog: Sendable {
    /// The source the ARN names, or nil when there is no such source.
    func describe(sourceARN: String) async throws -> EventSourceInfo?
}

/// Runs the pollers of one mapping for one kind of source, until its task is cancelled or `stopping` says so.
/// The supervisor starts one run per enabled mapping and restarts it when the mapping changes.
public protocol MappingRunnerFactory: Sendable {
    func run(_ mapping: EventSourceMapping, context: MappingRunContext) async
}

/// What a mapping's runner is given: the host that invokes the function, where it reports batch outcomes, and a
/// flag that asks it to finish the batches in hand and return (graceful shutdown).
public struct MappingRunContext: Sendable {
    public let host: FunctionHost
    public let outcomes: EventSourceMetrics
    public let stopping: @Sendable () -> Bool

    public init(host: FunctionHost, outcomes: EventSourceMetrics, stopping: @escaping @Sendable () -> Bool) {
        self.host = host
        self.outcomes = outcomes
        self.stopping = stopping
    }
}

/// The kinds of source serve can map, each with its catalog and its runner. A kind without an entry is accepted
/// and stored (its mappings wait until a build that has it, as Lambda keeps a mapping whose source is away).
public struct EventSourceKinds: Sendable {
    public var catalogs: [EventSourceKind: any EventSourceCatalog]
    public var runners: [EventSourceKind: any MappingRunnerFactory]

    public init(
        catalogs: [EventSourceKind: any EventSourceCatalog] = [:],
        runners: [EventSourceKind: any MappingRunnerFactory] = [:]
    ) {
        self.catalogs = catalogs
        self.runners = runners
    }
}
