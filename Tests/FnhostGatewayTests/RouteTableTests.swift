import FnhostGateway
import Testing

/// The route table: conflicts refused at build time, and API Gateway's precedence when a request matches.
@Suite("Route table")
struct RouteTableTests {
    private func table(_ routes: [(String, String)]) throws -> RouteTable {
        try RouteTable(routes.map { (routeKey: $0.0, function: $0.1) })
    }

    private func function(_ lookup: RouteLookup) -> String? {
        if case .matched(let function, _, _) = lookup { return function }
        return nil
    }

    @Test func theManifestRoutesReachTheirFunctions() throws {
        let routes = try table([
            ("GET /orgs/{orgId}", "org-status"), ("GET /members/{memberId}/coverage", "coverage"),
            ("POST /rules/evaluate", "rules"),
        ])
        #expect(
            routes.lookup(method: "GET", rawPath: "/orgs/42")
                == .matched(function: "org-status", routeKey: "GET /orgs/{orgId}", pathParameters: ["orgId": "42"]))
        #expect(
            routes.lookup(method: "GET", rawPath: "/members/m-7/coverage")
                == .matched(
                    function: "coverage", routeKey: "GET /members/{memberId}/coverage",
                    pathParameters: ["memberId": "m-7"]))
        #expect(
            routes.lookup(method: "POST", rawPath: "/rules/evaluate")
                == .matched(function: "rules", routeKey: "POST /rules/evaluate", pathParameters: [:]))
        #expect(routes.routes.map(\.function) == ["org-status", "coverage", "rules"])
    }

    @Test func aLiteralSegmentBeatsAParameterWhichBeatsAGreedyOne() throws {
        let routes = try table([
            ("GET /pets/{proxy+}", "greedy"), ("GET /pets/{type}/{id}", "params"), ("GET /pets/dog/{id}", "dog"),
            ("GET /pets/dog/1", "dog-1"), ("ANY /{proxy+}", "any-root"),
        ])
        #expect(function(routes.lookup(method: "GET", rawPath: "/pets/dog/1")) == "dog-1")
        #expect(function(routes.lookup(method: "GET", rawPath: "/pets/dog/2")) == "dog")
        #expect(function(routes.lookup(method: "GET", rawPath: "/pets/cat/2")) == "params")
        #expect(function(routes.lookup(method: "GET", rawPath: "/pets/cat/2/toys")) == "greedy")
        #expect(function(routes.lookup(method: "POST", rawPath: "/pets/dog/1")) == "any-root")
    }

    @Test func theOrderRoutesAreDeclaredInDoesNotChangeTheWinner() throws {
        let declared = [("GET /a/{x}", "param"), ("GET /a/b", "literal"), ("GET /a/{rest+}", "greedy")]
        for order in [declared, declared.reversed(), [declared[1], declared[2], declared[0]]] {
            let routes = try table(order)
            #expect(function(routes.lookup(method: "GET", rawPath: "/a/b")) == "literal")
            #expect(function(routes.lookup(method: "GET", rawPath: "/a/c")) == "param")
            #expect(function(routes.lookup(method: "GET", rawPath: "/a/c/d")) == "greedy")
        }
    }

    @Test func aNamedMethodBeatsAnyOnTheSamePath() throws {
        for order in [
            [("ANY /orgs/{id}", "any"), ("GET /orgs/{id}", "get")],
            [("GET /orgs/{id}", "get"), ("ANY /orgs/{id}", "any")],
        ] {
            let routes = try table(order)
            #expect(function(routes.lookup(method: "GET", rawPath: "/orgs/1")) == "get")
            #expect(function(routes.lookup(method: "PATCH", rawPath: "/orgs/1")) == "any")
        }
    }

    @Test func aMoreSpecificPathBeatsANamedMethod() throws {
        let routes = try table([("GET /orgs/{id}", "get-param"), ("ANY /orgs/special", "any-literal")])
        #expect(function(routes.lookup(method: "GET", rawPath: "/orgs/special")) == "any-literal")
    }

    @Test func dollarDefaultIsChosenOnlyWhenNothingElseMatches() throws {
        let routes = try table([("$default", "fallback"), ("GET /orgs/{id}", "org"), ("ANY /x/{p+}", "x")])
        #expect(function(routes.lookup(method: "GET", rawPath: "/orgs/1")) == "org")
        #expect(function(routes.lookup(method: "PUT", rawPath: "/x/a/b")) == "x")
        #expect(
            routes.lookup(method: "POST", rawPath: "/orgs/1")
                == .matched(function: "fallback", routeKey: "$default", pathParameters: [:]))
        #expect(function(routes.lookup(method: "GET", rawPath: "/nowhere")) == "fallback")
        #expect(function(routes.lookup(method: "GET", rawPath: "*")) == "fallback")
    }

    @Test func aPathThatMatchesOnlyOtherMethodsIs405WithTheAllowedMethods() throws {
        let routes = try table([("POST /orgs/{id}", "a"), ("DELETE /orgs/{id}", "b"), ("GET /other", "c")])
        #expect(routes.lookup(method: "GET", rawPath: "/orgs/1") == .methodNotAllowed(allowed: ["DELETE", "POST"]))
        let response = GatewayHTTPResponse.methodNotAllowed(allowed: ["DELETE", "POST"])
        #expect(response.status == 405)
        #expect(response.headerValues("allow") == ["DELETE, POST"])
    }

    @Test func aPathThatMatchesNoRouteIs404() throws {
        let routes = try table([("GET /orgs/{id}", "a")])
        #expect(routes.lookup(method: "GET", rawPath: "/members/1") == .notFound)
        #expect(routes.lookup(method: "GET", rawPath: "") == .notFound)
        #expect(routes.lookup(method: "GET", rawPath: "orgs/1") == .notFound)
        #expect(GatewayHTTPResponse.notFound.status == 404)
        #expect(GatewayHTTPResponse.notFound.bodyText == #"{"message":"Not Found"}"#)
    }

    @Test func methodsAreComparedExactly() throws {
        let routes = try table([("GET /orgs/{id}", "a")])
        #expect(routes.lookup(method: "get", rawPath: "/orgs/1") == .methodNotAllowed(allowed: ["GET"]))
    }

    @Test func aTrailingSlashDoesNotMatchAParameterOrLiteralRoute() throws {
        let routes = try table([("GET /orgs/{id}", "org"), ("GET /health", "health")])
        #expect(routes.lookup(method: "GET", rawPath: "/orgs/1/") == .notFound)
        #expect(routes.lookup(method: "GET", rawPath: "/health/") == .notFound)
        #expect(routes.lookup(method: "GET", rawPath: "/orgs/") == .notFound)
        #expect(routes.lookup(method: "GET", rawPath: "//orgs/1") == .notFound)
    }

    @Test func theRootRouteMatchesOnlyTheRootPath() throws {
        let routes = try table([("GET /", "root"), ("GET /{p+}", "rest")])
        #expect(function(routes.lookup(method: "GET", rawPath: "/")) == "root")
        #expect(function(routes.lookup(method: "GET", rawPath: "/a")) == "rest")
    }

    @Test func aGreedyParameterTakesTheRestIncludingSlashesButNeverNothing() throws {
        let routes = try table([("GET /files/{path+}", "files")])
        #expect(
            routes.lookup(method: "GET", rawPath: "/files/a/b/c.txt")
                == .matched(function: "files", routeKey: "GET /files/{path+}", pathParameters: ["path": "a/b/c.txt"]))
        #expect(
            routes.lookup(method: "GET", rawPath: "/files/a/")
                == .matched(function: "files", routeKey: "GET /files/{path+}", pathParameters: ["path": "a/"]))
        #expect(routes.lookup(method: "GET", rawPath: "/files/") == .notFound)
        #expect(routes.lookup(method: "GET", rawPath: "/files") == .notFound)
    }

    @Test func pathParametersArePercentDecoded() throws {
        let routes = try table([("GET /orgs/{orgId}", "org"), ("GET /files/{path+}", "files")])
        #expect(
            routes.lookup(method: "GET", rawPath: "/orgs/acme%20co%2Fus%C3%A9")
                == .matched(
                    function: "org", routeKey: "GET /orgs/{orgId}", pathParameters: ["orgId": "acme co/us\u{E9}"]))
        #expect(
            routes.lookup(method: "GET", rawPath: "/files/a%2Fb/c%20d")
                == .matched(function: "files", routeKey: "GET /files/{path+}", pathParameters: ["path": "a/b/c d"]))
        #expect(
            routes.lookup(method: "GET", rawPath: "/orgs/a+b")
                == .matched(function: "org", routeKey: "GET /orgs/{orgId}", pathParameters: ["orgId": "a+b"]))
    }

    @Test func aMalformedOrNonUTF8EscapeIsPassedAsWritten() throws {
        let routes = try table([("GET /orgs/{orgId}", "org")])
        #expect(
            routes.lookup(method: "GET", rawPath: "/orgs/100%")
                == .matched(function: "org", routeKey: "GET /orgs/{orgId}", pathParameters: ["orgId": "100%"]))
        #expect(
            routes.lookup(method: "GET", rawPath: "/orgs/%zz%FF")
                == .matched(function: "org", routeKey: "GET /orgs/{orgId}", pathParameters: ["orgId": "%zz%FF"]))
    }

    @Test func literalSegmentsMatchTheDecodedPath() throws {
        let routes = try table([("GET /orgs/{id}", "org")])
        #expect(function(routes.lookup(method: "GET", rawPath: "/%6Frgs/1")) == "org")
        #expect(routes.lookup(method: "GET", rawPath: "/orgs%2F1") == .notFound)
    }

    @Test func aRouteDeclaredTwiceIsRefusedNamingBothFunctions() throws {
        let error = #expect(throws: RouteTableError.self) {
            try table([("GET /orgs/{orgId}", "org-status"), ("GET /orgs/{id}", "orgs-v2")])
        }
        #expect(
            error
                == .conflict(
                    routeKey: "GET /orgs/{id}", function: "orgs-v2", existingRouteKey: "GET /orgs/{orgId}",
                    existingFunction: "org-status"))
        #expect(error?.description.contains("org-status") == true)
        #expect(error?.description.contains("orgs-v2") == true)
    }

    @Test func conflictsAreRefusedForGreedyShapesAndForTwoDefaults() throws {
        #expect(throws: RouteTableError.self) { try table([("ANY /f/{a+}", "x"), ("ANY /f/{b+}", "y")]) }
        #expect(throws: RouteTableError.self) { try table([("$default", "x"), ("$default", "y")]) }
        #expect(throws: RouteTableError.self) { try table([("GET /a", "x"), ("GET /a", "x")]) }
    }

    @Test func sameShapeWithAnotherMethodOrShapeIsNoConflict() throws {
        _ = try table([
            ("GET /orgs/{id}", "a"), ("ANY /orgs/{id}", "b"), ("POST /orgs/{id}", "c"), ("GET /orgs/{id+}", "d"),
            ("GET /orgs/x", "e"),
        ])
    }

    @Test func anInvalidRouteKeyIsReportedWithItsFunction() {
        let error = #expect(throws: RouteTableError.self) { try table([("GET /ok", "a"), ("GET orgs", "bad-fn")]) }
        #expect(
            error
                == .invalidRouteKey(
                    function: "bad-fn", error: .pathMustStartWithSlash(routeKey: "GET orgs", path: "orgs")))
        #expect(error?.description.hasPrefix("function bad-fn:") == true)
    }
}
