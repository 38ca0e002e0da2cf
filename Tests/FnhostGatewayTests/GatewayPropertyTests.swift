import FnhostGateway
import FnhostSimulation
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Thousands of seeded random inputs through the route table, the event builder and the mapper: nothing crashes and
/// every output is well-formed. The same seed gives the same inputs on every run.
@Suite("Random input")
struct GatewayPropertyTests {
    static let routes: [(routeKey: String, function: String)] = [
        ("GET /orgs/{orgId}", "org-status"), ("GET /members/{memberId}/coverage", "coverage"),
        ("POST /rules/evaluate", "rules"), ("ANY /files/{path+}", "files"), ("GET /orgs/special", "special"),
    ]

    /// Bytes biased towards the characters that matter to paths, queries and JSON.
    static func randomBytes(_ generator: inout SeededGenerator, maxCount: Int) -> [UInt8] {
        let interesting = Array("/{}[]\",:%&=+; \\\n\r\t0123456789abcdefnulltrueAZ".utf8) + [0, 0x7F, 0x80, 0xC3, 0xFF]
        let count = Int.random(in: 0...maxCount, using: &generator)
        return (0..<count).map { _ in
            Bool.random(using: &generator)
                ? interesting.randomElement(using: &generator) ?? 0 : UInt8.random(in: 0...255, using: &generator)
        }
    }

    /// A valid response object with one part replaced by random bytes.
    static func mutatedAnswer(_ generator: inout SeededGenerator) -> [UInt8] {
        let pieces = [
            #"{"statusCode": "#, "200", #", "headers": {"#, #""X-A": "b""#, "}, ", #""cookies": ["c=1"], "#,
            #""multiValueHeaders": {"V": ["1", "2"]}, "#, #""body": ""#, "aGk=", #"", "isBase64Encoded": "#, "true",
            "}",
        ]
        let victim = Int.random(in: 0..<pieces.count, using: &generator)
        var bytes: [UInt8] = []
        for (index, piece) in pieces.enumerated() {
            bytes += index == victim ? randomBytes(&generator, maxCount: 8) : Array(piece.utf8)
        }
        return bytes
    }

    @Test func randomPathsMatchWellFormedOrNotAtAll() throws {
        let table = try RouteTable(Self.routes)
        var generator = SeededGenerator(seed: 0xF00D)
        for _ in 0..<3000 {
            var path = Self.randomBytes(&generator, maxCount: 40)
            if Bool.random(using: &generator) { path.insert(UInt8(ascii: "/"), at: 0) }
            let rawPath = String(decoding: path, as: UTF8.self)
            let method = ["GET", "POST", "PUT", "get", ""].randomElement(using: &generator) ?? "GET"
            switch table.lookup(method: method, rawPath: rawPath) {
            case .matched(let function, let routeKey, let parameters):
                let route = try #require(table.routes.first { $0.key.text == routeKey })
                #expect(route.function == function)
                #expect(route.key.method == method || route.key.method == "ANY")
                let names = Set(
                    route.key.segments.compactMap { segment -> String? in
                        switch segment {
                        case .literal: nil
                        case .parameter(let name), .greedy(let name): name
                        }
                    })
                #expect(Set(parameters.keys) == names, "\(rawPath)")
                #expect(parameters.values.allSatisfy { !$0.isEmpty }, "\(rawPath)")
            case .methodNotAllowed(let allowed):
                #expect(!allowed.isEmpty && !allowed.contains(method))
            case .notFound:
                break
            }
        }
    }

    @Test func randomRequestsGiveEventsThatDecodeBackExactly() throws {
        var generator = SeededGenerator(seed: 0xBEEF)
        let decoder = JSONDecoder()
        for _ in 0..<2000 {
            let text = { (max: Int) in String(decoding: Self.randomBytes(&generator, maxCount: max), as: UTF8.self) }
            let headers = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                (
                    name: ["Cookie", "Host", "X-A", "content-type", text(6)].randomElement(using: &generator) ?? "",
                    value: text(12)
                )
            }
            let request = GatewayHTTPRequest(
                method: text(5), rawPath: text(30), rawQueryString: text(30), headers: headers,
                body: Self.randomBytes(&generator, maxCount: 64), sourceIP: text(4), protocolVersion: "HTTP/1.1",
                timeEpochMilliseconds: Int64.random(in: Int64.min...Int64.max, using: &generator))
            let event = GatewayEventBuilder().event(
                for: request, routeKey: text(10), pathParameters: [text(3): text(5)], requestID: text(4))
            let bytes = event.jsonBytes()
            #expect(GatewayInvariants.problems(inEventJSON: bytes).isEmpty)
            let decoded = try decoder.decode(GatewayEvent.self, from: Data(bytes))
            #expect(decoded == event)
            if event.isBase64Encoded {
                #expect(event.body?.utf8.count == (request.body.count + 2) / 3 * 4)
            } else {
                #expect(Array((event.body ?? "").utf8) == request.body)
            }
        }
    }

    @Test func randomAnswersMapToWellFormedResponses() {
        var generator = SeededGenerator(seed: 0xCAFE)
        var statuses: [Int: Int] = [:]
        for round in 0..<4000 {
            let answer = round % 2 == 0 ? Self.randomBytes(&generator, maxCount: 48) : Self.mutatedAnswer(&generator)
            let response = GatewayResponseMapper.response(forAnswer: answer)
            #expect(GatewayInvariants.problems(in: response).isEmpty, "\(answer)")
            statuses[response.status, default: 0] += 1
            if response.status == 502 { #expect(response == .badGateway) }
        }
        // The mutated answers reach both outcomes, so the mapper's paths are all exercised.
        #expect(statuses[502, default: 0] > 100)
        #expect(statuses[200, default: 0] > 50)
    }

    @Test func randomBytesThroughTheFuzzEntryNeverTrap() {
        var generator = SeededGenerator(seed: 0x5EED)
        for _ in 0..<3000 {
            var data = Self.randomBytes(&generator, maxCount: 120)
            if Bool.random(using: &generator) {
                data =
                    [UInt8.random(in: 0...255, using: &generator)]
                    + Array("/orgs/4%202\0a=1&a=2\0Cookie:x=1; y=2\nHost:h\0GET /orgs/{x}/{y+}\0{\"k\":1}\0".utf8)
                    + Self.mutatedAnswer(&generator)
            }
            GatewayFuzzEntry.run(data)
        }
    }

    @Test func randomRouteKeysEitherParseOrThrowATypedError() throws {
        var generator = SeededGenerator(seed: 0xD1CE)
        var parsed = 0
        for _ in 0..<3000 {
            let method = ["GET ", "ANY ", "get ", "", "POST"].randomElement(using: &generator) ?? ""
            let text = method + "/" + String(decoding: Self.randomBytes(&generator, maxCount: 16), as: UTF8.self)
            let key: RouteKey
            do {
                key = try RouteKey(parsing: text)
            } catch {
                #expect(error.description.contains("route key"))
                continue
            }
            parsed += 1
            // A key that parses always builds a table of one, and a key of literals matches its own path.
            let table = try RouteTable([(key.text, "f")])
            if let method = key.method, method != "ANY",
                key.segments.allSatisfy({ if case .literal = $0 { true } else { false } })
            {
                let path = "/" + key.segments.map(\.description).joined(separator: "/")
                #expect(table.lookup(method: method, rawPath: path) != .notFound, "\(text)")
            }
        }
        #expect(parsed > 0)
    }
}
