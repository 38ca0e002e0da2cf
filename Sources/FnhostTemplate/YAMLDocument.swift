import FnhostWire
import Yams

/// Turns YAML text (JSON is YAML too) into the one JSON value type fnhost uses, with CloudFormation's short-form
/// tags (`!Ref Name`, `!Sub "…"`, `!GetAtt Res.Attr`) rewritten into their long forms (`{"Ref": "Name"}`), so the
/// resolver sees one shape whichever form a template was written in.
enum YAMLDocument {
    /// The short-form tags CloudFormation accepts, by tag, with the long-form key each stands for.
    static let shortForms: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!Join": "Fn::Join",
        "!Select": "Fn::Select", "!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
        "!And": "Fn::And", "!Or": "Fn::Or", "!FindInMap": "Fn::FindInMap", "!Base64": "Fn::Base64",
        "!GetAZs": "Fn::GetAZs", "!ImportValue": "Fn::ImportValue", "!Cidr": "Fn::Cidr", "!Transform": "Fn::Transform",
        "!ToJsonString": "Fn::ToJsonString", "!Length": "Fn::Length",
    ]

    /// Parses `text`; a syntax error names the line and column.
    static func parse(_ text: String, file: String) throws(TemplateError) -> JSONValue {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .malformed(file: file, reason: "not valid YAML: \(describe(error))")
        } catch {
            throw .malformed(file: file, reason: "not valid YAML: \(error)")
        }
        guard let root else { throw .malformed(file: file, reason: "the file is empty") }
        return try convert(root, file: file, path: "", depth: 0)
    }

    /// Deep enough for any real template; a deeper document is refused rather than risking the stack.
    static let maximumDepth = 128

    private static func convert(_ node: Node, file: String, path: String, depth: Int) throws(TemplateError)
        -> JSONValue
    {
        guard depth < maximumDepth else {
            throw .malformed(file: file, reason: "nested more than \(maximumDepth) levels deep at \(path)")
        }
        let tag = node.tag.description
        if let key = shortForms[tag] {
            let untagged = retagged(node)
            var value = try convert(untagged, file: file, path: path, depth: depth + 1)
            // `!GetAtt Res.Attr` is the dotted scalar form of `Fn::GetAtt: [Res, Attr]`.
            if key == "Fn::GetAtt", case .string(let dotted) = value, let dot = dotted.firstIndex(of: ".") {
                value = .array([.string(String(dotted[..<dot])), .string(String(dotted[dotted.index(after: dot)...]))])
            }
            return .object([key: value])
        }
        if tag.hasPrefix("!") && tag != "!" {
            throw .malformed(
                file: file,
                reason: "unknown tag \(tag) at \(path.isEmpty ? "the top" : path)\(where: node.mark); "
                    + "CloudFormation's short forms are \(shortForms.keys.sorted().joined(separator: ", "))")
        }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (i, item) in sequence.enumerated() {
                items.append(try convert(item, file: file, path: "\(path)[\(i)]", depth: depth + 1))
            }
            return .array(items)
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let k) = key else {
                    throw .malformed(file: file, reason: "a mapping key at \(path)\(where: key.mark) is not a scalar")
                }
                let name = k.string
                let child = path.isEmpty ? name : "\(path).\(name)"
                if object[name] != nil {
                    throw .malformed(file: file, reason: "duplicate key \(child)\(where: key.mark)")
                }
                object[name] = try convert(value, file: file, path: child, depth: depth + 1)
            }
            return .object(object)
        case .alias:
            throw .malformed(file: file, reason: "an unresolved alias at \(path)")
        }
    }

    /// A tagged node with its tag removed, so its content is read as plain YAML.
    private static func retagged(_ node: Node) -> Node {
        switch node {
        case .scalar(var s):
            s.tag = Tag(.str)
            return .scalar(s)
        case .sequence(var s):
            s.tag = Tag(.seq)
            return .sequence(s)
        case .mapping(var m):
            m.tag = Tag(.map)
            return .mapping(m)
        case .alias:
            return node
        }
    }

    /// A scalar by its resolved tag: plain `128` is a number, `true` a boolean, `~` null; quoted text stays text.
    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        switch Tag.Name(rawValue: scalar.tag.rawValue) {
        case .null: return .null
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "on", "y": return .bool(true)
            default: return .bool(false)
            }
        case .int:
            if let n = Int(text) { return .number(Double(n)) }
            if let n = Double(text) { return .number(n) }
            return .string(text)
        case .float:
            if let n = Double(text), n.isFinite { return .number(n) }
            return .string(text)
        default:
            return .string(text)
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        default:
            return String(describing: error).split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }
}

extension String.StringInterpolation {
    /// " (line 4, column 7)" when the mark is known.
    mutating func appendInterpolation(where mark: Mark?) {
        if let mark { appendLiteral(" (line \(mark.line), column \(mark.column))") }
    }
}
