/// An incremental HTTP/1.1 response parser: bytes in, complete responses out. No I/O, no Foundation.
///
/// It exists apart from the socket code (``HTTPClient``) so that everything a server can send — `Content-Length` and
/// chunked bodies, `100 Continue` and other interim answers, several pipelined answers in one read, an answer split
/// anywhere, a body that runs until the connection closes — is handled, and tested, without a socket. Bytes come from
/// another process, so nothing it is given can make it trap: a negative, non-numeric or oversized length or chunk
/// size, a head too large or with too many fields, and a malformed line are each a ``ParseError``.
///
/// Feed it with ``append(_:)``, take answers with ``next()`` until it returns nil (more bytes needed), and call
/// ``endOfInput()`` when the peer closes the connection. Not thread-safe: one parser per connection.
@_spi(Fuzzing) public struct HTTPResponseParser {
    /// Bounds on what the parser accepts, so that a peer cannot make it hold unbounded memory.
    public struct Limits: Sendable, Equatable {
        /// Status line and header fields together, line ends included (trailers have the same budget of their own).
        public var maxHeadBytes: Int
        /// Header fields of one answer (trailer fields are counted apart, with the same limit).
        public var maxHeaderCount: Int
        /// The body, however it is framed.
        public var maxBodyBytes: Int
        /// One chunk-size line, extensions included.
        public var maxChunkLineBytes: Int

        public init(maxHeadBytes: Int, maxHeaderCount: Int, maxBodyBytes: Int, maxChunkLineBytes: Int) {
            self.maxHeadBytes = maxHeadBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
            self.maxChunkLineBytes = maxChunkLineBytes
        }

        /// Room for the largest Runtime API event and Invoke API answer (6 MB) with margin; far beyond what the host
        /// sends in a head.
        public static let `default` = Limits(
            maxHeadBytes: 64 * 1024, maxHeaderCount: 100, maxBodyBytes: 16 * 1024 * 1024, maxChunkLineBytes: 4 * 1024
        )
    }

    /// One complete final answer (interim `1xx` answers are consumed, never returned).
    public struct Message: Sendable {
        public var status: Int
        /// Every header field in the order received, names as sent.
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]
        /// The server closes the connection after this answer (`Connection: close`, HTTP/1.0 without keep-alive, or
        /// a body that ran until the connection closed): nothing more can be read from it.
        public var closesConnection: Bool

        /// The first value of the header `name` (case-insensitive).
        public func header(_ name: String) -> String? {
            headers.first { HTTPSyntax.equalsIgnoringASCIICase($0.name.utf8, name.utf8) }?.value
        }
    }

    /// Why the bytes received are not an HTTP/1.1 response. The message quotes what was wrong (shortened and
    /// escaped), so that whoever reads a worker's log can tell a broken server from a broken connection.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case malformedStatusLine(String)
        /// `101 Switching Protocols`: this client never asks to upgrade.
        case unexpectedUpgrade
        case malformedHeader(String)
        /// Negative, non-numeric, overflowing, or two different values.
        case invalidContentLength(String)
        /// Not hexadecimal, or overflowing.
        case invalidChunkSize(String)
        /// A chunk's data not followed by its line end.
        case malformedChunk(String)
        case headTooLarge(limit: Int)
        case tooManyHeaders(limit: Int)
        /// `length` is the declared length when there is one (nil for a chunked body or one read until close).
        case bodyTooLarge(length: Int?, limit: Int)
        case chunkLineTooLong(limit: Int)
        /// The connection closed in the middle of an answer; `detail` says where.
        case truncated(String)

        public var description: String {
            switch self {
            case .malformedStatusLine(let line): "malformed HTTP status line: \(line)"
            case .unexpectedUpgrade: "the server switched protocols (101), which this client never asks for"
            case .malformedHeader(let line): "malformed HTTP header field: \(line)"
            case .invalidContentLength(let value):
                "invalid Content-Length \(value): expected one whole number of bytes, 0 or more"
            case .invalidChunkSize(let line): "invalid chunk size line \(line): expected a hexadecimal size"
            case .malformedChunk(let detail): "malformed chunked body: \(detail)"
            case .headTooLarge(let limit): "the response head is larger than \(limit) bytes"
            case .tooManyHeaders(let limit): "the response has more than \(limit) header fields"
            case .bodyTooLarge(let length?, let limit):
                "the response body (\(length) bytes) is larger than \(limit) bytes"
            case .bodyTooLarge(nil, let limit): "the response body is larger than \(limit) bytes"
            case .chunkLineTooLong(let limit): "a chunk size line is longer than \(limit) bytes"
            case .truncated(let detail): "the connection closed in the middle of a response (\(detail))"
            }
        }
    }

    private enum State {
        case statusLine
        case headers
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilEndOfInput
        /// ``endOfInput()`` was called: nothing more comes.
        case ended
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    /// Bytes before this index are consumed.
    private var position = 0
    /// Where the search for the next line end resumes: bytes between `position` and here hold none.
    private var scanFrom = 0
    private var state = State.statusLine

    // The answer being read.
    private var status = 0
    private var http10 = false
    private var headers: [(name: String, value: String)] = []
    private var body: [UInt8] = []
    private var headBytes = 0
    private var trailerCount = 0
    private var contentLength: Int?
    private var chunked = false
    private var otherTransferCoding = false
    private var connectionClose = false
    private var connectionKeepAlive = false

    public init(limits: Limits = .default) {
        self.limits = limits
    }

    /// Whether part of an answer has been received but not yet returned by ``next()``.
    public var isMidResponse: Bool {
        switch state {
        case .statusLine: position < buffer.count
        case .ended: false
        default: true
        }
    }

    /// Adds bytes received from the connection.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Adds bytes received from the connection.
    public mutating func append(_ bytes: [UInt8]) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete answer, or nil when more bytes are needed. After an error the connection's byte stream is
    /// unusable: close it and start a new parser.
    public mutating func next() throws(ParseError) -> Message? {
        while true {
            switch state {
            case .ended:
                return nil
            case .statusLine:
                guard
                    let line = try takeLine(
                        limit: limits.maxHeadBytes, tooLong: .headTooLarge(limit: limits.maxHeadBytes))
                else { return nil }
                headBytes = line.consumed
                try parseStatusLine(line.range)
                state = .headers
            case .headers:
                let remaining = limits.maxHeadBytes - headBytes
                guard let line = try takeLine(limit: remaining, tooLong: .headTooLarge(limit: limits.maxHeadBytes))
                else { return nil }
                headBytes += line.consumed
                if line.range.isEmpty {
                    if let message = try headComplete() { return message }
                } else {
                    guard headers.count < limits.maxHeaderCount else {
                        throw .tooManyHeaders(limit: limits.maxHeaderCount)
                    }
                    try parseHeader(line.range)
                }
            case .fixedBody(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken == remaining { return finish() }
                state = .fixedBody(remaining: remaining - taken)
                return nil
            case .chunkSize:
                guard
                    let line = try takeLine(
                        limit: limits.maxChunkLineBytes, tooLong: .chunkLineTooLong(limit: limits.maxChunkLineBytes))
                else { return nil }
                let size = try Self.chunkSize(buffer[line.range])
                if size == 0 {
                    // Trailer fields get a head's budget of their own.
                    headBytes = 0
                    trailerCount = 0
                    state = .trailers
                } else {
                    guard size <= limits.maxBodyBytes - body.count else {
                        throw .bodyTooLarge(length: nil, limit: limits.maxBodyBytes)
                    }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let taken = takeBody(upTo: remaining)
                if taken < remaining {
                    state = .chunkData(remaining: remaining - taken)
                    return nil
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard let line = try takeLine(limit: 2, tooLong: .malformedChunk("chunk data longer than its size"))
                else { return nil }
                guard line.range.isEmpty else { throw .malformedChunk("chunk data longer than its size") }
                state = .chunkSize
            case .trailers:
                let remaining = limits.maxHeadBytes - headBytes
                guard let line = try takeLine(limit: remaining, tooLong: .headTooLarge(limit: limits.maxHeadBytes))
                else { return nil }
                headBytes += line.consumed
                if line.range.isEmpty { return finish() }
                trailerCount += 1
                guard trailerCount <= limits.maxHeaderCount else { throw .tooManyHeaders(limit: limits.maxHeaderCount) }
                // Trailer fields are checked for form and dropped: nothing fnhost reads travels in them.
                _ = try Self.field(buffer[line.range])
            case .untilEndOfInput:
                let available = buffer.count - position
                guard available <= limits.maxBodyBytes - body.count else {
                    throw .bodyTooLarge(length: nil, limit: limits.maxBodyBytes)
                }
                _ = takeBody(upTo: available)
                return nil
            }
        }
    }

    /// The peer closed the connection. Returns the answer whose body ran until now, if one did; throws when the
    /// connection closed in the middle of any other answer. Nothing is parsed after this.
    public mutating func endOfInput() throws(ParseError) -> Message? {
        let state = self.state
        self.state = .ended
        switch state {
        case .ended:
            return nil
        case .statusLine:
            if position == buffer.count { return nil }
            throw .truncated("in the status line")
        case .headers:
            throw .truncated("in the header fields")
        case .fixedBody(let remaining):
            throw .truncated("\(body.count) of \(body.count + remaining) body bytes received")
        case .chunkSize, .chunkData, .chunkDataEnd:
            throw .truncated("in a chunked body, after \(body.count) bytes")
        case .trailers:
            throw .truncated("in the trailer fields")
        case .untilEndOfInput:
            let available = buffer.count - position
            guard available <= limits.maxBodyBytes - body.count else {
                throw .bodyTooLarge(length: nil, limit: limits.maxBodyBytes)
            }
            _ = takeBody(upTo: available)
            var message = finish()
            message.closesConnection = true
            return message
        }
    }

    // MARK: Lines

    /// The next line (without its LF, or CRLF), or nil when the buffer holds no complete line yet.
    /// `consumed` counts the line end too. Throws `tooLong` once more than `limit` bytes are pending without a line end.
    private mutating func takeLine(limit: Int, tooLong: ParseError) throws(ParseError) -> (
        range: Range<Int>, consumed: Int
    )? {
        guard let newline = buffer[scanFrom...].firstIndex(of: UInt8(ascii: "\n")) else {
            scanFrom = buffer.count
            if buffer.count - position > limit { throw tooLong }
            return nil
        }
        let consumed = newline + 1 - position
        if consumed > limit { throw tooLong }
        var end = newline
        if end > position && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let range = position..<end
        position = newline + 1
        scanFrom = position
        return (range, consumed)
    }

    /// Moves up to `count` available bytes into the body; returns how many.
    private mutating func takeBody(upTo count: Int) -> Int {
        let taken = min(count, buffer.count - position)
        if taken > 0 {
            body.append(contentsOf: buffer[position..<(position + taken)])
            position += taken
            scanFrom = position
        }
        return taken
    }

    /// Drops consumed bytes, when that is cheap relative to what is kept.
    private mutating func compact() {
        guard position > 0 else { return }
        if position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
        } else if position >= 4096 && position * 2 >= buffer.count {
            buffer.removeSubrange(0..<position)
        } else {
            return
        }
        scanFrom -= position
        position = 0
    }

    // MARK: Head

    private mutating func parseStatusLine(_ range: Range<Int>) throws(ParseError) {
        let line = buffer[range]
        // `HTTP/1.x SSS[ reason]`
        let prefix: [UInt8] = Array("HTTP/1.".utf8)
        guard line.count >= 12, line.starts(with: prefix) else { throw .malformedStatusLine(Self.quote(line)) }
        let i = line.startIndex
        let minor = line[i + 7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1"), line[i + 8] == UInt8(ascii: " ") else {
            throw .malformedStatusLine(Self.quote(line))
        }
        var code = 0
        for b in line[(i + 9)..<(i + 12)] {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { throw .malformedStatusLine(Self.quote(line)) }
            code = code * 10 + Int(b - UInt8(ascii: "0"))
        }
        guard (100...599).contains(code), line.count == 12 || line[i + 12] == UInt8(ascii: " ") else {
            throw .malformedStatusLine(Self.quote(line))
        }
        status = code
        http10 = minor == UInt8(ascii: "0")
    }

    /// A `name: value` line as a name (a token) and a value without surrounding whitespace.
    private static func field(_ line: ArraySlice<UInt8>) throws(ParseError) -> (
        name: ArraySlice<UInt8>, value: ArraySlice<UInt8>
    ) {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw .malformedHeader(quote(line)) }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty, name.allSatisfy(HTTPSyntax.isTokenByte) else { throw .malformedHeader(quote(line)) }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value = value.dropFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value = value.dropLast() }
        // CR, LF and NUL never belong in a value (RFC 9110 §5.5); other control bytes but tab neither.
        guard value.allSatisfy(HTTPSyntax.isFieldValueByte) else { throw .malformedHeader(quote(line)) }
        return (name, value)
    }

    private mutating func parseHeader(_ range: Range<Int>) throws(ParseError) {
        let (nameBytes, valueBytes) = try Self.field(buffer[range])
        let name = String(decoding: nameBytes, as: UTF8.self)
        let value = String(decoding: valueBytes, as: UTF8.self)
        headers.append((name, value))
        if HTTPSyntax.equalsIgnoringASCIICase(nameBytes, "content-length".utf8) {
            let length = try Self.contentLength(valueBytes)
            if let contentLength, contentLength != length {
                throw .invalidContentLength("\(contentLength) and \(length)")
            }
            contentLength = length
        } else if HTTPSyntax.equalsIgnoringASCIICase(nameBytes, "transfer-encoding".utf8) {
            let codings = value.lowercased().split(separator: ",").map { $0.filter { $0 != " " && $0 != "\t" } }
            if codings.last == "chunked" {
                chunked = true
                otherTransferCoding = false
            } else if !codings.isEmpty {
                // A final coding other than chunked: the body runs until the connection closes (RFC 9112 §6.3).
                chunked = false
                otherTransferCoding = true
            }
        } else if HTTPSyntax.equalsIgnoringASCIICase(nameBytes, "connection".utf8) {
            for token in value.lowercased().split(separator: ",") {
                switch token.filter({ $0 != " " && $0 != "\t" }) {
                case "close": connectionClose = true
                case "keep-alive": connectionKeepAlive = true
                default: break
                }
            }
        }
    }

    /// The head ended: decides how the body is framed. Returns the answer when it has no body.
    private mutating func headComplete() throws(ParseError) -> Message? {
        if status < 200 {
            if status == 101 { throw .unexpectedUpgrade }
            // An interim answer (100 Continue, 102, 103): no body; the final answer follows on the same connection.
            resetMessage()
            state = .statusLine
            return nil
        }
        if status == 204 || status == 304 { return finish() }
        if chunked {
            state = .chunkSize
        } else if otherTransferCoding {
            state = .untilEndOfInput
        } else if let contentLength {
            guard contentLength <= limits.maxBodyBytes else {
                throw .bodyTooLarge(length: contentLength, limit: limits.maxBodyBytes)
            }
            if contentLength == 0 { return finish() }
            // Reserved up to the default limit only: a caller's larger limit must not turn a declared length into
            // an allocation before any byte of it has arrived.
            body.reserveCapacity(min(contentLength, Limits.default.maxBodyBytes))
            state = .fixedBody(remaining: contentLength)
        } else {
            state = .untilEndOfInput
        }
        return nil
    }

    /// The answer read so far, as complete; the parser is ready for the next one.
    private mutating func finish() -> Message {
        let message = Message(
            status: status, headers: headers, body: body,
            closesConnection: connectionClose || (http10 && !connectionKeepAlive)
        )
        resetMessage()
        state = .statusLine
        return message
    }

    private mutating func resetMessage() {
        status = 0
        http10 = false
        headers = []
        body = []
        headBytes = 0
        trailerCount = 0
        contentLength = nil
        chunked = false
        otherTransferCoding = false
        connectionClose = false
        connectionKeepAlive = false
    }

    // MARK: Numbers

    /// A decimal `Content-Length`: digits only (no sign, no spaces inside), at most `Int.max`.
    static func contentLength(_ value: ArraySlice<UInt8>) throws(ParseError) -> Int {
        guard !value.isEmpty else { throw .invalidContentLength("(empty)") }
        var n = 0
        for b in value {
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { throw .invalidContentLength(quote(value)) }
            let (times10, o1) = n.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(b - UInt8(ascii: "0")))
            if o1 || o2 { throw .invalidContentLength(quote(value)) }
            n = sum
        }
        return n
    }

    /// A chunk-size line: hexadecimal digits, then optional whitespace and `;extensions` (ignored).
    static func chunkSize(_ line: ArraySlice<UInt8>) throws(ParseError) -> Int {
        var digits = line
        if let semicolon = line.firstIndex(of: UInt8(ascii: ";")) { digits = line[line.startIndex..<semicolon] }
        while let last = digits.last, last == 0x20 || last == 0x09 { digits = digits.dropLast() }
        guard !digits.isEmpty else { throw .invalidChunkSize(quote(line)) }
        var n = 0
        for b in digits {
            let digit: Int
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = Int(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = Int(b - UInt8(ascii: "a")) + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = Int(b - UInt8(ascii: "A")) + 10
            default: throw .invalidChunkSize(quote(line))
            }
            let (times16, o1) = n.multipliedReportingOverflow(by: 16)
            let (sum, o2) = times16.addingReportingOverflow(digit)
            if o1 || o2 { throw .invalidChunkSize(quote(line)) }
            n = sum
        }
        return n
    }

    /// Bytes from the peer, quoted for an error message: at most 80, non-printable ones escaped.
    static func quote(_ bytes: ArraySlice<UInt8>) -> String {
        var out = "\""
        for b in bytes.prefix(80) {
            switch b {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                let hex = String(b, radix: 16)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        if bytes.count > 80 { out += "…" }
        return out + "\""
    }
}

extension HTTPResponseParser {
    /// The fuzzing entry point: parses `bytes` as a server's output, whole and then fed in pieces (the first byte
    /// chooses the piece size), with the default limits and with small ones. It must never trap, whatever the bytes;
    /// errors are expected and ignored.
    @_spi(Fuzzing) public static func fuzz(_ bytes: [UInt8]) {
        let small = Limits(maxHeadBytes: 256, maxHeaderCount: 4, maxBodyBytes: 1024, maxChunkLineBytes: 32)
        for limits in [Limits.default, small] {
            var whole = HTTPResponseParser(limits: limits)
            whole.append(bytes)
            drain(&whole)

            let piece = 1 + Int(bytes.first ?? 0) % 17
            var pieces = HTTPResponseParser(limits: limits)
            var offset = 0
            var failed = false
            while offset < bytes.count && !failed {
                let end = min(bytes.count, offset + piece)
                pieces.append(Array(bytes[offset..<end]))
                offset = end
                failed = !drainWithoutEnd(&pieces)
            }
            if !failed { _ = try? pieces.endOfInput() }
        }
    }

    private static func drain(_ parser: inout HTTPResponseParser) {
        guard drainWithoutEnd(&parser) else { return }
        _ = try? parser.endOfInput()
    }

    /// Takes every complete answer; false once the parser failed.
    private static func drainWithoutEnd(_ parser: inout HTTPResponseParser) -> Bool {
        do {
            while try parser.next() != nil {}
            return true
        } catch {
            return false
        }
    }
}
