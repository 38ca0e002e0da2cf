/// Polls `condition` until it holds or `limit` passes; returns whether it held. For tests that wait on real
/// processes and servers, which settle in their own time.
public func eventually(
    within limit: Duration, every interval: Duration = .milliseconds(10), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: interval)
    }
}
