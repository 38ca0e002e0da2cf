import FnhostProfiles
import Foundation
import TestSupport
import Testing

@testable import FnhostSimulation

@Suite("ProfileLoader")
struct ProfileLoaderTests {
    let loader = ProfileLoader()

    /// Parses `json` as if read from `bad.json`.
    func parse(_ json: String) throws(ProfileError) -> OverheadProfile {
        try loader.parse(Data(json.utf8), file: "bad.json")
    }

    /// A valid profile's `defaults` with one component replaced by `value` (raw JSON).
    func defaults(with component: String, _ value: String) -> String {
        var members = [
            "coldStart": #""constant:0""#, "invoke": #""constant:0""#, "gateway": #""constant:0""#,
            "referenceStore": #""constant:0""#, "stateTransition": #""constant:0""#,
        ]
        members[component] = value
        return "{" + members.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ")
            + "}"
    }

    @Test("a profile written before state machines existed (no stateTransition) loads, with no transition delay")
    func aProfileWithoutStateTransitionStillLoads() throws {
        let old =
            #"{"defaults": {"coldStart": "constant:100", "invoke": "constant:20", "gateway": "constant:30", "referenceStore": "constant:3"}}"#
        let profile = try parse(old)
        #expect(profile.distribution(.stateTransition) == .zero)
        #expect(profile.distribution(.invoke) != .zero)
    }

    @Test("the built-in profiles are none, lambda and lambda-vpc")
    func builtInNames() {
        #expect(loader.builtInNames == ["lambda", "lambda-vpc", "none"])
    }

    @Test("the built-in none profile is all zeros, equal to OverheadProfile.none")
    func noneLoads() throws {
        let none = try loader.load(nameOrPath: "none")
        #expect(none == .none)
        #expect(none.isZero)
    }

    @Test("the built-in lambda profile carries the field numbers, each with its source")
    func lambdaLoads() throws {
        let lambda = try loader.load(nameOrPath: "lambda")
        #expect(lambda.name == "lambda")
        #expect(lambda.distribution(.gateway) == .uniform(min: 50, max: 100))
        #expect(
            lambda.distribution(.invoke, function: "org-status").spec
                == "percentiles:p0=25,p50=35,p90=65,p99=100,p100=150")
        #expect(lambda.distribution(.coldStart) == .lognormal(median: 250, p99: 1000))
        for component in OverheadComponent.allCases {
            let source = lambda.sources["defaults.\(component.rawValue)"]
            #expect(source != nil && !source!.isEmpty, "defaults.\(component.rawValue) has no source note")
        }
        #expect(!lambda.isZero)
    }

    @Test("the built-in lambda-vpc profile has cold starts of seconds, except for rules which is outside the VPC")
    func lambdaVPCLoads() throws {
        let vpc = try loader.load(nameOrPath: "lambda-vpc")
        let summary = SampleSummary(vpc.distribution(.coldStart, function: "org-status"), count: 20_000)
        #expect(summary.percentile(50) > 4000 && summary.percentile(50) < 6000)
        #expect(summary.maximum <= 20_000 && summary.minimum >= 1000)
        #expect(vpc.distribution(.coldStart, function: "rules") == .lognormal(median: 250, p99: 1000))
        #expect(vpc.sources["functions.rules.coldStart"] != nil)
    }

    @Test("a user's profile file loads by path, with per-function overrides falling back to the defaults")
    func userFileByPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "fnhost-profile-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("mine.json")
        try Data(
            """
            {"defaults": \(defaults(with: "invoke", #"{"spec": "uniform:1..2", "source": "my laptop"}"#)),
             "functions": {"org-status": {"invoke": 30, "referenceStore": "constant:12"}}}
            """.utf8
        ).write(to: file)
        let profile = try loader.load(nameOrPath: file.path)
        #expect(profile.name == "mine")
        #expect(profile.description == "")
        #expect(profile.distribution(.invoke) == .uniform(min: 1, max: 2))
        #expect(profile.distribution(.invoke, function: "org-status") == .constant(30))
        #expect(profile.distribution(.referenceStore, function: "org-status") == .constant(12))
        #expect(profile.distribution(.gateway, function: "org-status") == .zero)
        #expect(profile.distribution(.invoke, function: "rules") == .uniform(min: 1, max: 2))
        #expect(profile.sources == ["defaults.invoke": "my laptop"])
    }

    @Test("an unknown name is refused with the list of built-in profiles")
    func unknownName() {
        #expect(throws: ProfileError.unknownProfile(name: "lambada", builtIn: ["lambda", "lambda-vpc", "none"])) {
            try loader.load(nameOrPath: "lambada")
        }
        #expect(
            ProfileError.unknownProfile(name: "x", builtIn: ["none"]).description.contains("path of a profile file"))
    }

    @Test("a missing file is refused, naming the file")
    func missingFile() {
        #expect(throws: ProfileError.unreadable(file: "/nonexistent/p.json", reason: "no such file")) {
            try loader.load(nameOrPath: "/nonexistent/p.json")
        }
    }

    @Test("invalid JSON is refused, naming the file and the line and column")
    func invalidJSON() {
        do {
            _ = try parse("{\n  \"defaults\": {,}\n}")
            Issue.record("expected an error")
        } catch {
            guard case .invalidJSON(let file, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(file == "bad.json")
            #expect(reason.contains("line 2, column 16"), "\(reason)")
        }
    }

    @Test(
        "each mistake is refused with the file, the JSON path and the reason",
        arguments: [
            (
                #"[1]"#,
                ProfileError.wrongType(file: "bad.json", path: "the profile", expected: "an object", found: "an array")
            ),
            (#"{}"#, .missingField(file: "bad.json", path: "defaults")),
            (
                #"{"defaults": "none"}"#,
                .wrongType(file: "bad.json", path: "defaults", expected: "an object", found: "a string")
            ),
            (
                #"{"defaults": {"coldStart": 0, "invoke": 0, "gateway": 0}}"#,
                .missingField(file: "bad.json", path: "defaults.referenceStore")
            ),
            (
                #"{"defaults": {"coldStart": 0, "invoke": 0, "gateway": 0, "referenceStore": 0, "database": 0}}"#,
                .unknownComponent(file: "bad.json", path: "defaults.database", component: "database")
            ),
            (
                #"{"defualts": {}}"#,
                .unknownKey(
                    file: "bad.json", path: "", key: "defualts",
                    allowed: ["name", "description", "defaults", "functions"])
            ),
            (
                #"{"name": 3, "defaults": {}}"#,
                .wrongType(file: "bad.json", path: "name", expected: "a string", found: "a number")
            ),
        ] as [(String, ProfileError)])
    func refusesStructuralMistakes(json: String, expected: ProfileError) {
        #expect(throws: expected) { try parse(json) }
    }

    @Test("component values are checked: spec, negative number, type, object keys, source type")
    func refusesBadComponentValues() {
        #expect(
            throws: ProfileError.badSpec(
                file: "bad.json", path: "defaults.invoke", error: .reversedRange(min: 100, max: 25))
        ) {
            try parse(#"{"defaults": \#(defaults(with: "invoke", #""uniform:100..25""#))}"#)
        }
        #expect(
            throws: ProfileError.badSpec(
                file: "bad.json", path: "defaults.gateway.spec",
                error: .negative(kind: "constant", field: "value", value: -3))
        ) {
            try parse(#"{"defaults": \#(defaults(with: "gateway", #"{"spec": "constant:-3"}"#))}"#)
        }
        #expect(throws: ProfileError.negativeValue(file: "bad.json", path: "defaults.coldStart", value: -5)) {
            try parse(#"{"defaults": \#(defaults(with: "coldStart", "-5"))}"#)
        }
        #expect(throws: ProfileError.negativeValue(file: "bad.json", path: "defaults.coldStart.spec", value: -1)) {
            try parse(#"{"defaults": \#(defaults(with: "coldStart", #"{"spec": -1}"#))}"#)
        }
        #expect(throws: ProfileError.missingField(file: "bad.json", path: "defaults.invoke.spec")) {
            try parse(#"{"defaults": \#(defaults(with: "invoke", #"{"source": "x"}"#))}"#)
        }
        #expect(
            throws: ProfileError.unknownKey(
                file: "bad.json", path: "defaults.invoke", key: "note", allowed: ["spec", "source"])
        ) {
            try parse(#"{"defaults": \#(defaults(with: "invoke", #"{"spec": "constant:1", "note": "x"}"#))}"#)
        }
        #expect(
            throws: ProfileError.wrongType(
                file: "bad.json", path: "defaults.invoke.source", expected: "a string", found: "a boolean")
        ) {
            try parse(#"{"defaults": \#(defaults(with: "invoke", #"{"spec": "constant:1", "source": true}"#))}"#)
        }
        #expect(throws: ProfileError.self) { try parse(#"{"defaults": \#(defaults(with: "invoke", "true"))}"#) }
    }

    @Test("per-function overrides are checked with their function's path")
    func refusesBadFunctionOverrides() {
        let valid = defaults(with: "invoke", "0")
        #expect(
            throws: ProfileError.wrongType(
                file: "bad.json", path: "functions", expected: "an object", found: "an array")
        ) {
            try parse(#"{"defaults": \#(valid), "functions": []}"#)
        }
        #expect(
            throws: ProfileError.unknownComponent(
                file: "bad.json", path: "functions.org-status.cold", component: "cold")
        ) {
            try parse(#"{"defaults": \#(valid), "functions": {"org-status": {"cold": 5}}}"#)
        }
        #expect(
            throws: ProfileError.badSpec(file: "bad.json", path: "functions.rules.invoke", error: .unknownKind("fast"))
        ) {
            try parse(#"{"defaults": \#(valid), "functions": {"rules": {"invoke": "fast"}}}"#)
        }
    }

    @Test("error messages name the file and the field, and say what to do")
    func errorMessages() {
        let badSpec = ProfileError.badSpec(
            file: "p.json", path: "defaults.invoke", error: .reversedRange(min: 100, max: 25))
        #expect(badSpec.description.hasPrefix("p.json: defaults.invoke: "))
        #expect(badSpec.description.contains("uniform:2..8"))
        #expect(badSpec.file == "p.json" && badSpec.path == "defaults.invoke")
        #expect(ProfileError.missingField(file: "p.json", path: "defaults.gateway").description.contains("constant:0"))
        #expect(
            ProfileError.unknownComponent(file: "p.json", path: "defaults.x", component: "x").description.contains(
                "referenceStore"))
        #expect(
            ProfileError.unknownKey(file: "p.json", path: "", key: "k", allowed: ["name"]).description.contains(
                "the top level"))
    }
}
