import FnhostSimulation
import FnhostWire

/// A `Parameters`, `ItemSelector` or `ResultSelector` value: JSON whose fields named `….$` are replaced, each time
/// the state runs, by what their path (`$…` the input, `$$…` the context object) or intrinsic call gives; the `.$`
/// is dropped from the name. Nested objects are templates too.
public indirect enum PayloadTemplate: Hashable, Sendable {
    case literal(JSONValue)
    case object([String: PayloadTemplate])
    case path(JSONPath, field: String)
    case intrinsic(IntrinsicCall, field: String)

    /// Reads a template, appending a problem for every bad `.$` field (located under `location`).
    static func parse(_ value: JSONValue, location: String, problems: inout [DefinitionProblem]) -> PayloadTemplate {
        guard case .object(let fields) = value else { return .literal(value) }
        var out: [String: PayloadTemplate] = [:]
        var dynamic = false
        for key in fields.keys.sorted() {
            let v = fields[key]!
            if key.hasSuffix(".$") {
                dynamic = true
                let name = String(key.dropLast(2))
                guard case .string(let expression) = v else {
                    problems.append(
                        .schema(
                            "The value for the field '\(key)' must be a STRING that contains a JSONPath or an intrinsic "
                                + "function", at: "\(location)"))
                    continue
                }
                if out[name] != nil || fields[name] != nil {
                    problems.append(.schema("The field '\(name)' is given both with and without '.$'", at: location))
                }
                if expression.hasPrefix("$") {
                    do {
                        out[name] = .path(try JSONPath(expression), field: key)
                    } catch {
                        problems.append(
                            .schema("The value for the field '\(key)' must be a valid JSONPath: \(error)", at: location)
                        )
                    }
                } else if expression.hasPrefix("States.") {
                    do {
                        out[name] = .intrinsic(try IntrinsicCall(parsing: expression), field: key)
                    } catch {
                        problems.append(
                            .schema(
                                "The value for the field '\(key)' must be a valid intrinsic function call: \(error)",
                                at: location))
                    }
                } else {
                    problems.append(
                        .schema(
                            "The value for the field '\(key)' must be a valid JSONPath or a valid intrinsic function "
                                + "call", at: location))
                }
            } else {
                let inner = parse(v, location: "\(location)/\(key)", problems: &problems)
                if case .literal = inner {} else { dynamic = true }
                out[key] = inner
            }
        }
        return dynamic ? .object(out) : .literal(value)
    }

    /// The JSON the template gives for `input` and `context`; a path that matches nothing or a failing intrinsic is
    /// `States.Runtime`, as AWS reports it.
    public func evaluate(
        input: JSONValue, context: JSONValue, random: inout SeededGenerator
    ) throws(StatesError) -> JSONValue {
        switch self {
        case .literal(let v): return v
        case .object(let fields):
            var out: [String: JSONValue] = [:]
            for (k, t) in fields { out[k] = try t.evaluate(input: input, context: context, random: &random) }
            return .object(out)
        case .path(let path, let field):
            guard let v = path.select(input: input, context: context) else {
                let source = path.root == .context ? context : input
                throw .runtime(
                    "The JSONPath '\(path.text)' specified for the field '\(field)' could not be found in the "
                        + "\(path.root == .context ? "context object" : "input") "
                        + "'\(String(decoding: source.serialized, as: UTF8.self))'")
            }
            return v
        case .intrinsic(let call, _):
            return try call.evaluate(input: input, context: context, random: &random)
        }
    }
}
