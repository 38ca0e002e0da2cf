import Testing

@_spi(Benchmark) @testable import LambdaRuntime

private func text(_ requests: [HTTPClient.Request]) throws -> String {
    let encoded = try #require(try HTTPRequestEncoder.encode(requests))
    return String(decoding: encoded.bytes, as: UTF8.self)
}

@Suite("HTTP request encoder")
struct HTTPRequestEncoderTests {
    @Test("a GET is a request line, Host and the headers given, with no Content-Length")
    func get() throws {
        let request = HTTPClient.Request(
            method: "GET", url: "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next",
            headers: [("Accept", "*/*")])
        #expect(
            try text([request])
                == "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: 127.0.0.1:9001\r\nAccept: */*\r\n\r\n")
    }

    @Test("a body is sent with its Content-Length, an empty one too")
    func post() throws {
        let request = HTTPClient.Request(method: "POST", url: "http://localhost:8080/x", body: Array("{\"a\":1}".utf8))
        #expect(try text([request]) == "POST /x HTTP/1.1\r\nHost: localhost:8080\r\nContent-Length: 7\r\n\r\n{\"a\":1}")
        let empty = HTTPClient.Request(method: "POST", url: "http://localhost:8080/x", body: [])
        #expect(try text([empty]) == "POST /x HTTP/1.1\r\nHost: localhost:8080\r\nContent-Length: 0\r\n\r\n")
    }

    @Test("pipelined requests are encoded back to back in one buffer")
    func pipelined() throws {
        let answer = HTTPClient.Request(method: "POST", url: "http://127.0.0.1:1/r", body: Array("ok".utf8))
        let next = HTTPClient.Request(method: "GET", url: "http://127.0.0.1:1/n")
        #expect(
            try text([answer, next])
                == "POST /r HTTP/1.1\r\nHost: 127.0.0.1:1\r\nContent-Length: 2\r\n\r\nokGET /n HTTP/1.1\r\nHost: 127.0.0.1:1\r\n\r\n"
        )
        #expect(try HTTPRequestEncoder.encode([]) == nil)
    }

    @Test(
        "URLs split into host, port and path",
        arguments: [
            ("http://127.0.0.1:9001/a/b?c=d", "127.0.0.1", 9001, "/a/b?c=d"),
            ("http://localhost/x", "localhost", 80, "/x"),
            ("http://127.0.0.1:5", "127.0.0.1", 5, "/"),
        ] as [(String, String, Int, String)]
    )
    func split(url: String, host: String, port: Int, path: String) throws {
        let (endpoint, p) = try HTTPRequestEncoder.split(url)
        #expect(endpoint == HTTPRequestEncoder.Endpoint(host: host, port: UInt16(port)))
        #expect(p == path)
    }

    @Test(
        "URLs that are not plain http://HOST:PORT/PATH are refused",
        arguments: [
            "https://127.0.0.1/x", "127.0.0.1:80/x", "http://:80/x", "http://h:99999/x", "http://h:x/y",
            "http://h:1/a b", "http://h:1/a\r\nX: y", "http://",
        ]
    )
    func badURL(url: String) {
        #expect(throws: HTTPRequestEncoder.EncodingError.badURL(url)) { try HTTPRequestEncoder.split(url) }
    }

    @Test("pipelined requests to different endpoints are refused")
    func mixedEndpoints() {
        let a = HTTPClient.Request(method: "GET", url: "http://127.0.0.1:1/a")
        let b = HTTPClient.Request(method: "GET", url: "http://127.0.0.1:2/b")
        #expect(throws: HTTPRequestEncoder.EncodingError.mixedEndpoints("http://127.0.0.1:2/b")) {
            try HTTPRequestEncoder.encode([a, b])
        }
    }

    @Test(
        "a line end in a header, or a method or name that is not a token, cannot smuggle a second request",
        arguments: [
            ("GET", "X-Id", "abc\r\nGET /evil HTTP/1.1"), ("GET", "X-Id", "a\nb"), ("GET", "X Id", "v"),
            ("GET", "", "v"),
            ("G T", "X-Id", "v"), ("GET\r\n", "X-Id", "v"),
        ]
    )
    func injectionRefused(method: String, name: String, value: String) {
        let request = HTTPClient.Request(method: method, url: "http://127.0.0.1:1/a", headers: [(name, value)])
        #expect(throws: HTTPRequestEncoder.EncodingError.self) { try HTTPRequestEncoder.encode([request]) }
    }
}
