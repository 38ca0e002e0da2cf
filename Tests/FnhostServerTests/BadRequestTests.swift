import Foundation
import TestSupport
import Testing

/// One case of `Fixtures/bad-requests.json`.
struct BadRequest: Sendable, CustomTestStringConvertible {
    /// A string, or a text repeated (to build big requests without storing them).
    enum Piece: Sendable {
        case text(String)
        case repeated(String, times: Int)
    }

    enum Request: Sendable {
        case raw(String)
        case built(method: String, path: [Piece], headers: [(String, [Piece])], body: [UInt8]?, bodyPieces: [Piece])
    }

    /// What the body of the answer must be.
    enum Body: String, Sendable {
        /// fnhost's own answer: a JSON object.
        case json
        /// The HTTP parser's (Hummingbird/NIO) answer to malformed HTTP: nothing.
        case empty
        /// Either.
        case any
    }

    var name: String
    var request: Request
    var expectStatus: Int
    var expectErrorType: String?
    var expectBody: Body
    /// For a client's mistake answered by a function through the gateway: the field its JSON body names.
    var expectField: String?
    /// …and the error type the same mistake gets from the Invoke API (and in the gateway body's `errorType`).
    var expectFunctionErrorType: String?

    var testDescription: String { name }

    /// The request's bytes.
    var bytes: [UInt8] {
        switch request {
        case .raw(let text): return Array(text.utf8)
        case .built(let method, let path, let headers, let body, let pieces):
            var head = "\(method) \(Self.expand(path)) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(Self.expand(value))\r\n" }
            let payload = body ?? Array(Self.expand(pieces).utf8)
            if !payload.isEmpty { head += "Content-Length: \(payload.count)\r\n" }
            return Array((head + "\r\n").utf8) + payload
        }
    }

    static func expand(_ pieces: [Piece]) -> String {
        pieces.map {
            switch $0 {
            case .text(let text): text
            case .repeated(let text, let times): String(repeating: text, count: times)
            }
        }.joined()
    }

    // MARK: Loading

    static let file = Paths.fixtures + "/bad-requests.json"

    /// The corpus; empty if it cannot be read (a test checks that it loads).
    static let corpus: [BadRequest] = (try? load()) ?? []

    static func load() throws -> [BadRequest] {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = root["cases"] as? [[String: Any]]
        else { throw TestFailure("\(file): expected {\"cases\": [...]}") }
        return try cases.map(parse)
    }

    static func parse(_ entry: [String: Any]) throws -> BadRequest {
        guard let name = entry["name"] as? String, let status = entry["expectStatus"] as? Int else {
            throw TestFailure("\(file): a case needs name and expectStatus: \(entry)")
        }
        let request: Request
        if let raw = entry["raw"] as? String {
            request = .raw(raw)
        } else {
            guard let method = entry["method"] as? String, let path = entry["path"] else {
                throw TestFailure("\(file): \(name): needs raw, or method and path")
            }
            var headers: [(String, [Piece])] = []
            for (key, value) in (entry["headers"] as? [String: Any] ?? [:]).sorted(by: { $0.key < $1.key }) {
                headers.append((key, try pieces(value, in: name)))
            }
            let binary = try (entry["bodyBase64"] as? String).map { text in
                guard let data = Data(base64Encoded: text) else {
                    throw TestFailure("\(file): \(name): bodyBase64 is not base64")
                }
                return [UInt8](data)
            }
            request = .built(
                method: method, path: try pieces(path, in: name), headers: headers, body: binary,
                bodyPieces: try entry["body"].map { try pieces($0, in: name) } ?? [])
        }
        guard let body = Body(rawValue: entry["expectBody"] as? String ?? "json") else {
            throw TestFailure("\(file): \(name): expectBody must be json, empty or any")
        }
        return BadRequest(
            name: name, request: request, expectStatus: status, expectErrorType: entry["expectErrorType"] as? String,
            expectBody: body, expectField: entry["expectField"] as? String,
            expectFunctionErrorType: entry["expectFunctionErrorType"] as? String)
    }

    static func pieces(_ value: Any, in name: String) throws -> [Piece] {
        if let text = value as? String { return [.text(text)] }
        guard let list = value as? [Any] else {
            throw TestFailure("\(file): \(name): expected a string or a list of pieces")
        }
        return try list.map { item in
            if let text = item as? String { return .text(text) }
            guard let object = item as? [String: Any], let text = object["repeat"] as? String,
                let times = object["times"] as? Int
            else { throw TestFailure("\(file): \(name): a piece is a string or {\"repeat\": TEXT, \"times\": N}") }
            return .repeated(text, times: times)
        }
    }
}

extension ServeSuite {
    /// The corpus of bad requests: every one gets a 4xx (with a JSON body whenever fnhost itself answers), and the
    /// server keeps serving.
    @Suite("Bad requests", .serialized, .sharedServer())
    struct BadRequests {
        @Test("The corpus loads and covers every kind of bad request")
        func corpusLoads() throws {
            let corpus = try BadRequest.load()
            let names = Set(corpus.map(\.name))
            for required in [
                "malformed request line", "oversized header (100 KB)", "body not JSON", "invalid UTF-8 in the body",
                "JSON arrays nested 100,000 deep", "synchronous payload one byte over 6 MB",
                "Event payload one byte over 1 MB",
                "function name ..", "function name with %2F", "function name with %00",
                "function name of 10,000 characters",
                "unknown function", "unknown route", "wrong method on a route",
                "gateway: organisation id %00", "gateway: non-ASCII organisation id (%E2%98%83)",
                "gateway: organisation id of 5,000 characters", "gateway: unknown organisation",
                "gateway: impossible date (2026-13-45)", "gateway: empty date", "gateway: unknown member",
                "gateway: coverage on an impossible date", "gateway: coverage with an empty date",
            ] {
                #expect(names.contains(required), "the corpus lacks \"\(required)\"")
            }
            #expect(corpus.allSatisfy { (400..<500).contains($0.expectStatus) })
            #expect(names.count == corpus.count, "case names must be unique")
        }

        @Test(
            "Each bad request gets its 4xx, and the server still answers /healthz after it",
            arguments: BadRequest.corpus)
        func badRequestIsRefused(_ bad: BadRequest) async throws {
            let server = try SharedServer.require()
            let exchange = await server.client.exchange(bad.bytes)
            let response = try #require(
                exchange.response,
                "no answer (\(exchange.failure ?? "connection closed"), \(exchange.received.count) bytes)")
            #expect(response.status == bad.expectStatus, "\(response)")
            #expect((400..<500).contains(response.status), "\(response)")
            if let type = bad.expectErrorType {
                #expect(response.header("x-amzn-ErrorType") == type, "\(response)")
            }
            switch bad.expectBody {
            case .json:
                let body = try? response.jsonObject()
                #expect(body != nil, "the body is not a JSON object: \(response)")
                #expect(body?["message"] is String, "the JSON body has no message: \(response)")
                if let field = bad.expectField {
                    #expect(body?["field"] as? String == field, "\(response)")
                    #expect((body?["reason"] as? String)?.isEmpty == false, "the body gives no reason: \(response)")
                    #expect(body?["errorType"] as? String == bad.expectFunctionErrorType, "\(response)")
                }
            case .empty:
                #expect(response.body.isEmpty, "\(response)")
            case .any:
                #expect(response.body.isEmpty || (try? response.jsonObject()) != nil, "\(response)")
            }
            #expect(server.exitStatus == nil, "fnhost serve died: \(server.capture.error.suffix(2000))")
            #expect(try await server.client.get("/healthz").status == 200)
        }

        @Test("The whole corpus at once leaves the server serving")
        func wholeCorpusAtOnce() async throws {
            let server = try SharedServer.require()
            let corpus = try BadRequest.load()
            let statuses = await withTaskGroup(of: (String, Int?).self) { group in
                for bad in corpus {
                    group.addTask { (bad.name, await server.client.exchange(bad.bytes).response?.status) }
                }
                var statuses: [String: Int?] = [:]
                for await (name, status) in group { statuses[name] = status }
                return statuses
            }
            for (name, status) in statuses.sorted(by: { $0.key < $1.key }) {
                #expect(
                    status.map { (400..<500).contains($0) } == true,
                    "\(name): \(status.map(String.init) ?? "no answer")")
            }
            #expect(server.exitStatus == nil, "fnhost serve died: \(server.capture.error.suffix(2000))")
            let health = try await server.client.get("/healthz")
            #expect(health.status == 200)
            #expect(try health.jsonObject()["status"] as? String == "ok")
            // And it still does real work.
            let invoke = try await server.client.invoke("org-status", payload: #"{"orgId":"ORG-0042"}"#)
            #expect(invoke.status == 200)
        }
    }
}
