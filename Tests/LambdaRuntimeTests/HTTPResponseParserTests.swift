import FnhostSimulation
import Testing

@_spi(Fuzzing) @testable import LambdaRuntime

private typealias Parser = HTTPResponseParser
private typealias ParseError = HTTPResponseParser.ParseError

/// Every answer in `text`, fed at once, then the end of input.
private func parseAll(_ text: String, limits: Parser.Limits = .default, end: Bool = true) throws(ParseError) -> [Parser
    .Message]
{
    try parseAll(Array(text.utf8), limits: limits, end: end)
}

private func parseAll(_ bytes: [UInt8], limits: Parser.Limits = .default, end: Bool = true) throws(ParseError)
    -> [Parser.Message]
{
    var parser = Parser(limits: limits)
    parser.append(bytes)
    var messages: [Parser.Message] = []
    while let message = try parser.next() { messages.append(message) }
    if end, let last = try parser.endOfInput() { messages.append(last) }
    return messages
}

/// The same, fed in pieces cut at `cuts`.
private func parsePieces(_ bytes: [UInt8], cuts: [Int]) throws(ParseError) -> [Parser.Message] {
    var parser = Parser()
    var messages: [Parser.Message] = []
    var start = 0
    for cut in cuts + [bytes.count] {
        parser.append(Array(bytes[start..<cut]))
        start = cut
        while let message = try parser.next() { messages.append(message) }
    }
    if let last = try parser.endOfInput() { messages.append(last) }
    return messages
}

private func error(_ text: String, limits: Parser.Limits = .default) -> ParseError? {
    do {
        _ = try parseAll(text, limits: limits)
        return nil
    } catch {
        return error
    }
}

/// A comparable summary of an answer.
private struct Summary: Equatable, CustomStringConvertible {
    var status: Int
    var body: String
    var closes: Bool
    init(_ m: Parser.Message) {
        status = m.status
        body = String(decoding: m.body, as: UTF8.self)
        closes = m.closesConnection
    }
    init(_ status: Int, _ body: String, closes: Bool = false) {
        self.status = status
        self.body = body
        self.closes = closes
    }
    var description: String { "\(status) \(body.debugDescription)\(closes ? " close" : "")" }
}

@Suite("HTTP response parser: framing")
struct HTTPResponseParserFramingTests {
    @Test("a Content-Length body is read exactly, and headers are found case-insensitively")
    func contentLength() throws {
        let m = try parseAll(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\ncontent-length: 7\r\nX-Amz-Function-Error: Unhandled\r\n\r\n{\"a\":1}"
        )
        try #require(m.count == 1)
        #expect(Summary(m[0]) == Summary(200, "{\"a\":1}"))
        #expect(m[0].header("x-amz-function-error") == "Unhandled")
        #expect(m[0].header("Content-Type") == "application/json")
        #expect(m[0].headers.count == 3)
    }

    @Test("Content-Length 0 completes at once, without waiting for more bytes")
    func zeroLength() throws {
        var parser = Parser()
        parser.append(Array("HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n".utf8))
        let m = try #require(try parser.next())
        #expect(Summary(m) == Summary(202, ""))
        #expect(!parser.isMidResponse)
    }

    @Test("a chunked body is reassembled; chunk extensions and trailer fields are skipped")
    func chunked() throws {
        let text =
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n" + "1 ; ext\r\n,\r\n" + "6\r\n world\r\n"
            + "0\r\nX-Trailer: yes\r\nOther: 2\r\n\r\n"
        let m = try parseAll(text)
        #expect(m.map(Summary.init) == [Summary(200, "hello, world")])
    }

    @Test("upper- and lower-case hexadecimal chunk sizes are both read")
    func chunkSizeHex() throws {
        let body = String(repeating: "x", count: 26)
        let m = try parseAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1A\r\n\(body)\r\n0\r\n\r\n")
        let n = try parseAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n\(body)\r\n0\r\n\r\n")
        #expect(m.map(Summary.init) == [Summary(200, body)])
        #expect(n.map(Summary.init) == [Summary(200, body)])
    }

    @Test("interim answers (100 Continue, 103) before the real answer are consumed, not returned")
    func interimAnswers() throws {
        let m = try parseAll(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        )
        #expect(m.map(Summary.init) == [Summary(200, "ok")])
    }

    @Test("two pipelined answers in one buffer come out in order, the second whole")
    func pipelined() throws {
        let m = try parseAll(
            "HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n"
                + "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: r2\r\nContent-Length: 2\r\n\r\n{}")
        #expect(m.map(Summary.init) == [Summary(202, "{\"status\":\"OK\"}\n"), Summary(200, "{}")])
        #expect(m[1].header("Lambda-Runtime-Aws-Request-Id") == "r2")
    }

    @Test("204 and 304 have no body even with a Content-Length, and the next answer follows")
    func noBodyStatuses() throws {
        let m = try parseAll(
            "HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx"
        )
        #expect(m.map(Summary.init) == [Summary(204, ""), Summary(304, ""), Summary(200, "x")])
    }

    @Test("without a length the body runs until the connection closes")
    func bodyUntilEndOfInput() throws {
        var parser = Parser()
        parser.append(Array("HTTP/1.1 200 OK\r\n\r\npart one, ".utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("part two".utf8))
        #expect(try parser.next() == nil)
        let m = try #require(try parser.endOfInput())
        #expect(Summary(m) == Summary(200, "part one, part two", closes: true))
    }

    @Test("a final transfer coding other than chunked is read until the connection closes")
    func otherTransferCoding() throws {
        let m = try parseAll("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nraw")
        #expect(m.map(Summary.init) == [Summary(200, "raw", closes: true)])
    }

    @Test(
        "whether the server keeps the connection",
        arguments: [
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false),
            ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", true),
            ("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 0\r\n\r\n", true),
            ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true),
            ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false),
        ]
    )
    func connectionClose(text: String, closes: Bool) throws {
        let m = try parseAll(text)
        #expect(m.map(\.closesConnection) == [closes])
    }

    @Test("bare LF line ends are accepted")
    func bareLineFeeds() throws {
        let m = try parseAll("HTTP/1.1 200 OK\nContent-Length: 2\n\nok")
        #expect(m.map(Summary.init) == [Summary(200, "ok")])
    }

    @Test("the same answers come out wherever the bytes are split")
    func splitAtEveryByte() throws {
        let samples = [
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n",
            "HTTP/1.1 202 Accepted\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
            "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
        ]
        for sample in samples {
            let bytes = Array(sample.utf8)
            let whole = try parseAll(bytes).map(Summary.init)
            #expect(!whole.isEmpty)
            for cut in 0...bytes.count {
                #expect(
                    try parsePieces(bytes, cuts: [cut]).map(Summary.init) == whole,
                    "cut at \(cut) of \(sample.debugDescription)")
            }
            #expect(try parsePieces(bytes, cuts: Array(1..<bytes.count)).map(Summary.init) == whole, "byte by byte")
        }
    }

    @Test("a closed connection between answers is not an error")
    func cleanEndOfInput() throws {
        var parser = Parser()
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx".utf8))
        #expect(try parser.next() != nil)
        #expect(try parser.endOfInput() == nil)
        #expect(try parser.next() == nil)
    }
}

@Suite("HTTP response parser: refusals")
struct HTTPResponseParserRefusalTests {
    @Test(
        "a malformed status line is refused",
        arguments: [
            "HTTP/2 200 OK", "HTTP/1.1 20 OK", "HTTP/1.1 abc OK", "garbage", "HTTP/1.1 200OK", "HTTP/1.1 099 Low",
            "HTTP/1.1 600 High", "HTTP/1.2 200 OK", "http/1.1 200 OK", "HTTP/1.1  200 OK", "",
        ]
    )
    func malformedStatusLine(line: String) {
        let e = error(line + "\r\nContent-Length: 0\r\n\r\n")
        guard case .malformedStatusLine? = e else {
            Issue.record("\(line.debugDescription): \(String(describing: e))")
            return
        }
    }

    @Test(
        "a negative, non-numeric, overflowing or ambiguous Content-Length is refused, never trusted",
        arguments: [
            "-1", "-0", "abc", "1e3", "99999999999999999999999", "+5", "5, 5", "0x10", "1 2", "",
        ]
    )
    func invalidContentLength(value: String) {
        let e = error("HTTP/1.1 200 OK\r\nContent-Length: \(value)\r\n\r\nbody")
        guard case .invalidContentLength? = e else {
            Issue.record("Content-Length \(value.debugDescription): \(String(describing: e))")
            return
        }
    }

    @Test("two different Content-Length values are refused; two equal ones are accepted")
    func conflictingContentLengths() throws {
        #expect(
            error("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy")
                == .invalidContentLength("1 and 2"))
        #expect(
            try parseAll("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx").map(Summary.init) == [
                Summary(200, "x")
            ])
    }

    @Test(
        "a negative, non-hexadecimal, empty or overflowing chunk size is refused",
        arguments: ["-5", "zz", "", "1ffffffffffffffffff", "8000000000000000", "0x10", " 5", "5 5"]
    )
    func invalidChunkSize(line: String) {
        let e = error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\(line)\r\nhello\r\n0\r\n\r\n")
        guard case .invalidChunkSize? = e else {
            Issue.record("chunk size \(line.debugDescription): \(String(describing: e))")
            return
        }
    }

    @Test("a Content-Length over the body limit is refused before any body is read")
    func oversizedContentLength() {
        let limits = Parser.Limits(maxHeadBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 100, maxChunkLineBytes: 64)
        var parser = Parser(limits: limits)
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n".utf8))
        #expect(throws: ParseError.bodyTooLarge(length: 101, limit: 100)) { _ = try parser.next() }
        #expect(
            error("HTTP/1.1 200 OK\r\nContent-Length: \(Int.max)\r\n\r\n")
                == .bodyTooLarge(length: Int.max, limit: Parser.Limits.default.maxBodyBytes))
    }

    @Test("with no practical body limit, a huge declared length waits for its bytes instead of allocating them")
    func hugeLengthWithoutLimit() throws {
        let limits = Parser.Limits(maxHeadBytes: 1024, maxHeaderCount: 10, maxBodyBytes: Int.max, maxChunkLineBytes: 64)
        var parser = Parser(limits: limits)
        parser.append(Array("HTTP/1.1 200 OK\r\nContent-Length: \(Int.max)\r\n\r\nabc".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.isMidResponse)
        #expect(throws: ParseError.truncated("3 of \(Int.max) body bytes received")) { _ = try parser.endOfInput() }
    }

    @Test("chunks adding up to more than the body limit are refused")
    func oversizedChunkedBody() {
        let limits = Parser.Limits(maxHeadBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 8, maxChunkLineBytes: 64)
        #expect(
            error(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n",
                limits: limits)
                == .bodyTooLarge(length: nil, limit: 8))
        #expect(
            error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n", limits: limits)
                == .bodyTooLarge(length: nil, limit: 8))
    }

    @Test("a body read until close is refused once it passes the body limit")
    func oversizedBodyUntilClose() {
        let limits = Parser.Limits(maxHeadBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 4, maxChunkLineBytes: 64)
        #expect(error("HTTP/1.1 200 OK\r\n\r\n12345", limits: limits) == .bodyTooLarge(length: nil, limit: 4))
    }

    @Test(
        "a connection that closes mid-answer is a truncation, saying where",
        arguments: [
            ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "3 of 10 body bytes received"),
            ("HTTP/1.1 200 OK\r\nContent-Le", "in the header fields"),
            ("HTTP/1.1 20", "in the status line"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "in a chunked body, after 3 bytes"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nTrailer: 1\r\n", "in the trailer fields"),
        ]
    )
    func truncated(text: String, detail: String) {
        #expect(error(text) == .truncated(detail))
    }

    @Test("a head larger than the limit is refused, even while no line end has arrived")
    func headTooLarge() {
        let limits = Parser.Limits(maxHeadBytes: 64, maxHeaderCount: 100, maxBodyBytes: 100, maxChunkLineBytes: 64)
        #expect(
            error("HTTP/1.1 200 OK\r\nX-Long: \(String(repeating: "a", count: 100))\r\n\r\n", limits: limits)
                == .headTooLarge(limit: 64))
        var parser = Parser(limits: limits)
        parser.append(Array(repeating: UInt8(ascii: "a"), count: 65))
        #expect(throws: ParseError.headTooLarge(limit: 64)) { _ = try parser.next() }
        #expect(
            error("HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: 1\r\n", count: 7) + "\r\n", limits: limits)
                == .headTooLarge(limit: 64))
    }

    @Test("more header fields than the limit are refused")
    func tooManyHeaders() {
        let limits = Parser.Limits(maxHeadBytes: 64 * 1024, maxHeaderCount: 5, maxBodyBytes: 100, maxChunkLineBytes: 64)
        let fields = String(repeating: "X-A: 1\r\n", count: 6)
        #expect(error("HTTP/1.1 200 OK\r\n\(fields)\r\n", limits: limits) == .tooManyHeaders(limit: 5))
        #expect(
            error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\(fields)\r\n", limits: limits)
                == .tooManyHeaders(limit: 5))
    }

    @Test(
        "a malformed header field is refused",
        arguments: ["No colon here", "Bad Name: x", ": empty name", " Folded: x", "X-Nul: a\u{0}b", "X-CR: a\rb"]
    )
    func malformedHeader(line: String) {
        let e = error("HTTP/1.1 200 OK\r\n\(line)\r\nContent-Length: 0\r\n\r\n")
        guard case .malformedHeader? = e else {
            Issue.record("\(line.debugDescription): \(String(describing: e))")
            return
        }
    }

    @Test("chunk data longer than its size is refused")
    func chunkLongerThanItsSize() {
        #expect(
            error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n")
                == .malformedChunk("chunk data longer than its size"))
    }

    @Test("a chunk size line longer than the limit is refused")
    func chunkLineTooLong() {
        let limits = Parser.Limits(maxHeadBytes: 1024, maxHeaderCount: 10, maxBodyBytes: 100, maxChunkLineBytes: 16)
        #expect(
            error(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;\(String(repeating: "e", count: 40))\r\nhello\r\n0\r\n\r\n",
                limits: limits)
                == .chunkLineTooLong(limit: 16))
    }

    @Test("101 Switching Protocols is refused: the client never asks to upgrade")
    func upgradeRefused() {
        #expect(error("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n") == .unexpectedUpgrade)
    }

    @Test("error messages quote the offending bytes shortened and escaped")
    func errorMessagesQuote() {
        let e = error("HTTP/1.1 200 OK\r\nContent-Length: é\(String(repeating: "9", count: 200))\r\n\r\n")
        let description = e?.description ?? ""
        #expect(description.hasPrefix("invalid Content-Length \"\\xc3\\xa9999"), "\(description)")
        #expect(description.contains("…"))
        #expect(description.count < 200)
    }
}

@Suite("HTTP response parser: fuzz entry point")
struct HTTPResponseParserFuzzTests {
    @Test("hostile inputs and random mutations of valid answers never trap: each parses or is a typed refusal")
    func neverTraps() {
        let seeds = [
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n0\r\nT: 1\r\n\r\n",
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
            "HTTP/1.1 200 OK\r\nContent-Length: 9223372036854775807\r\n\r\n",
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\n",
            "HTTP/1.0 200 OK\r\n\r\nuntil close",
        ].map { Array($0.utf8) }
        var generator = SeededGenerator(seed: 11)
        var parsed = 0
        var refused = 0
        for seed in seeds {
            HTTPResponseParser.fuzz(seed)
            for _ in 0..<300 {
                var bytes = seed
                for _ in 0..<(1 + Int(generator.next() % 4)) {
                    guard !bytes.isEmpty else { break }
                    let i = Int(generator.next() % UInt64(bytes.count))
                    switch generator.next() % 3 {
                    case 0: bytes[i] = UInt8(truncatingIfNeeded: generator.next())
                    case 1: bytes.remove(at: i)
                    default: bytes.insert(UInt8(truncatingIfNeeded: generator.next()), at: i)
                    }
                }
                HTTPResponseParser.fuzz(bytes)
                do {
                    _ = try parseAll(bytes)
                    parsed += 1
                } catch {
                    refused += 1
                }
            }
        }
        // The mutations reach both the parsing and the refusing paths.
        #expect(parsed > 100)
        #expect(refused > 100)
        for _ in 0..<500 {
            HTTPResponseParser.fuzz(
                (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
        }
    }
}
