#if canImport(Glibc)
import Glibc
#endif

/// A small blocking HTTP/1.1 client over one keep-alive TCP connection, for the Runtime API and the Invoke API on
/// loopback: no libcurl (whose dependency tree — OpenSSL, GnuTLS, Kerberos, LDAP, libssh2… — costs a worker about
/// 4 ms at every spawn and 6 MB of resident pages, for plain HTTP on 127.0.0.1).
///
/// The interface of the libcurl client it replaced. Requests carry `Content-Length`; responses are read by
/// `Content-Length` or chunked transfer coding. A request on a connection the server closed is retried once on a new
/// connection (only when nothing of the response was read). Not thread-safe: each owner keeps its own.
///
/// SPI for the benchmark runner, whose HTTP floor must use exactly the client fnhost's workers use.
@_spi(Benchmark) public final class HTTPClient {
    public struct Response {
        public var status: Int
        public var body: [UInt8]
        public var headers: [String: String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case transport(code: Int, message: String)
        public var description: String {
            switch self {
            case .transport(let code, let message): "HTTP transport error \(code): \(message)"
            }
        }
    }

    private var fd: Int32 = -1
    private var endpoint: (host: String, port: UInt16)?
    private var buffer: [UInt8] = []
    private var start = 0

    public init() {}

    /// Where `recv` writes, allocated once (not 16 KB allocated and zeroed per read).
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 1)

    deinit {
        if fd >= 0 { close(fd) }
        chunk.deallocate()
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
            method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil, wantHeaders: [String] = []
        ) {
            self.method = method
            self.url = url
            self.headers = headers
            self.body = body
            self.wantHeaders = wantHeaders
        }
    }

    public func perform(
        method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeoutMs: Int = 0, wantHeaders: [String] = []
    ) throws(Failure) -> Response {
        try perform([Request(method: method, url: url, headers: headers, body: body, wantHeaders: wantHeaders)],
                    timeoutMs: timeoutMs)[0]
    }

    /// Sends the requests back to back on one connection (HTTP/1.1 pipelining: one write, the server answers them
    /// in order) and reads every answer. The runtime loop sends its answer and its next `GET next` this way, so the
    /// host has the worker's next request in hand by the time the invocation's caller resumes.
    /// All requests go to the same host and port.
    public func perform(_ requests: [Request], timeoutMs: Int = 0) throws(Failure) -> [Response] {
        var target: (host: String, port: UInt16)?
        var bytes: [UInt8] = []
        for r in requests {
            guard let (host, port, path) = Self.split(r.url) else { throw .transport(code: 3, message: "bad URL \(r.url)") }
            if let t = target, t.host != host || t.port != port {
                throw .transport(code: 3, message: "pipelined requests must share one host and port: \(r.url)")
            }
            target = (host, port)
            var head = r.method + " " + path + " HTTP/1.1\r\nHost: " + host + ":" + String(port) + "\r\n"
            for (name, value) in r.headers { head += name + ": " + value + "\r\n" }
            if let body = r.body { head += "Content-Length: " + String(body.count) + "\r\n" }
            head += "\r\n"
            bytes += Array(head.utf8)
            if let body = r.body { bytes += body }
        }
        guard let target else { return [] }
        for attempt in 0..<2 {
            let fresh = try connectIfNeeded(host: target.host, port: target.port)
            setTimeout(timeoutMs)
            var responses: [Response] = []
            do {
                try send(bytes)
                for r in requests { responses.append(try readResponse(wantHeaders: r.wantHeaders)) }
                return responses
            } catch let failure {
                disconnect()
                // A kept-alive connection the server closed meanwhile (before answering anything): retry once on a
                // new one.
                if case .transport(let code, _) = failure, code == 52, !fresh, attempt == 0, responses.isEmpty { continue }
                throw failure
            }
        }
        throw .transport(code: 52, message: "the server closed the connection")
    }

    // MARK: Connection

    private func connectIfNeeded(host: String, port: UInt16) throws(Failure) -> Bool {
        if fd >= 0, let e = endpoint, e.host == host, e.port == port { return false }
        disconnect()
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &address.sin_addr) == 1 else {
            throw .transport(code: 6, message: "only IPv4 literals and localhost are supported: \(host)")
        }
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard s >= 0 else { throw .transport(code: 7, message: "socket: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        _ = setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let message = String(cString: strerror(errno))
            close(s)
            throw .transport(code: 7, message: "connect \(host):\(port): \(message)")
        }
        fd = s
        endpoint = (host, port)
        buffer.removeAll(keepingCapacity: true)
        start = 0
        return true
    }

    private func disconnect() {
        if fd >= 0 { close(fd) }
        fd = -1
        endpoint = nil
        buffer.removeAll(keepingCapacity: true)
        start = 0
    }

    private func setTimeout(_ ms: Int) {
        var tv = timeval(tv_sec: ms / 1000, tv_usec: (ms % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    private func send(_ bytes: [UInt8]) throws(Failure) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { throw .transport(code: 55, message: "send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    // MARK: Response

    /// Reads more bytes into the buffer; false at end-of-file.
    private func fill() throws(Failure) -> Bool {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        while true {
            let n = recv(fd, chunk.baseAddress, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw .transport(code: 28, message: "timed out") }
            if n < 0 { throw .transport(code: 56, message: "recv: \(String(cString: strerror(errno)))") }
            if n == 0 { return false }
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[0..<n]))
            return true
        }
    }

    private func readLine() throws(Failure) -> String {
        while true {
            if let i = buffer[start...].firstIndex(of: 0x0A) {
                var end = i
                if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = i + 1
                return line
            }
            guard try fill() else { throw .transport(code: 52, message: "the server closed the connection") }
        }
    }

    private func readBytes(_ count: Int) throws(Failure) -> [UInt8] {
        while buffer.count - start < count {
            guard try fill() else { throw .transport(code: 18, message: "the response body ended early") }
        }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    private func readResponse(wantHeaders: [String]) throws(Failure) -> Response {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .transport(code: 8, message: "bad status line: \(statusLine)")
        }
        var found: [String: String] = [:]
        let wanted = wantHeaders.map { ($0, $0.lowercased()) }
        var length: Int?
        var chunked = false
        var close = false
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            var value = Substring(line[line.index(after: colon)...])
            while value.first == " " || value.first == "\t" { value.removeFirst() }
            while value.last == " " || value.last == "\t" { value.removeLast() }
            switch name {
            case "content-length": length = Int(value)
            case "transfer-encoding": chunked = value.lowercased().contains("chunked")
            case "connection": close = value.lowercased() == "close"
            default: break
            }
            for (header, lower) in wanted where lower == name { found[header] = String(value) }
        }
        var body: [UInt8] = []
        if chunked {
            while true {
                let sizeLine = try readLine()
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw .transport(code: 8, message: "bad chunk size: \(sizeLine)")
                }
                if size == 0 {
                    while try !readLine().isEmpty {}
                    break
                }
                body += try readBytes(size)
                _ = try readLine()
            }
        } else if let length {
            body = try readBytes(length)
        } else if status != 204 && status != 304 {
            while try fill() {}
            body = Array(buffer[start...])
            start = buffer.count
            close = true
        }
        if close { disconnect() }
        return Response(status: status, body: body, headers: found)
    }

    /// `http://HOST:PORT/PATH` → host, port, path.
    private static func split(_ url: String) -> (String, UInt16, String)? {
        guard url.hasPrefix("http://") else { return nil }
        let rest = url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard let colon = authority.lastIndex(of: ":"), let port = UInt16(authority[authority.index(after: colon)...]) else {
            return (String(authority), 80, path)
        }
        return (String(authority[..<colon]), port, path)
    }
}
