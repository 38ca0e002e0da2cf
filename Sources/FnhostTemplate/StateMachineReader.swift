import FnhostWire
import Foundation

/// An `AWS::Serverless::StateMachine` of a template: its name, its definition as JSON text (from `Definition` or
/// the `DefinitionUri` file, with `DefinitionSubstitutions` applied) and its type, for the host's state machines.
/// The definition is checked as Amazon States Language when `fnhost serve` loads it, not here.
public struct SAMStateMachine: Sendable, Equatable {
    public var logicalID: String
    /// `Name` when the template sets it, else the logical id.
    public var name: String
    public var definition: String
    /// `STANDARD` or `EXPRESS`.
    public var type: String

    public init(logicalID: String, name: String, definition: String, type: String) {
        self.logicalID = logicalID
        self.name = name
        self.definition = definition
        self.type = type
    }
}

/// Reads `AWS::Serverless::StateMachine` resources: the name first (so `Ref`, the ARN, and `Fn::GetAtt` `Arn` and
/// `Name` resolve everywhere), then the definition. Properties that matter only on AWS (roles, policies, logging,
/// tracing) and `Events` are noted, never refused.
enum StateMachineReader {
    static let type = "AWS::Serverless::StateMachine"
    static let readProperties: Set<String> = [
        "Name", "Definition", "DefinitionUri", "DefinitionSubstitutions", "Type",
    ]

    static func name(
        id: String, body: [String: JSONValue], resolver: inout IntrinsicResolver, file: String
    ) throws(TemplateError) -> String {
        guard case .object(let properties)? = body["Properties"] ?? .object([:]) else {
            throw .invalid(file: file, resource: id, field: "Properties", reason: "expected a mapping")
        }
        guard let given = properties["Name"] else { return id }
        guard case .string(let name)? = try resolver.resolve(given, resource: id, field: "Properties.Name") else {
            throw .invalid(file: file, resource: id, field: "Properties.Name", reason: "must be a string")
        }
        return name
    }

    static func register(id: String, name: String, region: String, resolver: inout IntrinsicResolver) {
        let arn = "arn:aws:states:\(region):\(ARN.accountID):stateMachine:\(name)"
        resolver.references[id] = .string(arn)
        resolver.attributes[id] = ["Arn": .string(arn), "Name": .string(name)]
    }

    static func read(
        id: String, name: String, body: [String: JSONValue], directory: String, resolver: inout IntrinsicResolver,
        ignored: inout Set<String>, file: String
    ) throws(TemplateError) -> SAMStateMachine {
        guard case .object(let properties)? = body["Properties"] ?? .object([:]) else {
            throw .invalid(file: file, resource: id, field: "Properties", reason: "expected a mapping")
        }
        for key in properties.keys where !readProperties.contains(key) { ignored.insert("\(type).\(key)") }
        var definition: JSONValue
        switch (properties["Definition"], properties["DefinitionUri"]) {
        case (let inline?, nil):
            guard let resolved = try resolver.resolve(inline, resource: id, field: "Properties.Definition"),
                case .object = resolved
            else {
                throw .invalid(
                    file: file, resource: id, field: "Properties.Definition", reason: "expected a mapping (the ASL)")
            }
            definition = resolved
        case (nil, let uri?):
            guard case .string(let path)? = try resolver.resolve(uri, resource: id, field: "Properties.DefinitionUri")
            else {
                throw .invalid(
                    file: file, resource: id, field: "Properties.DefinitionUri",
                    reason: "fnhost reads a local file (a path beside the template), not an S3 location")
            }
            let full = path.hasPrefix("/") ? path : directory + "/" + path
            guard let data = FileManager.default.contents(atPath: full), let text = String(data: data, encoding: .utf8)
            else {
                throw .invalid(
                    file: file, resource: id, field: "Properties.DefinitionUri", reason: "cannot read \(full)")
            }
            definition = try YAMLDocument.parse(text, file: full)
        default:
            throw .invalid(
                file: file, resource: id, field: "Properties.Definition",
                reason: "give exactly one of Definition and DefinitionUri")
        }
        var text = String(decoding: definition.serialized, as: UTF8.self)
        if let substitutions = properties["DefinitionSubstitutions"] {
            let field = "Properties.DefinitionSubstitutions"
            guard case .object(let pairs)? = try resolver.resolve(substitutions, resource: id, field: field) else {
                throw .invalid(file: file, resource: id, field: field, reason: "expected a mapping of names to values")
            }
            for key in pairs.keys.sorted() {
                let value: String
                switch pairs[key]! {
                case .string(let s): value = s
                case .bool(let b): value = b ? "true" : "false"
                case .number(let n) where n == n.rounded() && abs(n) < 1e15: value = String(Int64(n))
                case let other:
                    throw .invalid(
                        file: file, resource: id, field: "\(field).\(key)",
                        reason: "expected a string, a number or a boolean, found \(other.kind)")
                }
                // Inside the definition's JSON strings: escaped as a JSON string's content.
                text = text.replacingOccurrences(
                    of: "${\(key)}", with: String(JSONText.quote(value).dropFirst().dropLast()))
            }
        }
        var machineType = "STANDARD"
        if let given = properties["Type"] {
            guard case .string(let t)? = try resolver.resolve(given, resource: id, field: "Properties.Type"),
                t == "STANDARD" || t == "EXPRESS"
            else {
                throw .invalid(
                    file: file, resource: id, field: "Properties.Type", reason: "must be STANDARD or EXPRESS")
            }
            machineType = t
        }
        return SAMStateMachine(logicalID: id, name: name, definition: text, type: machineType)
    }
}
