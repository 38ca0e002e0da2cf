import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import FnhostHost

/// The connection limits on an `EmbeddedChannel` whose clock the test moves: the pipeline of a Runtime API endpoint
/// (NIO's HTTP server pipeline with the guard), with the listener's limits at 10 s for the headers and 60 s idle.
@Suite("Connection guard: deadlines by what the connection is doing")
struct ConnectionGuardTests {
    static let limits = ListenerLimits(headerTimeout: .seconds(10), idleTimeout: .seconds(60), maxConnections: 2)

    /// A connected channel with the guard, on its own embedded loop.
    static func connection(_ ledger: ConnectionLedger) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: true)
        try ledger.guardConnection(channel.pipeline.syncOperations)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }

    static func send(_ channel: EmbeddedChannel, _ text: String) throws {
        try channel.writeInbound(channel.allocator.buffer(string: text))
    }

    /// Answers the request the handler would have answered.
    static func respond(_ channel: EmbeddedChannel) throws {
        let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["content-length": "0"])
        try channel.writeOutbound(HTTPServerResponsePart.head(head))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    /// Everything written to the socket so far, as text.
    static func written(_ channel: EmbeddedChannel) throws -> String {
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { text += String(buffer: buffer) }
        }
        return text
    }

    @Test("A parked GET next is never timed out, not after ten hours; once answered, the idle timeout runs")
    func parkedRequestIsNeverCut() throws {
        let ledger = ConnectionLedger(listener: "test", limits: Self.limits, metrics: HostMetrics())
        let channel = try Self.connection(ledger)
        try Self.send(channel, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
        channel.embeddedEventLoop.advanceTime(by: .hours(10))
        #expect(channel.isActive)
        try Self.respond(channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive, "still open 61 s after its answer (idle timeout 60 s)")
        #expect(ledger.openConnections == 0)
    }

    @Test("A worker holding the event it fetched is not idle until its next request")
    func awaitingAnswerIsNotIdle() throws {
        let ledger = ConnectionLedger(listener: "test", limits: Self.limits, metrics: HostMetrics())
        let channel = try Self.connection(ledger)
        try Self.send(channel, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
        channel.pipeline.triggerUserOutboundEvent(ConnectionGuard.AwaitingAnswer(), promise: nil)
        try Self.respond(channel)
        channel.embeddedEventLoop.advanceTime(by: .minutes(15))
        #expect(channel.isActive, "closed while the worker worked on its event")
        // Its answer and its next GET next, pipelined; the GET parks.
        try Self.send(
            channel,
            "POST /2018-06-01/runtime/invocation/r1/response HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
                + "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n")
        try Self.respond(channel)
        channel.embeddedEventLoop.advanceTime(by: .hours(1))
        #expect(channel.isActive)
    }

    @Test("Headers trickled a byte a second are cut at the header timeout from the first byte, with a 408")
    func trickledHeadersAreCut() throws {
        let ledger = ConnectionLedger(listener: "test", limits: Self.limits, metrics: HostMetrics())
        let channel = try Self.connection(ledger)
        for byte in "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: 1234".prefix(9) {
            try Self.send(channel, String(byte))
            channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        }
        #expect(channel.isActive, "closed before the header timeout")
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let answer = try Self.written(channel)
        #expect(answer.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), "\(answer)")
        #expect(answer.contains("\"message\":\"Request Timeout: its headers did not arrive within 10 s\""))
        channel.embeddedEventLoop.advanceTime(by: ConnectionGuard.lingerTime)
        #expect(!channel.isActive)
    }

    @Test("A connection that sends nothing is closed at the idle timeout, and no sooner")
    func silentConnectionIsClosedWhenIdle() throws {
        let ledger = ConnectionLedger(listener: "test", limits: Self.limits, metrics: HostMetrics())
        let channel = try Self.connection(ledger)
        #expect(ledger.openConnections == 1)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
        #expect(try Self.written(channel).isEmpty, "an idle connection is closed without an answer")
        #expect(ledger.openConnections == 0)
    }

    @Test("Over the limit a connection is answered 503 and not counted; a closed one makes room")
    func limitRefusesAndRecovers() throws {
        let ledger = ConnectionLedger(listener: "test", limits: Self.limits, metrics: HostMetrics())
        let first = try Self.connection(ledger)
        _ = try Self.connection(ledger)
        let third = try Self.connection(ledger)
        let refusal = try Self.written(third)
        #expect(refusal.hasPrefix("HTTP/1.1 503 Service Unavailable\r\n"), "\(refusal)")
        #expect(refusal.contains("Connection: close\r\n"))
        #expect(ledger.openConnections == 2)
        _ = try first.close().wait()
        #expect(ledger.openConnections == 1)
        let fourth = try Self.connection(ledger)
        #expect(try Self.written(fourth).isEmpty)
        #expect(ledger.openConnections == 2)
    }
}
