import FnhostManifest
import FnhostPool
import Synchronization

extension FunctionHost {
    /// Starts every function's provisioned concurrency (its workers initialised ahead of traffic, never reaped).
    /// Returns how many workers started.
    public func startProvisionedConcurrency() async throws -> Int {
        var started = 0
        for manifest in functions.values where manifest.provisionedConcurrency > 0 {
            do {
                try await pool(manifest.name)!.prewarm(manifest.provisionedConcurrency)
            } catch {
                throw HostError.provisioningFailed(function: manifest.name, reason: "\(error)")
            }
            started += manifest.provisionedConcurrency
        }
        return started
    }

    /// Stops the processes of workers past their keep-alive, in every pool. Whether a worker may serve is decided
    /// exactly when a request arrives (an expired worker is never lent), so this only frees memory.
    public func reapIdleWorkers() async -> Int {
        var n = 0
        for pool in pools.values { n += await pool.reapIdle() }
        return n
    }

    /// Stops every worker and waits until they are gone. Invocations still waiting for a worker fail.
    public func shutdown() async {
        reaper.withLock { $0?.cancel() }
        defer { deadlines.stop() }
        await withTaskGroup(of: Void.self) { group in
            for pool in pools.values { group.addTask { await pool.shutdown() } }
        }
    }

    /// Stops expired workers' processes in the background until ``shutdown()`` (or until the host is gone).
    func startReaper() {
        // The tick decides only how long an expired worker's process lingers, never whether it serves again: a
        // quarter of the shortest keep-alive, between 50 ms and a second.
        let shortest = pools.values.map { $0.policy.keepAlive }.min() ?? .seconds(1)
        let interval = min(.seconds(1), max(.milliseconds(50), shortest / 4))
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard let self else { return }
                _ = await self.reapIdleWorkers()
            }
        }
        reaper.withLock { $0 = task }
    }
}
