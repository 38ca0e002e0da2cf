import FnhostManifest
import Testing

@testable import FnhostServer

/// A manifest keeps its route keys as written; `fnhost serve` parses them when it builds its route table, and refuses
/// a malformed one as the manifest's own error: the file, the field and the gateway's reason.
@Suite struct RouteTableLoadingTests {
    static let file = "/srv/functions/example/function.json"

    static func manifest(_ text: String) throws -> FunctionManifest {
        try ManifestLoader.parse(Array(text.utf8), file: file, directory: "/srv/functions/example")
    }

    @Test func aMalformedRouteKeyIsRefusedWithTheFileTheFieldAndTheReason() throws {
        let manifest = try Self.manifest(
            #"{"name": "x", "command": ["./run"], "routes": ["GET /ok", "GET orgs/{id}"]}"#)
        #expect(manifest.routes == ["GET /ok", "GET orgs/{id}"])
        let error = #expect(throws: ManifestError.self) { try GatewayEndpoint.routeTable(for: [manifest]) }
        #expect(
            error?.description == Self.file + #": field "routes[1]": route key "GET orgs/{id}": "#
                + #"the path "orgs/{id}" must start with /, as in "/orgs/{id}""#)
    }

    @Test func wellFormedRouteKeysOfEveryKindBuildATable() throws {
        let good = try Self.manifest(
            #"{"name": "x", "command": ["./run"], "routes": ["GET /ok", "ANY /files/{path+}", "$default"]}"#)
        _ = try GatewayEndpoint.routeTable(for: [good])
    }
}
