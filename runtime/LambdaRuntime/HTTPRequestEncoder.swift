/// Turns ``HTTPClient/Request``s into the bytes of HTTP/1.1 requests, and nothing else: no socket, no Foundation.
///
/// It exists apart from the socket code so that what the worker sends can be checked byte for byte without a server,
/// and so that pipelined requests (the runtime loop's answer and its next `GET next`) are encoded into one buffer the
/// socket layer writes at once. It refuses what would let a value smuggle a second request onto the connection: a
/// line end in a path, a header name or a value.
enum HTTPRequestEncoder {
    /// Where requests go: an IPv4 literal or `localhost`, and a port.
    struct Endpoint: Equatable, Sendable {
        var host: String
        var port: UInt16
    }

    /// Why requests cannot be encoded.
    enum EncodingError: Error, Equatable, CustomStringConvertible {
        /// Not `http://HOST[:PORT][/PATH]`, or a path with a space or control character.
        case badURL(String)
        /// Pipelined requests name different hosts or ports.
        case mixedEndpoints(String)
        /// A method, header name or header value that cannot be sent as is.
        case invalidField(String)

        var description: String {
            switch self {
            case .badURL(let url): "bad URL \(url): expected http://HOST:PORT/PATH with no spaces or control characters"
            case .mixedEndpoints(let url): "pipelined requests must share one host and port: \(url)"
            case .invalidField(let field): "cannot send \(field): names are tokens, values hold no line ends"
            }
        }
    }

    /// `http://HOST[:PORT][/PATH]` → endpoint and path (`/` when absent; port 80 when absent).
    static func split(_ url: String) throws(EncodingError) -> (endpoint: Endpoint, path: String) {
        guard url.hasPrefix("http://") else { throw .badURL(url) }
        let rest = url.utf8.dropFirst("http://".utf8.count)
        let slash = rest.firstIndex(of: UInt8(ascii: "/")) ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(Substring(rest[slash...]))
        guard path.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F }) else { throw .badURL(url) }
        let host: Substring.UTF8View
        var port: UInt16 = 80
        if let colon = authority.lastIndex(of: UInt8(ascii: ":")) {
            guard let p = UInt16(String(Substring(authority[authority.index(after: colon)...]))) else {
                throw .badURL(url)
            }
            port = p
            host = authority[..<colon]
        } else {
            host = authority
        }
        guard !host.isEmpty, host.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "@") }) else {
            throw .badURL(url)
        }
        return (Endpoint(host: String(Substring(host)), port: port), path)
    }

    /// The bytes of `requests`, back to back, and the endpoint they all go to; nil for no request.
    static func encode(_ requests: [HTTPClient.Request]) throws(EncodingError) -> (endpoint: Endpoint, bytes: [UInt8])?
    {
        var endpoint: Endpoint?
        var bytes: [UInt8] = []
        bytes.reserveCapacity(requests.reduce(0) { $0 + 256 + ($1.body?.count ?? 0) })
        for request in requests {
            let (target, path) = try split(request.url)
            if let endpoint, endpoint != target { throw .mixedEndpoints(request.url) }
            endpoint = target
            try append(request, path: path, host: target, to: &bytes)
        }
        guard let endpoint else { return nil }
        return (endpoint, bytes)
    }

    private static func append(
        _ request: HTTPClient.Request, path: String, host: Endpoint, to bytes: inout [UInt8]
    ) throws(EncodingError) {
        guard HTTPSyntax.isToken(request.method) else { throw .invalidField("method \(request.method)") }
        bytes += request.method.utf8
        bytes.append(UInt8(ascii: " "))
        bytes += path.utf8
        bytes += " HTTP/1.1\r\nHost: ".utf8
        bytes += host.host.utf8
        bytes.append(UInt8(ascii: ":"))
        bytes += String(host.port).utf8
        bytes += "\r\n".utf8
        for (name, value) in request.headers {
            guard HTTPSyntax.isToken(name) else { throw .invalidField("header name \(name)") }
            guard value.utf8.allSatisfy(HTTPSyntax.isFieldValueByte) else {
                throw .invalidField("the value of header \(name)")
            }
            bytes += name.utf8
            bytes += ": ".utf8
            bytes += value.utf8
            bytes += "\r\n".utf8
        }
        if let body = request.body {
            bytes += "Content-Length: ".utf8
            bytes += String(body.count).utf8
            bytes += "\r\n\r\n".utf8
            bytes += body
        } else {
            bytes += "\r\n".utf8
        }
    }
}
