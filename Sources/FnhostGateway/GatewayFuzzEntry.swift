/// One entry point that runs arbitrary bytes through the whole gateway (route key parser, route table, event
/// builder and JSON writer, response mapper), for libFuzzer (`LLVMFuzzerTestOneInput`) and for the property tests.
///
/// It produces no output. It traps only when an output breaks `GatewayInvariants`, which is a bug for the fuzzer to
/// report; any input that merely is invalid must be handled.
public enum GatewayFuzzEntry {
    /// The routes the fuzzed requests are matched against: every kind of segment, `ANY`, and `$default`.
    static let routes: [(routeKey: String, function: String)] = [
        ("GET /orgs/{orgId}", "org-status"), ("GET /members/{memberId}/coverage", "coverage"),
        ("POST /rules/evaluate", "rules"), ("ANY /orgs/{orgId}/{rest+}", "any"), ("GET /orgs/special", "special"),
        ("DELETE /files/{path+}", "files"),
    ]
    static let methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "get", "BREW"]
    static let contentTypes: [String?] = [nil, "application/json", "image/png", "text/plain; charset=utf-8"]

    /// Input layout: byte 0 picks the method (low 3 bits), the content type (next 2 bits) and whether `$default` is
    /// in the table (next bit); the rest is split on NUL into path, query, header lines (`name:value` separated by
    /// `\n`), a route key, the request body, and the function's answer (which keeps any further NULs).
    public static func run(_ data: [UInt8]) {
        let selector = data.first ?? 0
        let parts = data.dropFirst().split(separator: 0, maxSplits: 5, omittingEmptySubsequences: false)
        func part(_ index: Int) -> [UInt8] { index < parts.count ? Array(parts[index]) : [] }
        func text(_ index: Int) -> String { String(decoding: part(index), as: UTF8.self) }

        var headers: [(name: String, value: String)] = []
        for line in text(2).split(separator: "\n") {
            let pieces = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            headers.append((String(pieces[0]), pieces.count > 1 ? String(pieces[1]) : ""))
        }
        if let contentType = contentTypes[Int(selector >> 3 & 3)] { headers.append(("Content-Type", contentType)) }
        let request = GatewayHTTPRequest(
            method: methods[Int(selector & 7)], rawPath: text(0), rawQueryString: text(1), headers: headers,
            body: part(4), timeEpochMilliseconds: Int64(selector) * 86_400_000 * 1000 - 1)

        var declared = routes
        if selector & 0x20 != 0 { declared.append(("$default", "fallback")) }
        if let key = try? RouteKey(parsing: text(3)) { declared.append((key.text, "fuzzed")) }
        let table = try? RouteTable(declared)

        let routeKey: String
        var pathParameters: [String: String] = [:]
        switch table?.lookup(method: request.method, rawPath: request.rawPath) {
        case .matched(_, let key, let parameters)?:
            routeKey = key
            pathParameters = parameters
        case .methodNotAllowed(let allowed)?:
            check(GatewayInvariants.problems(in: .methodNotAllowed(allowed: allowed)))
            routeKey = RouteKey.defaultRouteText
        case .notFound?, nil:
            routeKey = RouteKey.defaultRouteText
        }
        let event = GatewayEventBuilder().event(
            for: request, routeKey: routeKey, pathParameters: pathParameters, requestID: "fuzz")
        check(GatewayInvariants.problems(inEventJSON: event.jsonBytes()))
        if let tooLarge = GatewayLimits.check(bodyByteCount: request.body.count) {
            check(GatewayInvariants.problems(in: tooLarge))
        }
        check(GatewayInvariants.problems(in: GatewayResponseMapper.response(forAnswer: part(5))))
    }

    private static func check(_ problems: [String]) {
        if let first = problems.first { fatalError("gateway invariant broken: \(first)") }
    }
}
