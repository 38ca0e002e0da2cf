import FnhostSimulation
import FnhostStates
import FnhostWire
import Testing

/// The intrinsic functions' argument rules and the seeded ones (`States.UUID`, `States.MathRandom`).
@Suite struct IntrinsicTests {
    func evaluate(_ text: String, input: JSONValue = .object([:]), seed: UInt64 = 1) throws -> JSONValue {
        var random = SeededGenerator(seed: seed)
        return try IntrinsicCall(parsing: text).evaluate(input: input, context: .object([:]), random: &random)
    }

    @Test("States.UUID gives version 4 UUIDs, the same under the same seed")
    func uuid() throws {
        guard case .string(let u) = try evaluate("States.UUID()") else {
            Issue.record("not a string")
            return
        }
        let parts = u.split(separator: "-").map(\.count)
        #expect(parts == [8, 4, 4, 4, 12])
        #expect(Array(u)[14] == "4")
        #expect(["8", "9", "a", "b"].contains(Array(u)[19]))
        #expect(try evaluate("States.UUID()") == .string(u))
        #expect(try evaluate("States.UUID()", seed: 2) != .string(u))
    }

    @Test("States.MathRandom stays in [start, end) and repeats for an explicit seed")
    func mathRandom() throws {
        for seed in UInt64(1)...200 {
            guard case .number(let n) = try evaluate("States.MathRandom(1, 4)", seed: seed) else { return }
            #expect((1..<4).contains(Int(n)))
        }
        let a = try evaluate("States.MathRandom(1, 999, 1234)", seed: 1)
        let b = try evaluate("States.MathRandom(1, 999, 1234)", seed: 99)
        #expect(a == b)
    }

    @Test(
        "arguments outside AWS's rules fail as States.Runtime",
        arguments: [
            "States.MathAdd(2147483648, 1)", "States.MathAdd(1.5, 1)", "States.ArrayRange(1, 2000, 1)",
            "States.ArrayRange(1, 5, 0)", "States.Base64Decode('not base64!')", "States.Format('{} {}', 1)",
            "States.Format('{}', 1, 2)", "States.ArrayPartition(States.Array(1), 0)", "States.JsonMerge($, $, true)",
            "States.Hash('x', 'SHA-3')", "States.StringToJson('{')", "States.MathRandom(5, 5)",
        ])
    func runtimeErrors(_ text: String) throws {
        do {
            _ = try evaluate(text)
            Issue.record("\(text) should fail")
        } catch let error as StatesError {
            #expect(error.name == "States.Runtime")
        }
    }

    @Test("calls nest at most ten deep, and argument counts are checked when parsing")
    func parseRules() {
        let ten = String(repeating: "States.Array(", count: 10) + String(repeating: ")", count: 10)
        #expect(throws: Never.self) { try IntrinsicCall(parsing: ten) }
        let eleven = String(repeating: "States.Array(", count: 11) + String(repeating: ")", count: 11)
        #expect(throws: IntrinsicSyntaxError.self) { try IntrinsicCall(parsing: eleven) }
        #expect(throws: IntrinsicSyntaxError.self) { try IntrinsicCall(parsing: "States.UUID(1)") }
        #expect(throws: IntrinsicSyntaxError.self) { try IntrinsicCall(parsing: "States.Format()") }
        #expect(throws: IntrinsicSyntaxError.self) { try IntrinsicCall(parsing: "States.Format('\\n')") }
    }

    @Test("States.Hash hashes a non-string argument as its JSON text")
    func hashOfObject() throws {
        #expect(
            try evaluate("States.Hash($.o, 'MD5')", input: .object(["o": .object(["a": .number(1)])]))
                == evaluate("States.Hash('{\"a\":1}', 'MD5')"))
    }
}
