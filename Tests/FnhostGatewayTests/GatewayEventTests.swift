import FnhostGateway
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Requests turned into API Gateway payload-2.0 events, field by field, and checked through an independent decoder.
@Suite("Request to event")
struct GatewayEventTests {
    @Test func aGetWithAQueryStringGivesEveryRequiredField() throws {
        let request = Support.request(
            "GET", "/orgs/42", query: "include=members&limit=5",
            headers: [("Host", "api.example.com:9000"), ("User-Agent", "curl/8.5"), ("Accept", "*/*")])
        let event = Support.event(request, pathParameters: ["orgId": "42"])
        let (decoded, text) = try Support.roundTrip(event)
        #expect(decoded == event)
        #expect(text.hasPrefix(#"{"version":"2.0","routeKey":"GET /orgs/{orgId}","rawPath":"/orgs/42","#))
        #expect(event.rawQueryString == "include=members&limit=5")
        #expect(event.queryStringParameters == ["include": "members", "limit": "5"])
        #expect(event.pathParameters == ["orgId": "42"])
        #expect(event.headers == ["host": "api.example.com:9000", "user-agent": "curl/8.5", "accept": "*/*"])
        #expect(event.body == nil)
        #expect(!event.isBase64Encoded)
        let context = event.requestContext
        #expect(context.accountID == "000000000000")
        #expect(context.apiID == "fnhost")
        #expect(context.domainName == "api.example.com:9000")
        #expect(context.domainPrefix == "api")
        #expect(
            context.http
                == .init(
                    method: "GET", path: "/orgs/42", protocolVersion: "HTTP/1.1", sourceIP: "127.0.0.1",
                    userAgent: "curl/8.5"))
        #expect(context.requestID == "req-1")
        #expect(context.routeKey == "GET /orgs/{orgId}")
        #expect(context.stage == "$default")
        #expect(context.time == "22/Nov/2026:00:05:34 +0000")
        #expect(context.timeEpoch == Support.time)
        for key in [
            #""accountId":"#, #""apiId":"#, #""requestId":"#, #""sourceIp":"#, #""protocol":"HTTP/1.1""#,
            #""timeEpoch":1795305934567"#,
        ] {
            #expect(text.contains(key), "\(key)")
        }
        #expect(!text.contains("stageVariables"))
        #expect(!text.contains("\"cookies\""))
        #expect(!text.contains("\"body\""))
    }

    @Test func repeatedQueryKeysAreJoinedWithCommasAndValuesDecoded() {
        let event = Support.event(
            Support.request("GET", "/orgs/1", query: "tag=a&tag=b%20c&x=%2B1+2&flag&=skip&&tag=d"))
        #expect(event.queryStringParameters == ["tag": "a,b c,d", "x": "+1+2", "flag": ""])
        #expect(event.rawQueryString == "tag=a&tag=b%20c&x=%2B1+2&flag&=skip&&tag=d")
    }

    @Test func noQueryStringOmitsQueryStringParameters() throws {
        let event = Support.event(Support.request("GET", "/orgs/1"))
        #expect(event.queryStringParameters == nil)
        #expect(event.rawQueryString == "")
        #expect(!(try Support.roundTrip(event).text.contains("queryStringParameters")))
    }

    @Test func repeatedHeadersAreJoinedWithCommasUnderLowerCaseNames() {
        let event = Support.event(
            Support.request(
                "GET", "/orgs/1", headers: [("X-Tag", "a"), ("x-tag", "b"), ("Accept", "text/html"), ("X-TAG", "c")]))
        #expect(event.headers == ["x-tag": "a,b,c", "accept": "text/html"])
    }

    @Test func cookiesMoveFromTheCookieHeaderToCookies() throws {
        let event = Support.event(
            Support.request(
                "GET", "/orgs/1",
                headers: [("Cookie", "session=abc; theme=dark"), ("Accept", "*/*"), ("cookie", "lang=en;;  x=1 ")]))
        #expect(event.cookies == ["session=abc", "theme=dark", "lang=en", "x=1"])
        #expect(event.headers["cookie"] == nil)
        #expect(try Support.roundTrip(event).text.contains(#""cookies":["session=abc","theme=dark","lang=en","x=1"]"#))
    }

    @Test func aPostWithAJSONBodyPassesTheBodyAsText() throws {
        let body = #"{"facts": {"memberCount": 3, "name": "Zo\u00eb \"Z\""}}"#
        let event = Support.event(
            Support.request(
                "POST", "/rules/evaluate", headers: [("Content-Type", "application/json")], body: Array(body.utf8)),
            routeKey: "POST /rules/evaluate")
        #expect(event.body == body)
        #expect(!event.isBase64Encoded)
        #expect(event.pathParameters == nil)
        let (decoded, text) = try Support.roundTrip(event)
        #expect(decoded.body == body)
        #expect(text.hasSuffix(#","isBase64Encoded":false}"#))
    }

    @Test func aBodyThatIsNotUTF8IsBase64Encoded() throws {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF]
        let event = Support.event(Support.request("POST", "/upload", body: bytes))
        #expect(event.isBase64Encoded)
        #expect(event.body == "iVBORw0KGgoA/w==")
        #expect(try Support.roundTrip(event).decoded == event)
    }

    @Test func aBinaryContentTypeIsBase64EncodedEvenWhenTheBytesAreText() {
        for contentType in [
            "image/png", "application/octet-stream", "Application/PDF; x=y", "multipart/form-data; boundary=x",
        ] {
            let event = Support.event(
                Support.request(
                    "POST", "/upload", headers: [("Content-Type", contentType)], body: Array("hello".utf8)))
            #expect(event.isBase64Encoded, "\(contentType)")
            #expect(event.body == "aGVsbG8=", "\(contentType)")
        }
        let gzip = Support.event(
            Support.request(
                "POST", "/upload", headers: [("Content-Encoding", "gzip")], body: Array("hello".utf8)))
        #expect(gzip.isBase64Encoded)
    }

    @Test func textContentTypesStayText() {
        for contentType in ["text/plain; charset=utf-8", "application/x-www-form-urlencoded", "application/xml"] {
            let event = Support.event(
                Support.request(
                    "POST", "/form", headers: [("Content-Type", contentType)], body: Array("a=1&b=%C3%A9".utf8)))
            #expect(!event.isBase64Encoded)
            #expect(event.body == "a=1&b=%C3%A9")
        }
    }

    @Test func anEmptyBodyIsOmitted() throws {
        let event = Support.event(Support.request("POST", "/rules/evaluate", headers: [("Content-Type", "image/png")]))
        #expect(event.body == nil)
        #expect(!event.isBase64Encoded)
        #expect(!(try Support.roundTrip(event).text.contains("\"body\"")))
    }

    @Test func controlCharactersAndQuotesInTextAreEscapedInTheJSON() throws {
        let nasty = "line1\nline2\t\"q\" \\ \u{0}\u{1F} \u{7F} \u{2028} \u{1F600}"
        let event = Support.event(
            Support.request(
                "POST", "/x\"y", query: "a=\u{1}", headers: [("X-\"Odd\"", nasty)], body: Array(nasty.utf8)))
        let (decoded, _) = try Support.roundTrip(event)
        #expect(decoded == event)
        #expect(decoded.body == nasty)
    }

    @Test func withoutAHostHeaderTheDomainIsTheConfiguredDefault() {
        let event = GatewayEventBuilder(apiID: "local-api", defaultDomainName: "fnhost.local")
            .event(for: Support.request("GET", "/"), routeKey: "$default", pathParameters: [:], requestID: "r")
        #expect(event.requestContext.domainName == "fnhost.local")
        #expect(event.requestContext.domainPrefix == "fnhost")
        #expect(event.requestContext.apiID == "local-api")
        #expect(event.requestContext.http.userAgent == "")
        #expect(event.routeKey == "$default")
    }

    @Test func theDomainPrefixIsTheFirstLabelWithoutAPort() {
        for (host, prefix) in [("localhost:9000", "localhost"), ("[::1]:9000", "[::1]"), ("a.b.c", "a"), ("", "")] {
            let event = Support.event(Support.request("GET", "/", headers: [("Host", host)]))
            #expect(event.requestContext.domainPrefix == prefix, "\(host)")
        }
    }

    @Test func theRequestTimeIsFormattedInUTCLikeAPIGateway() {
        func time(_ ms: Int64) -> String {
            GatewayEventBuilder().event(
                for: GatewayHTTPRequest(method: "GET", rawPath: "/", timeEpochMilliseconds: ms), routeKey: "$default",
                pathParameters: [:], requestID: "r"
            ).requestContext.time
        }
        #expect(time(0) == "01/Jan/1970:00:00:00 +0000")
        #expect(time(951_782_400_000) == "29/Feb/2000:00:00:00 +0000")
        #expect(time(1_709_251_199_999) == "29/Feb/2024:23:59:59 +0000")
        #expect(time(-1) == "31/Dec/1969:23:59:59 +0000")
        #expect(time(Int64.max).hasSuffix(" +0000"))
        #expect(time(Int64.min).hasSuffix(" +0000"))
    }
}
