import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension ServeSuite {
    /// The live page's data on `fnhost serve`: `/fnhost/snapshot`, the `/fnhost/events` stream and the page itself.
    @Suite("Live page data")
    struct Dashboard {
        @Test("The snapshot counts real invocations and shows the pool; the page is served to browsers only")
        func snapshotCountsInvocations() async throws {
            try await withServer { server in
                for i in 0..<5 {
                    let r = try await server.client.get("/orgs/ORG-00\(40 + i)")
                    #expect(r.status == 200, "\(r)")
                }
                let response = try await server.client.get("/fnhost/snapshot")
                #expect(response.status == 200)
                #expect(response.header("Content-Type") == "application/json")
                let snapshot = try response.jsonObject()
                let functions = try #require(snapshot["functions"] as? [[String: Any]])
                let org = try #require(functions.first { $0["name"] as? String == "org-status" }, "\(functions)")
                let totals = try #require(org["totals"] as? [String: Any])
                #expect(totals["invocations"] as? Int == 5)
                #expect(totals["coldStarts"] as? Int == 1)
                let workers = try #require(org["workers"] as? [String: Int])
                #expect(workers["idle"] == 1, "one warm worker served the five requests one after another: \(workers)")
                let latency = try #require(org["latency"] as? [String: Any])
                let measured = try #require(latency["measured"] as? [String: Any])
                #expect(measured["count"] as? Int == 5)
                let seconds = try #require(org["seconds"] as? [[String: Any]])
                #expect(seconds.count == 60)
                // Every function is listed, even one never invoked.
                #expect(functions.contains { $0["name"] as? String == "hello-shell" })

                let page = try await server.client.get("/", headers: [("Accept", "text/html,application/xhtml+xml")])
                #expect(page.status == 200)
                #expect(page.header("Content-Type") == "text/html; charset=utf-8")
                #expect(page.text.contains(#"id="functions""#) && page.text.contains("/fnhost/events"))
                // Nothing from elsewhere: the only absolute URL is SVG's namespace name, which is never fetched.
                let elsewhere = page.text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "")
                #expect(
                    !elsewhere.contains("http://") && !elsewhere.contains("https://") && !elsewhere.contains("//cdn"))
                #expect(try await server.client.get("/fnhost/").status == 200)
                // Not a browser: `/` is what it was (no gateway route there: 404 JSON).
                let api = try await server.client.get("/")
                #expect(api.status == 404)
                #expect(try await server.client.post("/fnhost/snapshot", body: "").status == 405)
            }
        }

        @Test("An event stream outlives the idle timeout with a snapshot a second, and SIGTERM ends it at once")
        func eventStreamOutlivesIdleTimeoutAndEndsOnShutdown() async throws {
            var options = ServeOptions(drainTimeout: 30)
            options.extraArguments = ["--idle-timeout", "1"]
            try await withServer(options) { server in
                let request = Array("GET /fnhost/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n".utf8)
                let socket = try RawSocket.connect(port: server.port)
                defer { socket.close() }
                #expect(socket.send(request))
                let ending = await onThread { socket.waitForClose(within: .milliseconds(3500)) }
                let text = String(decoding: ending.received, as: UTF8.self)
                #expect(ending.closedAfter == nil, "the stream was cut after \(String(describing: ending.closedAfter))")
                #expect(text.hasPrefix("HTTP/1.1 200"))
                #expect(text.lowercased().contains("content-type: text/event-stream"))
                #expect(text.contains("retry: 2000\n"))
                let events = text.components(separatedBy: "event: snapshot\n").count - 1
                #expect(events >= 3, "a snapshot at once, then one a second: \(events) in 3.5 s")

                // A second stream is open when SIGTERM comes: the server does not wait the 30 s drain for it.
                let other = try RawSocket.connect(port: server.port)
                defer { other.close() }
                #expect(other.send(request))
                _ = await onThread { other.waitForClose(within: .milliseconds(300)) }
                let (_, elapsed) = await measure {
                    server.signal(SIGTERM)
                    return await server.waitForExit(within: .seconds(20))
                }
                #expect(server.exitStatus == .exited(0))
                #expect(elapsed < .seconds(10), "shutdown waited \(elapsed) for the event streams")
            }
        }

        @Test("Event streams count against --max-connections like any connection, and free their slot when closed")
        func eventStreamsCountAgainstTheConnectionLimit() async throws {
            try await withServer(ServeOptions(extraArguments: ["--max-connections", "2"])) { server in
                var streams: [RawSocket] = []
                for _ in 0..<2 {
                    let s = try RawSocket.connect(port: server.port)
                    s.send(Array("GET /fnhost/events HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                    let first = await onThread { s.waitForClose(within: .milliseconds(500)) }
                    #expect(String(decoding: first.received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
                    streams.append(s)
                }
                let refused = try await server.client.get("/healthz")
                #expect(refused.status == 503, "\(refused)")
                streams.removeLast().close()
                let admitted = await eventually(within: .seconds(10)) {
                    (try? await server.client.get("/healthz"))?.status == 200
                }
                #expect(admitted, "the closed stream's slot was never freed")
                for s in streams { s.close() }
            }
        }

        @Test("Readers that never read hold nothing up: invocations and snapshots go on while their streams wait")
        func stalledReadersDoNotSlowInvocations() async throws {
            try await withServer { server in
                var stalled: [RawSocket] = []
                defer { for s in stalled { s.close() } }
                for _ in 0..<4 {
                    let s = try RawSocket.connect(port: server.port)
                    s.send(Array("GET /fnhost/events HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                    stalled.append(s)
                }
                // Several seconds of snapshots pile up for readers that read nothing, while requests run.
                var statuses: [Int] = []
                for i in 0..<30 {
                    statuses.append((try? await server.client.get("/orgs/ORG-00\(10 + i)"))?.status ?? 0)
                    try? await Task.sleep(for: .milliseconds(100))
                }
                #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
                let snapshot = try await server.client.get("/fnhost/snapshot").jsonObject()
                let functions = try #require(snapshot["functions"] as? [[String: Any]])
                let org = try #require(functions.first { $0["name"] as? String == "org-status" })
                #expect((org["totals"] as? [String: Any])?["invocations"] as? Int == 30)
            }
        }
    }
}
