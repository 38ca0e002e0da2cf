import Synchronization

/// Counts how often a cache went to the "reference store", and serves records from a fixed table.
final class LoadCounter: Sendable {
    private let count = Mutex(0)

    var calls: Int { count.withLock { $0 } }

    /// A `load` closure for `key` that returns the sample organisation (or nil for keys starting with "MISSING").
    func loader(_ key: String) -> @Sendable () async throws -> OrganisationRecord? {
        { @Sendable in
            self.count.withLock { $0 += 1 }
            if key.hasPrefix("MISSING") { return nil }
            var record = OrganisationRecord.sample()
            record.orgId = key
            return record
        }
    }
}
