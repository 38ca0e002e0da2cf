import Foundation
@_spi(Fuzzing) import LambdaRuntime
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

// A minimal HTTP/1.1 client over a POSIX socket: one request per connection (`Connection: close`), any bytes at all
// (the bad-request corpus sends malformed HTTP on purpose), reading while it writes (so that an early answer to an
// oversized upload is seen even when the server stops reading), on a thread of its own per request.

struct HTTPHeader: Sendable {
    var name: String
    var value: String
}

struct HTTPResponse: Sendable, CustomStringConvertible {
    var status: Int
    var headers: [HTTPHeader]
    var body: [UInt8]

    /// The first header with this name (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object; throws with the body's text when it is not one.
    func jsonObject() throws -> [String: Any] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw TestFailure("\(status) body is not a JSON object: \(text.prefix(300))")
        }
        return object
    }

    var description: String {
        "HTTP \(status) \(headers.map { "\($0.name): \($0.value)" }) \(text.prefix(300))"
    }
}

/// What came back for a request: a response, or the connection's end without one.
struct HTTPExchange: Sendable {
    var response: HTTPResponse?
    /// Every byte received.
    var received: [UInt8]
    /// Bytes of the request the server took before the exchange ended.
    var sent: Int
    /// Why it ended without a response, if it did (reset, timeout, …).
    var failure: String?
}

struct HTTPClient: Sendable {
    let port: Int
    var timeout: Duration = .seconds(30)

    /// Sends one request and returns the response; throws when none came.
    func send(
        _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
    ) async throws -> HTTPResponse {
        let exchange = await exchange(Self.request(method, path, port: port, headers: headers, body: body))
        guard let response = exchange.response else {
            throw TestFailure(
                "\(method) \(path): no response (\(exchange.failure ?? "connection closed")); received \(exchange.received.count) bytes"
            )
        }
        return response
    }

    func get(_ path: String, headers: [(String, String)] = []) async throws -> HTTPResponse {
        try await send("GET", path, headers: headers)
    }

    func post(_ path: String, headers: [(String, String)] = [], body: String) async throws -> HTTPResponse {
        try await send("POST", path, headers: headers, body: Array(body.utf8))
    }

    /// Lambda's Invoke API: `POST /2015-03-31/functions/NAME/invocations`.
    func invoke(
        _ function: String, payload: String, type: String? = nil, headers: [(String, String)] = []
    ) async throws -> HTTPResponse {
        var all = headers
        if let type { all.append(("X-Amz-Invocation-Type", type)) }
        return try await post("/2015-03-31/functions/\(function)/invocations", headers: all, body: payload)
    }

    /// Sends raw bytes and reports what came back.
    func exchange(_ bytes: [UInt8]) async -> HTTPExchange {
        let port = port
        let timeout = timeout
        return await onThread { Self.blockingExchange(port: port, request: bytes, timeout: timeout) }
    }

    /// The bytes of a well-formed request, `Connection: close`, with `Content-Length` whenever there is a body or
    /// the method usually has one.
    static func request(
        _ method: String, _ path: String, port: Int, headers: [(String, String)], body: [UInt8]
    ) -> [UInt8] {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(method) { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        return Array(head.utf8) + body
    }

    // MARK: The exchange itself

    private static func blockingExchange(port: Int, request: [UInt8], timeout: Duration) -> HTTPExchange {
        let deadline = ContinuousClock.now + timeout
        let fd = socket(
            AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else {
            return HTTPExchange(response: nil, received: [], sent: 0, failure: "socket: \(errorText())")
        }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected != 0 && errno != EINPROGRESS {
            return HTTPExchange(response: nil, received: [], sent: 0, failure: "connect: \(errorText())")
        }

        var sent = 0
        var writing = true
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var failure: String?
        loop: while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { failure = "timed out after \(timeout)"; break }
            let ms = Int32(
                min(
                    remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1,
                    1000))
            var pfd = pollfd(fd: fd, events: Int16(POLLIN) | (writing ? Int16(POLLOUT) : 0), revents: 0)
            let ready = poll(&pfd, 1, ms)
            if ready < 0 {
                if errno == EINTR { continue }
                failure = "poll: \(errorText())"
                break
            }
            if ready == 0 { continue }
            if pfd.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n > 0 {
                    received.append(contentsOf: buffer[0..<n])
                    if case .complete = HTTPParser.parse(received, atEOF: false) { break loop }
                } else if n == 0 {
                    break loop
                } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                    failure = "recv: \(errorText())"
                    break loop
                }
            }
            if writing && pfd.revents & Int16(POLLOUT) != 0 {
                if sent == request.count {
                    writing = false
                } else {
                    let n = request.withUnsafeBytes { raw in
                        Glibc.send(fd, raw.baseAddress! + sent, min(request.count - sent, 262_144), Int32(MSG_NOSIGNAL))
                    }
                    if n > 0 {
                        sent += n
                        if sent == request.count { writing = false }
                    } else if n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                        // The server stopped reading (an early answer, or a refusal): keep reading what it says.
                        writing = false
                    }
                }
            }
        }
        let response: HTTPResponse?
        if case .complete(let r) = HTTPParser.parse(received, atEOF: true) { response = r } else { response = nil }
        return HTTPExchange(
            response: response, received: received, sent: sent, failure: response == nil ? failure : nil)
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }
}

/// Parses one HTTP/1.1 response from the bytes received so far, with the worker runtime's parser: fnhost has one
/// parser of HTTP answers, and the server's tests read every answer with it too.
enum HTTPParser {
    enum Result {
        case incomplete
        case complete(HTTPResponse)
        case malformed(String)
    }

    static func parse(_ bytes: [UInt8], atEOF: Bool) -> Result {
        var parser = HTTPResponseParser()
        parser.append(bytes)
        do {
            if let message = try parser.next() ?? (atEOF ? try parser.endOfInput() : nil) {
                return .complete(
                    HTTPResponse(
                        status: message.status,
                        headers: message.headers.map { HTTPHeader(name: $0.name, value: $0.value) },
                        body: message.body))
            }
            return atEOF ? .malformed(bytes.isEmpty ? "no answer" : "no complete answer") : .incomplete
        } catch {
            return .malformed("\(error)")
        }
    }
}

/// Prometheus text exposition, read just enough for assertions.
struct PrometheusText: Sendable {
    let text: String

    /// The sum of every sample of `name` whose labels include all of `labels`; nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard line.hasPrefix(name) else { continue }
            let rest = line.dropFirst(name.count)
            guard rest.first == "{" || rest.first == " " else { continue }
            let labelText = rest.first == "{" ? String(rest.prefix { $0 != "}" }) : ""
            guard labels.allSatisfy({ labelText.contains("\($0.key)=\"\($0.value)\"") }),
                let number = line.split(separator: " ").last.flatMap({ Double($0) })
            else { continue }
            total = (total ?? 0) + number
        }
        return total
    }
}
