import FnhostEventSources
import FnhostManifest
import Foundation
import TestSupport
import Testing

/// A bad manifest is refused with the file, the field and the reason, field by field.
@Suite struct ManifestTests {
    static let file = "/srv/functions/example/function.json"

    static func parse(_ text: String) throws(ManifestError) -> FunctionManifest {
        try ManifestLoader.parse(Array(text.utf8), file: file, directory: "/srv/functions/example")
    }

    /// The manifest's field error, or a recorded issue when it was accepted or refused for another reason.
    static func fieldError(
        _ text: String, sourceLocation: SourceLocation = #_sourceLocation
    ) -> (file: String, field: String, reason: String)? {
        do throws(ManifestError) {
            let manifest = try parse(text)
            Issue.record("accepted: \(manifest)", sourceLocation: sourceLocation)
        } catch {
            if case .invalidField(let file, let field, let reason) = error { return (file, field, reason) }
            Issue.record("refused, but not for a field: \(error)", sourceLocation: sourceLocation)
        }
        return nil
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var json: String
        var field: String
        /// Words the reason must contain, so that it tells the user what is wrong.
        var reason: [String]
        var testDescription: String { label }
    }

    static let cases: [Case] = [
        Case(label: "missing name", json: #"{"command": ["./run"]}"#, field: "name", reason: ["missing"]),
        Case(label: "empty name", json: #"{"name": "", "command": ["./run"]}"#, field: "name", reason: ["empty"]),
        Case(
            label: "name with a space", json: #"{"name": "bad name", "command": ["./run"]}"#, field: "name",
            reason: ["bad name", "not a valid function name"]),
        Case(
            label: "name with a slash", json: #"{"name": "../etc", "command": ["./run"]}"#, field: "name",
            reason: ["not a valid function name"]),
        Case(
            label: "name over 64 characters",
            json: #"{"name": "\#(String(repeating: "a", count: 65))", "command": ["./run"]}"#,
            field: "name", reason: ["not a valid function name", "64"]),
        Case(
            label: "name not a string", json: #"{"name": 42, "command": ["./run"]}"#, field: "name",
            reason: ["expected a string", "a number"]),
        Case(label: "missing command", json: #"{"name": "x"}"#, field: "command", reason: ["missing"]),
        Case(
            label: "empty command", json: #"{"name": "x", "command": []}"#, field: "command",
            reason: ["must name a program"]),
        Case(
            label: "empty program", json: #"{"name": "x", "command": [""]}"#, field: "command",
            reason: ["must name a program"]),
        Case(
            label: "command not an array", json: #"{"name": "x", "command": "./run"}"#, field: "command",
            reason: ["expected an array", "a string"]),
        Case(
            label: "command part not a string", json: #"{"name": "x", "command": ["./run", 3]}"#, field: "command[1]",
            reason: ["expected a string", "a number"]),
        Case(
            label: "memorySize below 128", json: #"{"name": "x", "command": ["./run"], "memorySize": 64}"#,
            field: "memorySize", reason: ["out of range", "128", "10240"]),
        Case(
            label: "memorySize above 10240", json: #"{"name": "x", "command": ["./run"], "memorySize": 10241}"#,
            field: "memorySize", reason: ["out of range"]),
        Case(
            label: "memorySize not whole", json: #"{"name": "x", "command": ["./run"], "memorySize": 256.5}"#,
            field: "memorySize", reason: ["whole number"]),
        Case(
            label: "memorySize a string", json: #"{"name": "x", "command": ["./run"], "memorySize": "512"}"#,
            field: "memorySize", reason: ["expected a number", "a string"]),
        Case(
            label: "timeout zero", json: #"{"name": "x", "command": ["./run"], "timeout": 0}"#,
            field: "timeout", reason: ["out of range", "900"]),
        Case(
            label: "timeout above 900", json: #"{"name": "x", "command": ["./run"], "timeout": 901}"#,
            field: "timeout", reason: ["out of range", "900"]),
        Case(
            label: "negative keepAlive", json: #"{"name": "x", "command": ["./run"], "keepAlive": -1}"#,
            field: "keepAlive", reason: ["out of range"]),
        Case(
            label: "reservedConcurrency not whole",
            json: #"{"name": "x", "command": ["./run"], "reservedConcurrency": 1.5}"#,
            field: "reservedConcurrency", reason: ["whole number"]),
        Case(
            label: "reservedConcurrency zero", json: #"{"name": "x", "command": ["./run"], "reservedConcurrency": 0}"#,
            field: "reservedConcurrency", reason: ["out of range"]),
        Case(
            label: "reservedConcurrency a string",
            json: #"{"name": "x", "command": ["./run"], "reservedConcurrency": "2"}"#,
            field: "reservedConcurrency", reason: ["expected a number"]),
        Case(
            label: "environment not an object", json: #"{"name": "x", "command": ["./run"], "environment": ["A=1"]}"#,
            field: "environment", reason: ["expected an object", "an array"]),
        Case(
            label: "reserved variable AWS_REGION",
            json: #"{"name": "x", "command": ["./run"], "environment": {"AWS_REGION": "eu-west-1"}}"#,
            field: "environment.AWS_REGION", reason: ["reserved"]),
        Case(
            label: "reserved variable AWS_SECRET_ACCESS_KEY",
            json: #"{"name": "x", "command": ["./run"], "environment": {"AWS_SECRET_ACCESS_KEY": "k"}}"#,
            field: "environment.AWS_SECRET_ACCESS_KEY", reason: ["reserved"]),
        Case(
            label: "reserved variable AWS_LAMBDA_RUNTIME_API",
            json: #"{"name": "x", "command": ["./run"], "environment": {"AWS_LAMBDA_RUNTIME_API": "evil:1"}}"#,
            field: "environment.AWS_LAMBDA_RUNTIME_API", reason: ["reserved"]),
        Case(
            label: "variable name starting with a digit",
            json: #"{"name": "x", "command": ["./run"], "environment": {"1ABC": "v"}}"#,
            field: "environment.1ABC", reason: ["not a valid variable name"]),
        Case(
            label: "variable name with a dash",
            json: #"{"name": "x", "command": ["./run"], "environment": {"A-B": "v"}}"#,
            field: "environment.A-B", reason: ["not a valid variable name"]),
        Case(
            label: "variable name with an equals sign",
            json: #"{"name": "x", "command": ["./run"], "environment": {"A=B": "v"}}"#,
            field: "environment.A=B", reason: ["not a valid variable name"]),
        Case(
            label: "empty variable name", json: #"{"name": "x", "command": ["./run"], "environment": {"": "v"}}"#,
            field: "environment.", reason: ["not a valid variable name"]),
        Case(
            label: "variable value an object",
            json: #"{"name": "x", "command": ["./run"], "environment": {"A": {"b": 1}}}"#,
            field: "environment.A", reason: ["expected a string", "an object"]),
        Case(
            label: "unknown field", json: #"{"name": "x", "command": ["./run"], "memory": 512}"#,
            field: "memory", reason: ["unknown field", "memorySize"]),
        Case(label: "top level not an object", json: #"["name", "x"]"#, field: "(top level)", reason: ["JSON object"]),
        Case(
            label: "description not a string", json: #"{"name": "x", "command": ["./run"], "description": 1}"#,
            field: "description", reason: ["expected a string"]),
        Case(
            label: "eventSources not a list", json: #"{"name": "f", "command": ["./run"], "eventSources": {}}"#,
            field: "eventSources", reason: ["expected an array"]),
        Case(
            label: "eventSources entry without a source",
            json: #"{"name": "f", "command": ["./run"], "eventSources": [{"batchSize": 5}]}"#,
            field: "eventSources[0].queue", reason: ["missing"]),
        Case(
            label: "eventSources batch over 10 without a window",
            json: #"{"name": "f", "command": ["./run"], "eventSources": [{"queue": "q", "batchSize": 50}]}"#,
            field: "eventSources[0]", reason: ["batch window"]),
        Case(
            label: "eventSources queue twice",
            json: #"{"name": "f", "command": ["./run"], "eventSources": [{"queue": "q"}, {"queue": "q"}]}"#,
            field: "eventSources[1]", reason: ["twice"]),
    ]

    @Test(arguments: cases)
    func aBadFieldIsRefusedNamingTheFileTheFieldAndTheReason(_ c: Case) throws {
        let error = try #require(Self.fieldError(c.json))
        #expect(error.file == Self.file)
        #expect(error.field == c.field)
        for word in c.reason { #expect(error.reason.contains(word), "reason \"\(error.reason)\" lacks \"\(word)\"") }
        let message = ManifestError.invalidField(file: error.file, field: error.field, reason: error.reason).description
        #expect(message == "\(Self.file): field \"\(c.field)\": \(error.reason)")
    }

    @Test func textThatIsNotJSONIsRefusedNamingTheFileAndWhy() {
        do throws(ManifestError) {
            _ = try Self.parse(#"{"name": "x", "command": ["./run"],"#)
            Issue.record("accepted a truncated manifest")
        } catch {
            guard case .malformed(let file, let reason) = error else { Issue.record("refused as \(error)"); return }
            #expect(file == Self.file)
            #expect(!reason.isEmpty)
            #expect(error.description.hasPrefix("\(Self.file): not valid JSON: "))
        }
    }

    @Test func aGoodManifestGivesEveryFieldAndTheDefaults() throws {
        let full = try Self.parse(
            """
            {"name": "org-status", "description": "d", "command": ["{build}/org-status", "--flag"], "handler": "h",
             "memorySize": 512, "timeout": 2.5, "keepAlive": 30, "reservedConcurrency": 4,
             "environment": {"STORE_DELAY_MS": 5, "MODE": "fast", "VERBOSE": true}}
            """)
        #expect(full.name == "org-status")
        #expect(full.command == ["{build}/org-status", "--flag"])
        #expect(full.handler == "h")
        #expect(full.memorySize == 512)
        #expect(full.timeout == 2.5)
        #expect(full.keepAlive == 30)
        #expect(full.reservedConcurrency == 4)
        #expect(full.environment == ["STORE_DELAY_MS": "5", "MODE": "fast", "VERBOSE": "true"])
        #expect(full.directory == "/srv/functions/example")
        #expect(full.file == Self.file)

        let minimal = try Self.parse(#"{"name": "x", "command": ["./run"]}"#)
        #expect(minimal.memorySize == 128)
        #expect(minimal.timeout == 3)
        #expect(minimal.keepAlive == 600)
        #expect(minimal.reservedConcurrency == nil)
        #expect(minimal.handler == "x.handler")
        #expect(minimal.environment.isEmpty)
    }

    @Test func eventSourcesAreReadWithTheAPIsDefaults() throws {
        let m = try Self.parse(
            #"{"name": "f", "command": ["./run"], "eventSources": [{"queue": "orders", "reportBatchItemFailures": true}, {"stream": "clicks", "startingPosition": "LATEST"}]}"#
        )
        #expect(m.eventSources.map(\.source) == ["orders", "clicks"])
        #expect(m.eventSources[0].settings.batchSize == 10 && m.eventSources[0].settings.reportBatchItemFailures)
        #expect(m.eventSources[1].settings.batchSize == 100)
        #expect(try Self.parse(#"{"name": "f", "command": ["./run"]}"#).eventSources.isEmpty)
    }

    @Test func aRouteThatIsNotAStringIsRefusedAtLoad() {
        let error = Self.fieldError(#"{"name": "x", "command": ["./run"], "routes": ["GET /ok", 7]}"#)
        #expect(error?.field == "routes[1]")
        #expect(error?.reason.contains("expected a string") == true)
    }

    @Test func twoManifestsWithTheSameNameAreRefusedNamingBothFiles() async throws {
        try await withTemporaryDirectory { dir in
            try Fixtures.writeManifest(#"{"name": "same", "command": ["./a"]}"#, function: "a", in: dir)
            try Fixtures.writeManifest(#"{"name": "same", "command": ["./b"]}"#, function: "b", in: dir)
            do throws(ManifestError) {
                let loaded = try ManifestLoader.loadAll(directory: dir)
                Issue.record("accepted \(loaded.map(\.name))")
            } catch {
                #expect(
                    error == .duplicateName(name: "same", files: [dir + "/a/function.json", dir + "/b/function.json"]))
                #expect(error.description.contains(dir + "/a/function.json"))
                #expect(error.description.contains(dir + "/b/function.json"))
            }
        }
    }

    @Test func aBadManifestAmongGoodOnesStopsTheLoadNamingItsFile() async throws {
        try await withTemporaryDirectory { dir in
            try Fixtures.writeManifest(#"{"name": "good", "command": ["./a"]}"#, function: "good", in: dir)
            try Fixtures.writeManifest(#"{"name": "bad", "command": ["./b"], "timeout": 0}"#, function: "bad", in: dir)
            do throws(ManifestError) {
                _ = try ManifestLoader.loadAll(directory: dir)
                Issue.record("accepted a manifest with timeout 0")
            } catch {
                guard case .invalidField(let file, let field, _) = error else {
                    Issue.record("refused as \(error)"); return
                }
                #expect(file == dir + "/bad/function.json")
                #expect(field == "timeout")
            }
        }
    }

    @Test func aFolderWithoutManifestsOrThatDoesNotExistIsRefused() async throws {
        try await withTemporaryDirectory { dir in
            #expect(throws: ManifestError.noFunctions(directory: dir)) { try ManifestLoader.loadAll(directory: dir) }
            do throws(ManifestError) {
                _ = try ManifestLoader.loadAll(directory: dir + "/missing")
                Issue.record("loaded a folder that does not exist")
            } catch {
                guard case .unreadable(let file, _) = error else { Issue.record("refused as \(error)"); return }
                #expect(file == dir + "/missing")
            }
        }
    }

    @Test func theFixtureManifestsAllLoad() throws {
        let names = try ManifestLoader.loadAll(directory: Paths.fixtureFunctions).map(\.name)
        #expect(
            names == [
                "crash-mid-invocation", "echo", "env-dump", "expect-continue", "flaky", "garbage", "hang",
                "init-error", "limited", "never-asks", "poison", "provisioned", "slow", "sqs-batch", "stream-poison",
                "wrong-request-id",
            ])
    }
}
