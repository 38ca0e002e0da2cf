import Synchronization

/// The live page's subscribers: each `/fnhost/events` response reads its own stream, which keeps at most the
/// newest `bufferPerClient` snapshots. A snapshot is the whole state, so a slow client loses only stale ones, and
/// publishing never waits for any client: invocations are never slowed by a browser.
final class DashboardFeed: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
        var nextID = 0
        var closed = false
    }

    let bufferPerClient: Int
    private let state = Mutex(State())

    init(bufferPerClient: Int = 2) {
        self.bufferPerClient = bufferPerClient
    }

    /// A stream of encoded events for one client; it ends when the feed closes (graceful shutdown), and the client
    /// is forgotten when its response ends.
    func subscribe() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: String.self, bufferingPolicy: .bufferingNewest(bufferPerClient))
        let id: Int? = state.withLock { s in
            guard !s.closed else { return nil }
            defer { s.nextID += 1 }
            s.subscribers[s.nextID] = continuation
            return s.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.subscribers.removeValue(forKey: id) }
        }
        return stream
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Offers `event` to every subscriber (never blocks).
    func publish(_ event: String) {
        let all = state.withLock { Array($0.subscribers.values) }
        for continuation in all { continuation.yield(event) }
    }

    /// Ends every stream, and every later one at once.
    func close() {
        let all = state.withLock { s in
            s.closed = true
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }
}
