import FnhostWire
import Testing

/// The worker builds Runtime API paths and the host parses them with one shared definition: every path the builders
/// make parses back to its route, and nothing else does.
@Suite("Runtime API routes")
struct RuntimeAPIRouteTests {
    @Test func everyPathTheWorkerBuildsParsesBackToItsRoute() {
        let id = "8f5c3a0e-1b2d-4c5e-9f60-7a8b9c0d1e2f"
        #expect(RuntimeAPI.Route(method: "GET", target: RuntimeAPI.nextPath) == .next)
        #expect(
            RuntimeAPI.Route(method: "POST", target: RuntimeAPI.responsePath(requestID: id)) == .response(requestID: id)
        )
        #expect(RuntimeAPI.Route(method: "POST", target: RuntimeAPI.errorPath(requestID: id)) == .error(requestID: id))
        #expect(RuntimeAPI.Route(method: "POST", target: RuntimeAPI.initErrorPath) == .initError)
        #expect(
            RuntimeAPI.Route(method: "POST", target: InvokeAPI.path(function: "rules")) == .invoke(function: "rules"))
    }

    @Test func aQueryStringIsIgnored() {
        #expect(RuntimeAPI.Route(method: "GET", target: RuntimeAPI.nextPath + "?x=1") == .next)
    }

    @Test(arguments: [
        ("POST", "/2018-06-01/runtime/invocation/next"), ("GET", "/2018-06-01/runtime/invocation/id/response"),
        ("GET", "/2018-06-01/runtime/init/error"), ("POST", "/2018-06-01/runtime/invocation/id/other"),
        ("POST", "/2018-06-01/runtime"), ("GET", "/2015-03-31/functions/rules/invocations"),
        ("POST", "/2015-03-31/functions/rules"),
    ])
    func aWrongMethodOrAnUnknownPathUnderAnAPIIsAnUnknownAPIRoute(_ method: String, _ target: String) {
        #expect(RuntimeAPI.Route(method: method, target: target) == .unknownAPIRoute)
    }

    @Test(arguments: ["/", "/metrics", "/2018-06-02/runtime/invocation/next", ""])
    func anythingElseIsNotFound(_ target: String) {
        #expect(RuntimeAPI.Route(method: "GET", target: target) == .notFound)
    }
}
