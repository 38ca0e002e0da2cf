import FnhostGateway
import Testing

/// Route keys as manifests write them: what parses, into what, and every way one is refused.
@Suite("Route keys")
struct RouteKeyParsingTests {
    @Test func aRouteKeySplitsIntoMethodAndSegments() throws {
        let key = try RouteKey(parsing: "GET /members/{memberId}/coverage")
        #expect(key.method == "GET")
        #expect(key.segments == [.literal("members"), .parameter("memberId"), .literal("coverage")])
        #expect(key.text == "GET /members/{memberId}/coverage")
        #expect(!key.isDefault)
    }

    @Test func aGreedyParameterIsAllowedAsTheLastSegment() throws {
        let key = try RouteKey(parsing: "ANY /files/{path+}")
        #expect(key.method == "ANY")
        #expect(key.segments == [.literal("files"), .greedy("path")])
    }

    @Test func theRootPathHasNoSegments() throws {
        #expect(try RouteKey(parsing: "GET /").segments == [])
    }

    @Test func dollarDefaultIsTheCatchAll() throws {
        let key = try RouteKey(parsing: "$default")
        #expect(key.isDefault)
        #expect(key.method == nil)
    }

    @Test func surroundingWhitespaceIsIgnored() throws {
        #expect(try RouteKey(parsing: "  POST /rules/evaluate \n").text == "POST /rules/evaluate")
    }

    @Test func literalSegmentsMayHoldSubDelimitersColonAndAt() throws {
        #expect(try RouteKey(parsing: "GET /v1:batch/@me/a-b_c.d~e").segments.count == 3)
    }

    @Test func anEmptyRouteKeyIsRefused() {
        #expect(throws: RouteKeyError.empty) { try RouteKey(parsing: "   ") }
    }

    @Test func aRouteKeyWithoutAPathIsRefused() {
        #expect(throws: RouteKeyError.missingPath(routeKey: "GET")) { try RouteKey(parsing: "GET") }
        #expect(throws: RouteKeyError.missingPath(routeKey: "GET/orgs")) { try RouteKey(parsing: "GET/orgs") }
    }

    @Test func anUnknownOrLowerCaseMethodIsRefusedWithTheFix() throws {
        #expect(throws: RouteKeyError.badMethod(routeKey: "FETCH /orgs", method: "FETCH")) {
            try RouteKey(parsing: "FETCH /orgs")
        }
        let error = #expect(throws: RouteKeyError.self) { try RouteKey(parsing: "get /orgs") }
        #expect(error == .badMethod(routeKey: "get /orgs", method: "get"))
        #expect(error?.description.contains("write \"GET\"") == true)
    }

    @Test func aPathWithoutALeadingSlashIsRefused() {
        #expect(throws: RouteKeyError.pathMustStartWithSlash(routeKey: "GET orgs/{id}", path: "orgs/{id}")) {
            try RouteKey(parsing: "GET orgs/{id}")
        }
    }

    @Test func emptySegmentsAreRefused() {
        #expect(throws: RouteKeyError.emptySegment(routeKey: "GET /orgs//x")) { try RouteKey(parsing: "GET /orgs//x") }
        #expect(throws: RouteKeyError.emptySegment(routeKey: "GET /orgs/")) { try RouteKey(parsing: "GET /orgs/") }
    }

    @Test func aParameterWithoutANameIsRefused() {
        #expect(throws: RouteKeyError.emptyParameter(routeKey: "GET /orgs/{}", segment: "{}")) {
            try RouteKey(parsing: "GET /orgs/{}")
        }
        #expect(throws: RouteKeyError.emptyParameter(routeKey: "GET /orgs/{+}", segment: "{+}")) {
            try RouteKey(parsing: "GET /orgs/{+}")
        }
    }

    @Test(arguments: ["org{id}", "{id}x", "{id", "id}", "{a{b}}", "{a b}", "{a/b}", "{id++}", "{"])
    func aMalformedParameterIsRefused(segment: String) {
        let key = "GET /orgs/\(segment)"
        let error = #expect(throws: RouteKeyError.self) { try RouteKey(parsing: key) }
        switch error {
        case .malformedParameter?, .emptySegment?, .invalidCharacter?: break
        default: Issue.record("\(key): unexpected \(String(describing: error))")
        }
    }

    @Test func braceSegmentsThatDoNotWrapTheWholeSegmentNameTheSegment() {
        #expect(throws: RouteKeyError.malformedParameter(routeKey: "GET /orgs/org{id}", segment: "org{id}")) {
            try RouteKey(parsing: "GET /orgs/org{id}")
        }
    }

    @Test func aGreedyParameterBeforeTheEndIsRefused() {
        #expect(throws: RouteKeyError.greedyNotLast(routeKey: "GET /{path+}/meta", segment: "{path+}")) {
            try RouteKey(parsing: "GET /{path+}/meta")
        }
    }

    @Test func aRepeatedParameterNameIsRefused() {
        #expect(throws: RouteKeyError.duplicateParameter(routeKey: "GET /{id}/x/{id}", name: "id")) {
            try RouteKey(parsing: "GET /{id}/x/{id}")
        }
        #expect(throws: RouteKeyError.duplicateParameter(routeKey: "GET /{id}/{id+}", name: "id")) {
            try RouteKey(parsing: "GET /{id}/{id+}")
        }
    }

    @Test func aLiteralWithACharacterAPathCannotHoldIsRefused() {
        #expect(throws: RouteKeyError.invalidCharacter(routeKey: "GET /a b", segment: "a b", character: " ")) {
            try RouteKey(parsing: "GET /a b")
        }
        #expect(throws: RouteKeyError.invalidCharacter(routeKey: "GET /a%20b", segment: "a%20b", character: "%")) {
            try RouteKey(parsing: "GET /a%20b")
        }
        #expect(throws: RouteKeyError.self) { try RouteKey(parsing: "GET /caf\u{E9}") }
    }

    @Test func everyErrorMessageQuotesTheRouteKey() {
        let errors: [RouteKeyError] = [
            .missingPath(routeKey: "K"), .badMethod(routeKey: "K", method: "X"),
            .pathMustStartWithSlash(routeKey: "K", path: "p"), .emptySegment(routeKey: "K"),
            .emptyParameter(routeKey: "K", segment: "{}"), .malformedParameter(routeKey: "K", segment: "{"),
            .greedyNotLast(routeKey: "K", segment: "{a+}"), .duplicateParameter(routeKey: "K", name: "a"),
            .invalidCharacter(routeKey: "K", segment: "\u{1}", character: "\u{1}"),
        ]
        for error in errors { #expect(error.description.contains("\"K\""), "\(error)") }
        #expect(
            RouteKeyError.invalidCharacter(routeKey: "K", segment: "\u{1}", character: "\u{1}").description.contains(
                "U+1"))
    }
}
