import Foundation
import TestSupport
import Testing

/// One case of the `slowClients` section of `Fixtures/bad-requests.json`: a client that never finishes a request.
struct SlowClient: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable {
        /// The request sent one byte every `interval`.
        case trickle(interval: Duration)
        /// The bytes sent at once, then nothing (no bytes: a connection that sends nothing).
        case stop
        /// `count` connections that send nothing.
        case idleConnections(count: Int)
    }

    var name: String
    var kind: Kind
    var bytes: [UInt8]
    /// The reason `/metrics` counts the closure under (`header_timeout`, `body_timeout`, `idle_timeout`).
    var closedBy: String
    var expectStatus: Int?
    var slack: Duration

    var testDescription: String { name }

    /// The server's limits for this corpus, from its `serveArguments`.
    struct Limits: Sendable {
        var arguments: [String]
        var headerTimeout: Duration
        var idleTimeout: Duration

        /// The limit a connection closed for `reason` must have reached.
        func limit(for reason: String) -> Duration { reason == "header_timeout" ? headerTimeout : idleTimeout }
    }

    static let corpus: (limits: Limits, cases: [SlowClient])? = try? load()

    static func load() throws -> (limits: Limits, cases: [SlowClient]) {
        let file = BadRequest.file
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let section = root["slowClients"] as? [String: Any], let arguments = section["serveArguments"] as? [String],
            let cases = section["cases"] as? [[String: Any]]
        else { throw TestFailure("\(file): expected slowClients with serveArguments and cases") }
        func seconds(_ flag: String) throws -> Duration {
            guard let i = arguments.firstIndex(of: flag), i + 1 < arguments.count, let s = Double(arguments[i + 1])
            else { throw TestFailure("\(file): slowClients.serveArguments must set \(flag)") }
            return .milliseconds(Int64(s * 1000))
        }
        let limits = Limits(
            arguments: arguments, headerTimeout: try seconds("--header-timeout"),
            idleTimeout: try seconds("--idle-timeout"))
        return (limits, try cases.map(parse))
    }

    static func parse(_ entry: [String: Any]) throws -> SlowClient {
        guard let name = entry["name"] as? String, let kindName = entry["kind"] as? String,
            let closedBy = entry["closedBy"] as? String, let slack = entry["slackSeconds"] as? Double
        else { throw TestFailure("\(BadRequest.file): a slow client needs name, kind, closedBy, slackSeconds") }
        let kind: Kind
        switch kindName {
        case "trickle":
            guard let interval = entry["intervalSeconds"] as? Double else {
                throw TestFailure("\(name): a trickle needs intervalSeconds")
            }
            kind = .trickle(interval: .milliseconds(Int64(interval * 1000)))
        case "stop": kind = .stop
        case "idleConnections":
            guard let count = entry["count"] as? Int else { throw TestFailure("\(name): needs count") }
            kind = .idleConnections(count: count)
        default: throw TestFailure("\(name): kind must be trickle, stop or idleConnections")
        }
        return SlowClient(
            name: name, kind: kind, bytes: Array((entry["raw"] as? String ?? "").utf8), closedBy: closedBy,
            expectStatus: entry["expectStatus"] as? Int, slack: .milliseconds(Int64(slack * 1000)))
    }
}

extension ServeSuite {
    /// Clients that never finish a request are closed at the configured limits (short ones here, set by flags),
    /// counted in /metrics, and never stop the server from answering everyone else.
    @Suite(
        "Slow and idle clients", .serialized,
        .sharedServer(ServeOptions(extraArguments: SlowClient.corpus?.limits.arguments ?? [])))
    struct SlowClients {
        @Test(
            "The slow-client corpus loads and covers trickled headers, a stalled body and thousands of idle connections"
        )
        func corpusLoads() throws {
            let (_, cases) = try SlowClient.load()
            let names = Set(cases.map(\.name))
            for required in [
                "headers trickled one byte a second", "a body that stops halfway", "thousands of idle connections",
                "a connection that sends nothing",
            ] {
                #expect(names.contains(required), "the corpus lacks \"\(required)\"")
            }
        }

        @Test(
            "Each slow client is closed for its reason, no earlier than the limit and soon after it, while others are served",
            arguments: SlowClient.corpus?.cases ?? [])
        func slowClientIsClosed(_ client: SlowClient) async throws {
            let server = try SharedServer.require()
            let limits = try #require(SlowClient.corpus?.limits)
            let limit = limits.limit(for: client.closedBy)
            let before = try await server.metrics()
            let port = server.port
            let fdsBefore = DescriptorLimit.openCount(of: server.pid)
            let fdPeak = PeakSampler()
            let sampler = Task {
                while !Task.isCancelled {
                    await fdPeak.record(DescriptorLimit.openCount(of: server.pid))
                    try? await Task.sleep(for: .milliseconds(100))
                }
            }

            // The slow client runs on a thread of its own; the server answers others meanwhile.
            async let endings = onThread { () -> Result<[RawSocket.Ending], TestFailure> in
                Result { try Self.run(client, port: port, within: limit + client.slack + .seconds(5)) }
                    .mapError { $0 as? TestFailure ?? TestFailure("\($0)") }
            }
            try await Task.sleep(for: .milliseconds(500))
            let (health, healthTime) = try await measure { try await server.client.get("/healthz") }
            #expect(health.status == 200)
            #expect(healthTime < .seconds(2), "/healthz took \(healthTime) while the slow client was connected")
            let invoke = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
            #expect(invoke.status == 200, "\(invoke)")

            let results = try await endings.get()
            sampler.cancel()
            let closedAfter = results.compactMap(\.closedAfter)
            #expect(
                closedAfter.count == results.count, "\(results.count - closedAfter.count) connections were never closed"
            )
            let earliest = closedAfter.min() ?? .zero
            let latest = closedAfter.max() ?? .zero
            print(
                "slow client \"\(client.name)\": \(results.count) connection(s) closed after \(earliest)…\(latest) (limit \(limit))"
            )
            // Never before the limit (less a little for when the clock started), and soon after it.
            #expect(earliest >= limit - .milliseconds(150), "closed after \(earliest), before the \(limit) limit")
            #expect(latest <= limit + client.slack, "closed after \(latest): the limit is \(limit)")
            if let status = client.expectStatus {
                for ending in results {
                    let response = try #require(ending.response, "no answer: \(ending.received.count) bytes")
                    #expect(response.status == status, "\(response)")
                    if status >= 400 {
                        #expect((try? response.jsonObject())?["message"] is String, "\(response)")
                        #expect(response.header("Connection")?.lowercased() == "close", "\(response)")
                    }
                }
            }
            let after = try await server.metrics()
            let counted =
                (after.value("fnhost_connections_closed_total", ["listener": "serve", "reason": client.closedBy]) ?? 0)
                - (before.value("fnhost_connections_closed_total", ["listener": "serve", "reason": client.closedBy])
                    ?? 0)
            #expect(Int(counted) >= results.count, "/metrics counted \(counted) closures for \(client.closedBy)")
            if case .idleConnections(let count) = client.kind {
                // Every connection held a descriptor of the server's, and gave it back when it was closed.
                let peak = await fdPeak.value
                var fdsAfter = DescriptorLimit.openCount(of: server.pid)
                _ = await eventually(within: .seconds(5)) {
                    fdsAfter = DescriptorLimit.openCount(of: server.pid)
                    return fdsAfter <= fdsBefore + 16
                }
                print(
                    "server descriptors with \(count) idle connections: before \(fdsBefore), peak \(peak), after \(fdsAfter)"
                )
                // They pile up (how many at once depends on how fast this machine lets the server accept them).
                #expect(peak >= fdsBefore + count / 2, "the server held \(peak) descriptors at most")
                #expect(fdsAfter <= fdsBefore + 16, "descriptors: \(fdsBefore) before, \(fdsAfter) after")
            }
            #expect(server.exitStatus == nil, "fnhost serve died: \(server.capture.error.suffix(2000))")
        }

        /// Plays one slow client and returns how each of its connections ended (times from its first byte, or from
        /// its opening when it sends none).
        static func run(_ client: SlowClient, port: Int, within limit: Duration) throws -> [RawSocket.Ending] {
            switch client.kind {
            case .trickle(let interval):
                let socket = try RawSocket.connect(port: port)
                defer { socket.close() }
                return [socket.trickle(client.bytes, every: interval, within: limit)]
            case .stop:
                let socket = try RawSocket.connect(port: port)
                defer { socket.close() }
                socket.send(client.bytes)
                return [socket.waitForClose(within: limit)]
            case .idleConnections(let count):
                DescriptorLimit.raise(to: count + 1024)
                var sockets: [RawSocket] = []
                defer { for socket in sockets { socket.close() } }
                for _ in 0..<count { sockets.append(try RawSocket.connect(port: port)) }
                return RawSocket.waitForClose(sockets, within: limit)
            }
        }
    }
}

/// The largest value seen, from a sampling task.
actor PeakSampler {
    private(set) var value = 0
    func record(_ sample: Int) { value = max(value, sample) }
}
