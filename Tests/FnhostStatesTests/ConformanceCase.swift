import FnhostStates
import FnhostWire
import TestSupport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One case of the conformance corpus (`Tests/Fixtures/states/*.json`): a definition, an input, the scripted
/// function answers, and what AWS's documentation says happens (output or error, history event types, the
/// invocations, the sleeps), with the page it comes from.
struct ConformanceCase: CustomStringConvertible, Sendable {
    var name: String
    var source: String
    var definitionText: String
    var input: JSONValue
    var invoker: JSONValue?
    var expect: [String: JSONValue]

    var description: String { name }

    static let folder = Paths.fixtures + "/states"

    /// Every case in the corpus, sorted by file name.
    static func all() -> [ConformanceCase] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return files.filter { $0.hasSuffix(".json") }.sorted().map { file in
            do {
                return try load(file)
            } catch {
                return ConformanceCase(
                    name: file, source: "", definitionText: "", input: .null, invoker: nil,
                    expect: ["loadError": .string("\(error)")])
            }
        }
    }

    static func load(_ file: String) throws -> ConformanceCase {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
        guard case .object(let o) = try JSONValue.parse(bytes) else { throw FixtureError("\(file): not an object") }
        guard case .string(let source)? = o["source"], source.hasPrefix("https://") else {
            throw FixtureError("\(file): every case cites its source page (\"source\": \"https://…\")")
        }
        guard let definition = o["definition"], case .object(let expect)? = o["expect"] else {
            throw FixtureError("\(file): needs \"definition\" and \"expect\"")
        }
        // A definition given as a string is used as is (to test bad JSON); an object is serialized.
        let text: String
        if case .string(let s) = definition {
            text = s
        } else {
            text = String(decoding: definition.serialized, as: UTF8.self)
        }
        return ConformanceCase(
            name: String(file.dropLast(5)), source: source, definitionText: text, input: o["input"] ?? .object([:]),
            invoker: o["invoker"], expect: expect)
    }
}
