import Foundation
import FuzzTargets
import Testing

/// Every fuzz target runs over its seed corpus (`Tests/Fuzz/corpus/TARGET/`) and over every input that once crashed
/// it (`Tests/Fuzz/regressions/TARGET/`, where `scripts/fuzz` tells you to put a crash it finds): in the ordinary
/// suite, without libFuzzer, so that a fixed crash stays fixed.
@Suite("Fuzz corpus and regressions")
struct FuzzRegressionTests {
    static let fuzzFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    static func inputs(_ kind: String, _ target: FuzzTarget) -> [URL] {
        let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyTargetHasASeedCorpusAndRunsItWithoutTrapping(_ target: FuzzTarget) throws {
        let seeds = Self.inputs("corpus", target)
        #expect(!seeds.isEmpty, "Tests/Fuzz/corpus/\(target.rawValue)/ has no seed input")
        for file in seeds { target.run(Array(try Data(contentsOf: file))) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyInputThatOnceCrashedATargetNowRunsCleanly(_ target: FuzzTarget) throws {
        for file in Self.inputs("regressions", target) { target.run(Array(try Data(contentsOf: file))) }
    }
}
