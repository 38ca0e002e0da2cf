#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client over one keep-alive TCP connection, for the Runtime API and the Invoke API on
/// loopback: no libcurl (whose dependency tree — OpenSSL, GnuTLS, Kerberos, LDAP, libssh2… — costs a worker about
/// 4 ms at every spawn and 6 MB of resident pages, for plain HTTP on 127.0.0.1).
///
/// This is the thin socket layer: it owns the file descriptor, connects, writes what ``HTTPRequestEncoder`` encodes
/// and feeds what it reads to an ``HTTPResponseParser``. A request on a kept-alive connection the server closed is
/// retried once on a new connection (only when nothing of the answer was read). Not thread-safe: each owner keeps its
/// own (``FunctionInvoker`` keeps a pool).
///
/// Failures keep libcurl's codes, which the client it replaced reported: 3 bad URL, 6 bad host, 7 cannot connect,
/// 8 malformed answer (the parser's message says what), 18 answer cut short, 28 timed out, 43 a request that cannot
/// be encoded, 52 closed before answering, 55 send failed, 56 receive failed, 63 answer larger than the parser's
/// limit.
///
/// SPI for the benchmark runner, whose HTTP floor must use exactly the client fnhost's workers use.
@_spi(Benchmark) public final class HTTPClient {
    /// One final answer, reduced to what callers read: its status, its body and the headers they asked for.
    public struct Response {
        public var status: Int
        public var body: [UInt8]
        /// The headers the request asked for (``Request/wantHeaders``), under the names it used.
        public var headers: [String: String]
    }

    /// Why a request got no answer: a libcurl-style code (see above) and a message saying what happened.
    public enum Failure: Error, CustomStringConvertible {
        case transport(code: Int, message: String)
        public var description: String {
            switch self {
            case .transport(let code, let message): "HTTP transport error \(code): \(message)"
            }
        }
    }

    /// One request: what `perform` sends.
    public struct Request {
        public var method: String
        public var url: String
        public var headers: [(String, String)]
        public var body: [UInt8]?
        /// The response headers to keep (case-insensitive); the others are skipped.
        public var wantHeaders: [String]

        public init(
            method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
            wantHeaders: [String] = []
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.wantHeaders = wantHeaders
        }
    }

    private var fd: Int32 = -1
    private var endpoint: HTTPRequestEncoder.Endpoint?
    private var parser: HTTPResponseParser
    private let limits: HTTPResponseParser.Limits

    /// Where `recv` writes, allocated once (not 16 KB allocated and zeroed per read).
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)

    public init() {
        limits = .default
        parser = HTTPResponseParser(limits: .default)
    }

    /// A client whose answers are bounded by `limits` rather than the defaults.
    init(limits: HTTPResponseParser.Limits) {
        self.limits = limits
        parser = HTTPResponseParser(limits: limits)
    }

    deinit {
        if fd >= 0 { close(fd) }
        chunk.deallocate()
    }

    /// Whether a connection is open (it may still have been closed by the server since).
    var isConnected: Bool { fd >= 0 }

    public func perform(
        method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeoutMs: Int = 0, wantHeaders: [String] = []
    ) throws(Failure) -> Response {
        try perform(
            [Request(method: method, url: url, headers: headers, body: body, wantHeaders: wantHeaders)],
            timeoutMs: timeoutMs)[0]
    }

    /// Sends the requests back to back on one connection (HTTP/1.1 pipelining: one write, the server answers them
    /// in order) and reads every answer. The runtime loop sends its answer and its next `GET next` this way, so the
    /// host has the worker's next request in hand by the time the invocation's caller resumes.
    /// All requests go to the same host and port. `timeoutMs` bounds each wait for bytes (0: no bound).
    public func perform(_ requests: [Request], timeoutMs: Int = 0) throws(Failure) -> [Response] {
        let encoded: (endpoint: HTTPRequestEncoder.Endpoint, bytes: [UInt8])?
        do {
            encoded = try HTTPRequestEncoder.encode(requests)
        } catch {
            switch error {
            case .badURL, .mixedEndpoints: throw .transport(code: 3, message: error.description)
            case .invalidField: throw .transport(code: 43, message: error.description)
            }
        }
        guard let (target, bytes) = encoded else { return [] }
        for attempt in 0..<2 {
            let fresh = try connectIfNeeded(target)
            setTimeout(timeoutMs)
            var responses: [Response] = []
            do throws(Failure) {
                try send(bytes)
                while responses.count < requests.count {
                    let message = try nextMessage()
                    responses.append(Self.response(message, keeping: requests[responses.count].wantHeaders))
                    if message.closesConnection {
                        disconnect()
                        if responses.count < requests.count {
                            throw .transport(
                                code: 52,
                                message:
                                    "the server closed the connection after \(responses.count) of \(requests.count) pipelined answers"
                            )
                        }
                    }
                }
                return responses
            } catch {
                disconnect()
                // A kept-alive connection the server closed meanwhile (before answering anything): retry once on a
                // new one.
                if case .transport(let code, _) = error, code == 52, !fresh, attempt == 0, responses.isEmpty {
                    continue
                }
                throw error
            }
        }
        throw .transport(code: 52, message: "the server closed the connection")
    }

    /// Reads until the parser has a complete answer.
    private func nextMessage() throws(Failure) -> HTTPResponseParser.Message {
        while true {
            do throws(HTTPResponseParser.ParseError) {
                if let message = try parser.next() { return message }
            } catch {
                throw Self.failure(error)
            }
            if try fill() { continue }
            let midResponse = parser.isMidResponse
            do throws(HTTPResponseParser.ParseError) {
                if let message = try parser.endOfInput() { return message }
            } catch {
                throw Self.failure(error)
            }
            throw midResponse
                ? .transport(code: 18, message: "the server closed the connection in the middle of an answer")
                : .transport(code: 52, message: "the server closed the connection")
        }
    }

    private static func failure(_ error: HTTPResponseParser.ParseError) -> Failure {
        switch error {
        case .truncated: .transport(code: 18, message: error.description)
        case .bodyTooLarge: .transport(code: 63, message: error.description)
        default: .transport(code: 8, message: error.description)
        }
    }

    private static func response(_ message: HTTPResponseParser.Message, keeping wanted: [String]) -> Response {
        var headers: [String: String] = [:]
        for header in wanted {
            if let value = message.header(header) { headers[header] = value }
        }
        return Response(status: message.status, body: message.body, headers: headers)
    }

    // MARK: Connection

    /// Connects unless already connected to `target`; true when the connection is new.
    private func connectIfNeeded(_ target: HTTPRequestEncoder.Endpoint) throws(Failure) -> Bool {
        if fd >= 0, endpoint == target { return false }
        disconnect()
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = target.port.bigEndian
        guard inet_pton(AF_INET, target.host == "localhost" ? "127.0.0.1" : target.host, &address.sin_addr) == 1 else {
            throw .transport(code: 6, message: "only IPv4 literals and localhost are supported: \(target.host)")
        }
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .transport(code: 7, message: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var rc: Int32
        repeat {
            rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } while rc != 0 && errno == EINTR
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            close(s)
            throw .transport(code: 7, message: "connect \(target.host):\(target.port): \(message)")
        }
        fd = s
        endpoint = target
        parser = HTTPResponseParser(limits: limits)
        return true
    }

    /// Closes the connection; the next request opens a new one.
    func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        endpoint = nil
        parser = HTTPResponseParser(limits: limits)
    }

    private func setTimeout(_ ms: Int) {
        var tv = timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    private func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw .transport(code: 55, message: "send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Reads more bytes into the parser; false at end-of-file.
    private func fill() throws(Failure) -> Bool {
        while true {
            let n = recv(fd, chunk.baseAddress, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw .transport(code: 28, message: "timed out") }
            if n < 0 {
                // A reset after the server closed: for the retry logic, the same as an end-of-file.
                if errno == ECONNRESET { return false }
                throw .transport(code: 56, message: "recv: \(String(cString: strerror(errno)))")
            }
            if n == 0 { return false }
            parser.append(UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            return true
        }
    }
}
