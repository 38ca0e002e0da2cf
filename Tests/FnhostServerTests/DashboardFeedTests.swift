import Testing

@testable import FnhostServer

/// The live page's per-client buffering, in process: what a reader that stops reading costs.
@Suite("Dashboard feed")
struct DashboardFeedTests {
    @Test("A reader that does not read keeps only the newest snapshots, however many are published")
    func slowReaderKeepsOnlyTheNewest() async {
        let feed = DashboardFeed(bufferPerClient: 2)
        let stream = feed.subscribe()
        for i in 0..<1_000 { feed.publish("event \(i)") }
        feed.close()
        var received: [String] = []
        for await event in stream { received.append(event) }
        #expect(received == ["event 998", "event 999"])
    }

    @Test("Closing the feed ends every stream, and a client that comes later gets an ended stream at once")
    func closeEndsStreams() async {
        let feed = DashboardFeed()
        let streams = [feed.subscribe(), feed.subscribe()]
        #expect(feed.subscriberCount == 2)
        feed.close()
        for stream in streams {
            for await _ in stream { Issue.record("an event after close") }
        }
        #expect(feed.subscriberCount == 0)
        var late = 0
        for await _ in feed.subscribe() { late += 1 }
        #expect(late == 0)
    }

    @Test("A client that goes away is forgotten: publishing no longer reaches for it")
    func goneClientsAreForgotten() async {
        let feed = DashboardFeed()
        var stream: AsyncStream<String>? = feed.subscribe()
        #expect(feed.subscriberCount == 1)
        let reader = Task { [stream] in
            for await _ in stream! {}
        }
        stream = nil
        reader.cancel()
        _ = await reader.value
        #expect(feed.subscriberCount == 0)
    }
}
