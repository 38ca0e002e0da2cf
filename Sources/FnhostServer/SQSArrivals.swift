import Foundation

/// The long polls waiting on each queue: a `ReceiveMessage` with `WaitTimeSeconds` sleeps here until something on
/// its queue changes (a send, a delete, a visibility change) or its own deadline passes, instead of asking the
/// database again and again.
actor SQSArrivals {
    private var waiting: [String: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    private var nextID: UInt64 = 0
    /// How many signals each queue has had: a poll reads it before it looks at the store, so a send that lands
    /// between that look and the wait still wakes it.
    private var generations: [String: UInt64] = [:]

    func generation(_ queue: String) -> UInt64 { generations[queue] ?? 0 }

    /// Returns when `signal(queue)` is called (or was, after `generation` was read) or at `untilMs` (Unix epoch
    /// milliseconds), whichever comes first.
    func wait(_ queue: String, since generation: UInt64, untilMs: Int64) async {
        let delay = max(0, untilMs - SQSService.nowMs())
        guard delay > 0, self.generation(queue) == generation else { return }
        nextID += 1
        let id = nextID
        let timer = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(delay))
            await self?.wake(queue, id)
        }
        // Cancelled (the server is shutting down, the client is gone): stop waiting at once.
        await withTaskCancellationHandler {
            await withCheckedContinuation { waiting[queue, default: [:]][id] = $0 }
        } onCancel: {
            Task { await self.wake(queue, id) }
        }
        timer.cancel()
    }

    /// Wakes every poll waiting on `queue`.
    func signal(_ queue: String) {
        generations[queue, default: 0] &+= 1
        guard let waiters = waiting.removeValue(forKey: queue) else { return }
        for continuation in waiters.values { continuation.resume() }
    }

    private func wake(_ queue: String, _ id: UInt64) {
        guard let continuation = waiting[queue]?.removeValue(forKey: id) else { return }
        if waiting[queue]?.isEmpty == true { waiting[queue] = nil }
        continuation.resume()
    }
}
