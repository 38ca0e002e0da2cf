import Foundation
import Synchronization

/// A small blocking HTTP/1.1 server on 127.0.0.1 (port 0, so tests never collide), one thread per connection, for
/// testing the worker's client, its Invoke API calls and its runtime loop over real TCP.
///
/// Requests on a connection are read and answered in order (keep-alive, pipelining). A handler runs on the
/// connection's thread and may block (that is how a slow function is stood for). Every request is recorded, with
/// whether the next request's bytes had already arrived when it was read (pipelining), and the server counts how
/// many requests were being handled at once.
final class TestHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header names lower-cased.
        var headers: [String: String]
        var body: [UInt8]
        /// Which connection (0, 1, …) it came on.
        var connection: Int
        /// Bytes of a further request were already received when this one was read.
        var followedByPipelinedBytes: Bool
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// What to answer: a status, headers and a body (Content-Length is added), or raw bytes sent as they are; then
    /// keep the connection, or close it.
    struct Reply: Sendable {
        var raw: [UInt8]
        var close: Bool

        init(status: Int, headers: [(String, String)] = [], body: [UInt8] = [], close: Bool = false) {
            var head = "HTTP/1.1 \(status) Status\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            head += "Content-Length: \(body.count)\r\n\r\n"
            raw = Array(head.utf8) + body
            self.close = close
        }

        init(raw: String, close: Bool = false) {
            self.raw = Array(raw.utf8)
            self.close = close
        }

        static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
            Reply(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
        }

        /// Close the connection without answering.
        static let hangUp = Reply(rawBytes: [], close: true)

        private init(rawBytes: [UInt8], close: Bool) {
            raw = rawBytes
            self.close = close
        }
    }

    typealias Handler = @Sendable (Request) -> Reply

    private struct State {
        var requests: [Request] = []
        var inFlight = 0
        var maxInFlight = 0
        var connections = 0
        var open: Set<Int32> = []
        var stopped = false
    }

    let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let state = Mutex(State())

    init(handler: @escaping Handler) throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw ServerError("socket: \(errno)") }
        var one: Int32 = 1
        setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(s, 64) == 0 else {
            close(s)
            throw ServerError("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = s
        self.handler = handler
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// `127.0.0.1:PORT`, as `AWS_LAMBDA_RUNTIME_API` carries it.
    var address: String { "127.0.0.1:\(port)" }
    var url: String { "http://\(address)" }

    var requests: [Request] { state.withLock { $0.requests } }
    /// The most requests handled at the same time.
    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var connections: Int { state.withLock { $0.connections } }

    /// Stops accepting and closes every connection.
    /// Only once, and under the lock: the descriptors are closed by their threads, and a number shut down twice
    /// could by then name another test's socket.
    func stop() {
        state.withLock { s in
            if s.stopped { return }
            s.stopped = true
            shutdown(listener, Int32(SHUT_RDWR))
            for fd in s.open { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }

    private func acceptLoop() {
        defer { _ = state.withLock { _ in close(listener) } }
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let connection = state.withLock { s -> Int? in
                if s.stopped { return nil }
                s.open.insert(fd)
                s.connections += 1
                return s.connections - 1
            }
            guard let connection else {
                close(fd)
                return
            }
            let thread = Thread { [self] in serve(fd, connection: connection) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        defer {
            state.withLock { s in
                s.open.remove(fd)
                close(fd)
            }
        }
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            if let (request, consumed) = Self.parse(buffer, connection: connection) {
                buffer.removeFirst(consumed)
                var recorded = request
                recorded.followedByPipelinedBytes = !buffer.isEmpty
                state.withLock { s in
                    s.requests.append(recorded)
                    s.inFlight += 1
                    s.maxInFlight = max(s.maxInFlight, s.inFlight)
                }
                let reply = handler(recorded)
                state.withLock { $0.inFlight -= 1 }
                var offset = 0
                while offset < reply.raw.count {
                    let n = reply.raw.withUnsafeBytes {
                        send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
                    }
                    if n <= 0 { return }
                    offset += n
                }
                if reply.close { return }
                continue
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
    }

    /// One complete request at the start of `buffer`, and how many bytes it took.
    private static func parse(_ buffer: [UInt8], connection: Int) -> (Request, Int)? {
        let end: [UInt8] = Array("\r\n\r\n".utf8)
        guard buffer.count >= 4,
            let headEnd = (0...(buffer.count - 4)).first(where: { Array(buffer[$0..<($0 + 4)]) == end })
        else { return nil }
        let lines = String(decoding: buffer[0..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = headEnd + 4
        guard buffer.count >= bodyStart + length else { return nil }
        let request = Request(
            method: String(parts[0]), path: String(parts[1]), headers: headers,
            body: Array(buffer[bodyStart..<(bodyStart + length)]), connection: connection,
            followedByPipelinedBytes: false
        )
        return (request, bodyStart + length)
    }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A port on 127.0.0.1 where nothing listens (bound, then closed): connecting to it is refused.
func unusedPort() throws -> UInt16 {
    let server = try TestHTTPServer { _ in .hangUp }
    let port = server.port
    server.stop()
    return port
}
