import FnhostEventSources
import FnhostHost
import FnhostStore
import ServiceLifecycle
import Synchronization

/// Runs the pollers of every enabled event source mapping, one task per mapping (through the runner of its
/// source's kind), and restarts a mapping's task when the API creates, changes or deletes it. On graceful shutdown
/// the pollers finish the batches in hand and stop; a batch cut off by a kill reappears after its visibility
/// timeout, so nothing is lost.
public actor MappingSupervisor: Service {
    let store: Store
    let host: FunctionHost
    let kinds: EventSourceKinds
    let metrics: EventSourceMetrics
    private let note: @Sendable (String) -> Void
    /// Wakes the pollers waiting on a source (SQS: the queue's long polls).
    private let wakeSource: @Sendable (String) async -> Void
    private let stopping = Stop()
    private var running: [String: Runner] = [:]
    /// Runners told to stop that may still be finishing a batch (awaited at shutdown).
    private var draining: [Task<Void, Never>] = []

    struct Runner {
        var mapping: EventSourceMapping
        var task: Task<Void, Never>
        var stop: Stop
    }

    /// A stop flag: serve's (graceful shutdown) and each mapping's (a changed or deleted mapping's pollers finish
    /// the batch in hand and return).
    final class Stop: Sendable {
        let flag = Atomic<Bool>(false)
    }
    private var started = false
    private var warned: Set<EventSourceKind> = []

    init(
        store: Store, host: FunctionHost, kinds: EventSourceKinds, metrics: EventSourceMetrics,
        note: @escaping @Sendable (String) -> Void, wake: @escaping @Sendable (String) async -> Void
    ) {
        self.wakeSource = wake
        self.store = store
        self.host = host
        self.kinds = kinds
        self.metrics = metrics
        self.note = note
    }

    public func run() async throws {
        started = true
        await refresh()
        try? await gracefulShutdown()
        stopping.flag.store(true, ordering: .relaxed)
        let tasks = running.values.map(\.task) + draining
        let queues = Set(running.values.map(\.mapping.sourceName))
        running = [:]
        draining = []
        for queue in queues { await wake(queue) }
        for task in tasks { await task.value }
    }

    /// Brings the running tasks in line with the store: starts new and changed mappings, stops deleted, disabled
    /// and changed ones.
    func refresh() async {
        guard started, !stopping.flag.load(ordering: .relaxed) else { return }
        let stored: [StoredMapping]
        do {
            stored = try await store.mappings()
        } catch {
            note("fnhost: event source mappings could not be read: \(error)")
            return
        }
        var wanted: [String: EventSourceMapping] = [:]
        for row in stored {
            guard let mapping = EventSourceMappingService.mapping(row), mapping.state == .enabled,
                host.functions[mapping.function] != nil
            else { continue }
            wanted[mapping.uuid] = mapping
        }
        for (uuid, entry) in running where wanted[uuid] != entry.mapping {
            entry.stop.flag.store(true, ordering: .relaxed)
            running[uuid] = nil
            draining.append(entry.task)
            await wake(entry.mapping.sourceName)
        }
        for (uuid, mapping) in wanted where running[uuid] == nil {
            guard let runner = kinds.runners[mapping.kind] else {
                if warned.insert(mapping.kind).inserted {
                    note(
                        "fnhost: \(mapping.kind.rawValue) event sources are not served by this build: mapping \(uuid) is kept, not run"
                    )
                }
                continue
            }
            let stop = Stop()
            let context = MappingRunContext(
                host: host, outcomes: metrics,
                stopping: { [stopping] in
                    stopping.flag.load(ordering: .relaxed) || stop.flag.load(ordering: .relaxed)
                })
            running[uuid] = Runner(
                mapping: mapping, task: Task { await runner.run(mapping, context: context) }, stop: stop)
        }
    }

    /// Wakes the pollers waiting on a source, so they see a stop at once.
    private func wake(_ source: String) async {
        await wakeSource(source)
    }

    /// The UUIDs of the mappings whose pollers run now.
    func runningMappings() -> Set<String> { Set(running.keys) }
}
