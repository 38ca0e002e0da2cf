import FnhostWire
import Foundation

/// Evaluates CloudFormation's intrinsic functions (`Ref`, `Fn::Sub`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`,
/// `Fn::Split`, `Fn::If` and the condition functions, `Fn::FindInMap`) the way they resolve on a stack in this
/// account and region, so a template's properties reach fnhost as plain values.
struct IntrinsicResolver {
    /// Parameters after defaults and overrides; pseudo parameters (`AWS::Region`, …) too.
    var parameters: [String: JSONValue]
    /// What `Ref` gives for each resource's logical id.
    var references: [String: JSONValue]
    /// What `Fn::GetAtt` gives, by logical id then attribute.
    var attributes: [String: [String: JSONValue]]
    /// Every resource's logical id, emulated or not.
    var resourceIDs: Set<String>
    var mappings: [String: JSONValue]
    var conditions: [String: Bool]
    let file: String

    /// References the resolver could only approximate (an attribute of a resource fnhost does not emulate).
    var approximations: [String] = []

    /// `value` with every intrinsic evaluated; nil where `AWS::NoValue` (or `Fn::If` choosing it) removes it.
    mutating func resolve(_ value: JSONValue, resource: String?, field: String) throws(TemplateError) -> JSONValue? {
        switch value {
        case .array(let items):
            var out: [JSONValue] = []
            for (i, item) in items.enumerated() {
                if let v = try resolve(item, resource: resource, field: "\(field)[\(i)]") { out.append(v) }
            }
            return .array(out)
        case .object(let object):
            if object.count == 1, let (key, argument) = object.first, key == "Ref" || key.hasPrefix("Fn::") {
                return try function(key, argument, resource: resource, field: field)
            }
            var out: [String: JSONValue] = [:]
            for (key, item) in object {
                if let v = try resolve(item, resource: resource, field: field.isEmpty ? key : "\(field).\(key)") {
                    out[key] = v
                }
            }
            return .object(out)
        default:
            return value
        }
    }

    /// A value that must resolve to something (not `AWS::NoValue`).
    mutating func required(_ value: JSONValue, resource: String?, field: String) throws(TemplateError) -> JSONValue {
        guard let v = try resolve(value, resource: resource, field: field) else {
            throw fail(resource, field, "resolves to AWS::NoValue here, where a value is required")
        }
        return v
    }

    func fail(_ resource: String?, _ field: String, _ reason: String) -> TemplateError {
        .invalid(file: file, resource: resource, field: field, reason: reason)
    }

    private mutating func function(_ name: String, _ argument: JSONValue, resource: String?, field: String)
        throws(TemplateError) -> JSONValue?
    {
        let here = "\(field) (\(name))"
        switch name {
        case "Ref":
            guard case .string(let target) = argument else {
                throw fail(resource, here, "expects the name of a parameter or resource, found \(argument.kind)")
            }
            if target == "AWS::NoValue" { return nil }
            if let p = parameters[target] { return p }
            if let r = references[target] { return r }
            if resourceIDs.contains(target) { return .string(target) }
            throw fail(resource, here, "\"\(target)\" is neither a parameter nor a resource of this template")

        case "Fn::GetAtt":
            var parts: [String] = []
            switch argument {
            case .string(let dotted): parts = dotted.split(separator: ".", maxSplits: 1).map(String.init)
            case .array(let items):
                for item in items {
                    guard case .string(let s)? = try resolve(item, resource: resource, field: here) else {
                        throw fail(resource, here, "expects [LogicalId, Attribute] as strings")
                    }
                    parts.append(s)
                }
            default: break
            }
            guard parts.count == 2 else { throw fail(resource, here, "expects [LogicalId, Attribute]") }
            if let v = attributes[parts[0]]?[parts[1]] { return v }
            guard resourceIDs.contains(parts[0]) else {
                throw fail(resource, here, "\"\(parts[0])\" is not a resource of this template")
            }
            if attributes[parts[0]] != nil {
                let known = attributes[parts[0]]!.keys.sorted().joined(separator: ", ")
                throw fail(resource, here, "\(parts[0]) has no attribute \(parts[1]) here (known: \(known))")
            }
            approximations.append("\(parts[0]).\(parts[1])")
            return .string("\(parts[0]).\(parts[1])")

        case "Fn::Sub":
            var text: String
            var variables: [String: JSONValue] = [:]
            switch argument {
            case .string(let s): text = s
            case .array(let items) where items.count == 2:
                guard case .string(let s) = items[0] else {
                    throw fail(resource, here, "expects a string, or [string, {variables}]")
                }
                text = s
                guard case .object(let vars)? = try resolve(items[1], resource: resource, field: here) else {
                    throw fail(resource, here, "the second element must be an object of variables")
                }
                variables = vars
            default:
                throw fail(resource, here, "expects a string, or [string, {variables}]")
            }
            return .string(try substitute(&text, variables: variables, resource: resource, field: here))

        case "Fn::Join":
            guard case .array(let items) = argument, items.count == 2, case .string(let separator) = items[0] else {
                throw fail(resource, here, "expects [separator, [values]]")
            }
            guard case .array(let values)? = try resolve(items[1], resource: resource, field: here) else {
                throw fail(resource, here, "the second element must be a list")
            }
            var strings: [String] = []
            for v in values { strings.append(try scalarText(v, resource: resource, field: here)) }
            return .string(strings.joined(separator: separator))

        case "Fn::Select":
            guard case .array(let items) = argument, items.count == 2 else {
                throw fail(resource, here, "expects [index, [values]]")
            }
            let index = try required(items[0], resource: resource, field: here)
            let i: Int
            switch index {
            case .number(let n) where n >= 0 && n == n.rounded(): i = Int(n)
            case .string(let s) where Int(s) != nil && Int(s)! >= 0: i = Int(s)!
            default: throw fail(resource, here, "the index must be a non-negative integer")
            }
            guard case .array(let values)? = try resolve(items[1], resource: resource, field: here) else {
                throw fail(resource, here, "the second element must be a list")
            }
            guard i < values.count else {
                throw fail(resource, here, "index \(i) is past the end of a list of \(values.count)")
            }
            return values[i]

        case "Fn::Split":
            guard case .array(let items) = argument, items.count == 2, case .string(let separator) = items[0],
                !separator.isEmpty
            else { throw fail(resource, here, "expects [separator, string]") }
            let source = try scalarText(
                try required(items[1], resource: resource, field: here), resource: resource, field: here)
            return .array(
                source.split(separator: separator, omittingEmptySubsequences: false).map { .string(String($0)) })

        case "Fn::If":
            guard case .array(let items) = argument, items.count == 3, case .string(let condition) = items[0] else {
                throw fail(resource, here, "expects [ConditionName, value if true, value if false]")
            }
            guard let holds = conditions[condition] else {
                throw fail(resource, here, "no condition named \"\(condition)\" in Conditions")
            }
            return try resolve(holds ? items[1] : items[2], resource: resource, field: here)

        case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
            return .bool(try condition(.object([name: argument]), resource: resource, field: field))

        case "Fn::FindInMap":
            guard case .array(let items) = argument, items.count == 3 else {
                throw fail(resource, here, "expects [MapName, TopLevelKey, SecondLevelKey]")
            }
            var keys: [String] = []
            for item in items {
                keys.append(
                    try scalarText(try required(item, resource: resource, field: here), resource: resource, field: here)
                )
            }
            guard case .object(let top)? = mappings[keys[0]] else {
                throw fail(resource, here, "no mapping named \"\(keys[0])\" in Mappings")
            }
            guard case .object(let second)? = top[keys[1]], let value = second[keys[2]] else {
                throw fail(resource, here, "mapping \(keys[0]) has no \(keys[1]).\(keys[2])")
            }
            return value

        default:
            throw fail(
                resource, here,
                "fnhost does not evaluate \(name); it evaluates Ref, Fn::Sub, Fn::GetAtt, Fn::Join, Fn::Select, "
                    + "Fn::Split, Fn::If, Fn::Equals, Fn::Not, Fn::And, Fn::Or and Fn::FindInMap")
        }
    }

    /// A condition expression (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`) as a boolean.
    mutating func condition(_ value: JSONValue, resource: String?, field: String) throws(TemplateError) -> Bool {
        guard case .object(let object) = value, object.count == 1, let (name, argument) = object.first else {
            if case .bool(let b) = value { return b }
            throw fail(resource, field, "expects a condition function (Fn::Equals, Fn::Not, Fn::And, Fn::Or)")
        }
        let here = "\(field) (\(name))"
        switch name {
        case "Condition":
            guard case .string(let other) = argument, let holds = conditions[other] else {
                throw fail(resource, here, "names no condition declared before it")
            }
            return holds
        case "Fn::Equals":
            guard case .array(let items) = argument, items.count == 2 else {
                throw fail(resource, here, "expects two values")
            }
            let a = try required(items[0], resource: resource, field: here)
            let b = try required(items[1], resource: resource, field: here)
            // CloudFormation compares the values as text: `"3"` equals `3`.
            if let x = try? scalarText(a, resource: resource, field: here),
                let y = try? scalarText(b, resource: resource, field: here)
            {
                return x == y
            }
            return a == b
        case "Fn::Not":
            guard case .array(let items) = argument, items.count == 1 else {
                throw fail(resource, here, "expects a list of one condition")
            }
            return !(try condition(items[0], resource: resource, field: here))
        case "Fn::And", "Fn::Or":
            guard case .array(let items) = argument, (2...10).contains(items.count) else {
                throw fail(resource, here, "expects a list of 2 to 10 conditions")
            }
            var results: [Bool] = []
            for item in items { results.append(try condition(item, resource: resource, field: here)) }
            return name == "Fn::And" ? results.allSatisfy { $0 } : results.contains(true)
        default:
            if let resolved = try resolve(value, resource: resource, field: field), case .bool(let b) = resolved {
                return b
            }
            throw fail(resource, here, "is not a condition function")
        }
    }

    /// `${Name}`, `${Resource.Attribute}` and `${!Literal}` in an `Fn::Sub` string.
    private mutating func substitute(
        _ text: inout String, variables: [String: JSONValue], resource: String?, field: String
    ) throws(TemplateError) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "${") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.firstIndex(of: "}") else {
                throw fail(resource, field, "an unclosed ${ in \"\(text)\"")
            }
            let name = String(after[..<close])
            rest = after[after.index(after: close)...]
            if name.hasPrefix("!") {
                out += "${" + name.dropFirst() + "}"
                continue
            }
            let value: JSONValue
            if let v = variables[name] {
                value = v
            } else if let v = parameters[name] ?? references[name] {
                value = v
            } else if let dot = name.firstIndex(of: ".") {
                value = try required(
                    .object([
                        "Fn::GetAtt": .array([
                            .string(String(name[..<dot])), .string(String(name[name.index(after: dot)...])),
                        ])
                    ]),
                    resource: resource, field: field)
            } else if resourceIDs.contains(name) {
                value = .string(name)
            } else {
                throw fail(resource, field, "${\(name)} names no parameter, resource or variable")
            }
            out += try scalarText(value, resource: resource, field: field)
        }
        out += rest
        return out
    }

    /// A string, number or boolean as the text CloudFormation would put in its place.
    func scalarText(_ value: JSONValue, resource: String?, field: String) throws(TemplateError) -> String {
        switch value {
        case .string(let s): return s
        case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
        case .bool(let b): return String(b)
        default: throw fail(resource, field, "expected a string, number or boolean here, found \(value.kind)")
        }
    }
}
