import FnhostSimulation
import FnhostStates
import FnhostWire

/// The Amazon States Language's parsers under the fuzzer: definitions (`asl`) and paths with intrinsic calls
/// (`jsonpath`), with the invariants each must keep.
enum StatesFuzzEntry {
    /// A definition is either refused with located, coded problems, or accepted with every transition landing on a
    /// state of its own scope.
    static func definition(_ input: [UInt8]) {
        let definition: StateMachineDefinition
        do {
            definition = try StateMachineDefinition.parse(input)
        } catch {
            precondition(!error.problems.isEmpty, "a refused definition says why")
            for p in error.problems {
                precondition(!p.code.isEmpty && !p.message.isEmpty, "a problem has a code and a message")
            }
            _ = error.description
            return
        }
        func check(_ graph: StateGraph) {
            precondition(graph.states[graph.startAt] != nil, "StartAt names a state of its scope")
            for state in graph.states.values {
                var targets: [String] = []
                if case .next(let n)? = state.transition { targets.append(n) }
                switch state.kind {
                case .choice(let c): targets += c.choices.map(\.next) + (c.defaultNext.map { [$0] } ?? [])
                case .task(let t): targets += t.catchers.map(\.next)
                case .parallel(let p):
                    targets += p.catchers.map(\.next)
                    p.branches.forEach(check)
                case .map(let m):
                    targets += m.catchers.map(\.next)
                    check(m.processor)
                default: break
                }
                for t in targets {
                    precondition(graph.states[t] != nil, "every transition lands on a state of its scope")
                }
            }
        }
        check(definition.graph)
        precondition(definition.allStateNames.count == Set(definition.allStateNames).count, "state names are unique")
    }

    /// A path parses or says where it fails; a parsed path evaluates on any document; a reference path that places a
    /// value reads the same value back from where it placed it. An intrinsic call evaluates or fails as
    /// `States.Runtime`.
    static func path(_ input: [UInt8]) {
        let parts = input.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        let text = String(decoding: parts[0], as: UTF8.self)
        let document = parts.count > 1 ? (try? JSONValue.parse(Array(parts[1]))) ?? .null : .object(["a": .number(1)])
        let context = JSONValue.object(["Execution": .object(["Id": .string("x")])])
        if text.hasPrefix("States.") {
            do {
                let call = try IntrinsicCall(parsing: text)
                var random = SeededGenerator(seed: 1)
                do {
                    _ = try call.evaluate(input: document, context: context, random: &random)
                } catch {
                    precondition(error.name == "States.Runtime", "an intrinsic fails as States.Runtime")
                }
            } catch {
                precondition(error.offset >= 0 && error.offset <= text.utf8.count, "the error points into the text")
            }
            return
        }
        let path: JSONPath
        do {
            path = try JSONPath(text)
        } catch {
            precondition(error.offset >= 0 && error.offset <= text.utf8.count, "the error points into the text")
            return
        }
        let found = path.matches(input: document, context: context)
        if path.isDefinite { precondition(found.count <= 1, "a definite path matches at most one node") }
        guard path.isReferencePath, path.root == .input else { return }
        let marker = JSONValue.string("fuzz-marker")
        if let placed = try? path.placing(marker, into: document) {
            precondition(path.select(input: placed, context: context) == marker, "ResultPath reads back what it placed")
        }
    }
}
