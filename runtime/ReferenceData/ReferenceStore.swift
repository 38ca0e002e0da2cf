import FnhostSimulation
import FnhostWire

/// The database behind the cache, kept in memory: records loaded at Init, each lookup paying a simulated
/// latency (``StoreLatency``) as a network round trip to a real database would.
///
/// It exists so that what the worker cache saves can be measured: a hit skips this delay, a miss pays it.
final class ReferenceStore<Record: Sendable>: Sendable {
    /// What the store holds, for messages ("organisations", "members").
    let name: String
    let latency: StoreLatency
    private let records: [String: Record]

    init(name: String, records: [String: Record], latency: StoreLatency) {
        self.name = name
        self.records = records
        self.latency = latency
    }

    var count: Int { records.count }

    /// Finds `key` after the simulated delay; throws only if the task is cancelled while waiting.
    func lookup(_ key: String) async throws -> StoreLookup<Record> {
        let clock = ContinuousClock()
        let start = clock.now
        let delay = latency.draw()
        try await delay.sleep()
        let record = records[key]
        let elapsed = start.duration(to: clock.now)
        let measured = elapsed.inMilliseconds
        return StoreLookup(record: record, measuredMs: measured, simulatedMs: delay.simulatedMs)
    }
}
