import FnhostPool
import FnhostWire
import Synchronization

/// Every function's reserved concurrency as it is now, and a generation that orders the changes applied to the
/// pools: the manifests' values at start, then whatever PutFunctionConcurrency and DeleteFunctionConcurrency set.
struct Reservations: Sendable {
    /// Per function: its reserved concurrency, or nil when it draws on the unreserved pool.
    var values: [String: Int?]
    var generation = 0

    init(_ values: [(String, Int?)]) {
        self.values = Dictionary(values, uniquingKeysWith: { first, _ in first })
    }
}

extension FunctionHost {
    /// What each function reserves now (nil: unreserved, limited by the host's default concurrency).
    public var reservedConcurrency: [String: Int?] { reservations.withLock { $0.values } }

    /// Sets (`limit`) or removes (nil) a function's reserved concurrency while its pool runs: raised, more workers
    /// may start at once; lowered, no worker is lent beyond the limit and busy ones finish first; removed, the pool
    /// goes back to the host's default limit. `check` sees every function's reservation before the change, under
    /// the same lock, and refuses it by throwing (the account's unreserved minimum).
    public func setReservedConcurrency(
        _ name: String, to limit: Int?, check: ([String: Int?]) throws(ServiceError) -> Void = { _ in }
    ) async throws(ServiceError) {
        guard let pool = pool(name) else { throw .notFound(function: name) }
        let generation = try reservations.withLock { (r: inout Reservations) throws(ServiceError) -> Int in
            try check(r.values)
            r.values[name] = .some(limit)
            r.generation += 1
            return r.generation
        }
        await pool.setMaxConcurrency(limit ?? configuration.defaultConcurrency, generation: generation)
    }
}
