import Foundation
import Synchronization
import Testing

@_spi(Benchmark) @testable import LambdaRuntime

@Suite("HTTP client over a real socket")
struct HTTPClientTests {
    @Test("a request gets its answer and only the headers it asked for, under the names it used")
    func wantedHeaders() throws {
        let server = try TestHTTPServer { _ in
            .json("{}", headers: [("X-Amz-Function-Error", "Unhandled"), ("X-Other", "1")])
        }
        defer { server.stop() }
        let response = try HTTPClient().perform(
            method: "POST", url: server.url + "/f", body: [], wantHeaders: ["x-amz-function-error"])
        #expect(response.status == 200)
        #expect(response.body == Array("{}".utf8))
        #expect(response.headers == ["x-amz-function-error": "Unhandled"])
    }

    @Test("pipelined requests leave in one write and their answers come back in order")
    func pipelined() throws {
        let server = try TestHTTPServer { .json("\"\($0.path)\"") }
        defer { server.stop() }
        let client = HTTPClient()
        let responses = try client.perform([
            HTTPClient.Request(method: "POST", url: server.url + "/one", body: Array("x".utf8)),
            HTTPClient.Request(method: "GET", url: server.url + "/two"),
        ])
        #expect(responses.map { String(decoding: $0.body, as: UTF8.self) } == ["\"/one\"", "\"/two\""])
        #expect(server.requests.first?.followedByPipelinedBytes == true)
    }

    @Test("after Connection: close the next request opens a new connection")
    func connectionClose() throws {
        let server = try TestHTTPServer { _ in
            TestHTTPServer.Reply(status: 200, headers: [("Connection", "close")], body: Array("a".utf8), close: true)
        }
        defer { server.stop() }
        let client = HTTPClient()
        for _ in 0..<3 { #expect(try client.perform(method: "GET", url: server.url + "/").body == Array("a".utf8)) }
        #expect(server.connections == 3)
    }

    @Test("a kept-alive connection the server closed meanwhile is retried once on a new one")
    func staleConnectionIsRetried() throws {
        // The server answers once per connection and then hangs up without saying so.
        let server = try TestHTTPServer { _ in TestHTTPServer.Reply(status: 200, body: Array("ok".utf8), close: true) }
        defer { server.stop() }
        let client = HTTPClient()
        #expect(try client.perform(method: "GET", url: server.url + "/").status == 200)
        #expect(try client.perform(method: "GET", url: server.url + "/").status == 200)
        #expect(server.connections == 2)
    }

    @Test("a body without a length is read until the server closes")
    func bodyUntilClose() throws {
        let server = try TestHTTPServer { _ in
            TestHTTPServer.Reply(raw: "HTTP/1.1 200 OK\r\n\r\nall of it", close: true)
        }
        defer { server.stop() }
        #expect(try HTTPClient().perform(method: "GET", url: server.url + "/").body == Array("all of it".utf8))
    }

    @Test(
        "a server that sends a negative or absurd length gets a clear error, not a trap",
        arguments: [
            ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", 8),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 8),
            ("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n", 8),
            ("HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n", 63),
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", 18),
        ]
    )
    func hostileAnswers(raw: String, code: Int) throws {
        let server = try TestHTTPServer { _ in TestHTTPServer.Reply(raw: raw, close: true) }
        defer { server.stop() }
        do {
            _ = try HTTPClient().perform(method: "GET", url: server.url + "/")
            Issue.record("accepted \(raw.debugDescription)")
        } catch {
            guard case .transport(let got, let message) = error else { return }
            #expect(got == code, "\(message)")
        }
    }

    @Test("a server that does not answer in time is a timeout (28)")
    func timeout() throws {
        let release = Mutex(false)
        let server = try TestHTTPServer { _ in
            // Holds the answer until the test is done with it, then hangs up.
            let deadline = ContinuousClock.now + .seconds(5)
            while !release.withLock({ $0 }) && ContinuousClock.now < deadline { usleep(1000) }
            return .hangUp
        }
        defer {
            release.withLock { $0 = true }
            server.stop()
        }
        #expect {
            _ = try HTTPClient().perform(method: "GET", url: server.url + "/", timeoutMs: 100)
        } throws: { error in
            guard case .transport(let code, _) = error as? HTTPClient.Failure else { return false }
            return code == 28
        }
    }

    @Test("nothing listening is a connect error (7)")
    func refused() throws {
        let port = try unusedPort()
        #expect {
            _ = try HTTPClient().perform(method: "GET", url: "http://127.0.0.1:\(port)/")
        } throws: { error in
            guard case .transport(let code, _) = error as? HTTPClient.Failure else { return false }
            return code == 7
        }
    }
}
