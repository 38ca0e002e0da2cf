import FnhostWire
import Foundation

/// Reads a SAM (or plain CloudFormation) template and gives the functions fnhost can run from it: `Parameters`
/// with defaults and overrides, `Conditions`, `Mappings`, `Globals`, `AWS::Serverless::Function` with its events,
/// and the intrinsic functions common templates use. Pure: the caller reads the file; nothing here starts anything.
public enum SAMTemplate {
    /// The settings a template is loaded with.
    public struct Context: Sendable {
        /// `--parameter-overrides`: parameter name → value.
        public var parameterOverrides: [String: String]
        public var region: String
        public var stackName: String

        public init(
            parameterOverrides: [String: String] = [:], region: String = ARN.defaultRegion, stackName: String = "fnhost"
        ) {
            self.parameterOverrides = parameterOverrides
            self.region = region
            self.stackName = stackName
        }
    }

    public static let functionType = "AWS::Serverless::Function"
    /// Resources the gateway stands in for: their routes come from the functions' events.
    static let gatewayTypes: Set<String> = ["AWS::Serverless::HttpApi", "AWS::Serverless::Api"]

    /// Properties of `AWS::Serverless::Function` that fnhost reads.
    static let readProperties: Set<String> = [
        "FunctionName", "Description", "Runtime", "Handler", "CodeUri", "MemorySize", "Timeout", "Environment",
        "ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig", "Events",
    ]
    /// Properties that change how a function runs on AWS in ways fnhost does not reproduce, noted once each.
    static let unreproducedProperties: Set<String> = [
        "Layers", "VpcConfig", "FileSystemConfigs", "EphemeralStorage", "SnapStart", "DeadLetterQueue",
        "EventInvokeConfig", "Tracing", "LoggingConfig", "RuntimeManagementConfig",
    ]

    /// Loads the template at `file`; `CodeUri` folders are resolved against the template's folder.
    public static func load(file: String, context: Context = Context()) throws(TemplateError) -> SAMApplication {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .malformed(file: file, reason: "no such file, or not readable")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .malformed(file: file, reason: "not UTF-8 text")
        }
        // Absolute, so that a `CodeUri` folder means the same from a worker's own folder (`--template
        // template.yaml` in the project's folder made `./functions/x/./functions/x/bootstrap`).
        let absolute = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        let directory = (absolute as NSString).deletingLastPathComponent
        return try parse(text, file: file, directory: directory.isEmpty ? "/" : directory, context: context)
    }

    /// Parses template text; `directory` is where relative `CodeUri` folders are looked for.
    public static func parse(_ text: String, file: String, directory: String, context: Context = Context())
        throws(TemplateError) -> SAMApplication
    {
        let document = try YAMLDocument.parse(text, file: file)
        guard case .object(let top) = document else {
            throw .malformed(file: file, reason: "a template is a mapping with a Resources section")
        }
        guard case .object(let resources)? = top["Resources"], !resources.isEmpty else {
            throw .invalid(
                file: file, resource: nil, field: "Resources",
                reason: "missing or empty: a template declares at least one resource")
        }
        var notes: [String] = []
        let transforms: [String]
        switch top["Transform"] {
        case .string(let t)?: transforms = [t]
        case .array(let items)?: transforms = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
        default: transforms = []
        }
        if !transforms.contains(where: { $0.hasPrefix("AWS::Serverless") }),
            resources.values.contains(where: { typeName($0)?.hasPrefix("AWS::Serverless::") == true })
        {
            notes.append(
                "Transform: AWS::Serverless-2016-10-31 is missing; AWS refuses AWS::Serverless resources without it")
        }

        var resolver = IntrinsicResolver(
            parameters: try parameters(top["Parameters"], file: file, context: context),
            references: [:], attributes: [:], resourceIDs: Set(resources.keys),
            mappings: { if case .object(let m)? = top["Mappings"] { m } else { [:] } }(),
            conditions: [:], file: file)
        try evaluateConditions(top["Conditions"], resolver: &resolver, file: file)

        // Names first, so every Ref and GetAtt to a function resolves whatever the order of resources.
        var names: [String: String] = [:]
        for (id, resource) in resources where typeName(resource) == functionType {
            var name = id
            if case .object(let body) = resource, case .object(let props)? = body["Properties"],
                let n = props["FunctionName"]
            {
                guard case .string(let s)? = try resolver.resolve(n, resource: id, field: "Properties.FunctionName")
                else {
                    throw .invalid(
                        file: file, resource: id, field: "Properties.FunctionName", reason: "must be a string")
                }
                name = s
            }
            guard InvokeAPI.isValidFunctionName(name) else {
                throw .invalid(
                    file: file, resource: id, field: "Properties.FunctionName",
                    reason: "\"\(name)\" is not a valid function name: 1–64 letters, digits, - or _")
            }
            names[id] = name
            let arn = ARN.function(name, region: context.region)
            resolver.references[id] = .string(name)
            resolver.attributes[id] = ["Arn": .string(arn)]
        }

        // Queue names too: Ref gives a queue's URL, Fn::GetAtt its Arn, QueueName and QueueUrl.
        var queueNames: [String: String] = [:]
        for id in resources.keys.sorted() where typeName(resources[id]!) == QueueReader.type {
            guard case .object(let body) = resources[id]! else { continue }
            let name = try QueueReader.name(id: id, body: body, resolver: &resolver, file: file)
            queueNames[id] = name
            QueueReader.register(id: id, name: name, region: context.region, resolver: &resolver)
        }
        var machineNames: [String: String] = [:]
        for id in resources.keys.sorted() where typeName(resources[id]!) == StateMachineReader.type {
            guard case .object(let body) = resources[id]! else { continue }
            let name = try StateMachineReader.name(id: id, body: body, resolver: &resolver, file: file)
            machineNames[id] = name
            StateMachineReader.register(id: id, name: name, region: context.region, resolver: &resolver)
        }

        var globals: [String: JSONValue] = [:]
        if case .object(let g)? = top["Globals"], let f = g["Function"] {
            guard case .object(let fn) = f else {
                throw .invalid(
                    file: file, resource: nil, field: "Globals.Function", reason: "expected a mapping, found \(f.kind)")
            }
            globals = fn
        }

        var functions: [SAMFunction] = []
        var queues: [SAMQueue] = []
        var stateMachines: [SAMStateMachine] = []
        var unemulated: [String] = []
        var unreproduced: Set<String> = []
        for id in resources.keys.sorted() {
            let resource = resources[id]!
            guard case .object(let body) = resource, let type = typeName(resource) else {
                throw .invalid(file: file, resource: id, field: "Type", reason: "every resource needs a Type")
            }
            if case .string(let condition)? = body["Condition"], resolver.conditions[condition] == false { continue }
            if type == functionType {
                let function = try FunctionReader(
                    id: id, name: names[id]!, body: body, globals: globals, directory: directory, file: file
                ).read(resolver: &resolver, unreproduced: &unreproduced, notes: &notes)
                functions.append(function)
            } else if type == QueueReader.type {
                queues.append(
                    try QueueReader.read(
                        id: id, name: queueNames[id]!, body: body, resolver: &resolver, ignored: &unreproduced,
                        file: file))
            } else if type == StateMachineReader.type {
                stateMachines.append(
                    try StateMachineReader.read(
                        id: id, name: machineNames[id]!, body: body, directory: directory, resolver: &resolver,
                        ignored: &unreproduced, file: file))
            } else if !gatewayTypes.contains(type) {
                unemulated.append("\(id) (\(type))")
            }
        }
        if !unreproduced.isEmpty {
            notes.append(
                "fnhost ignores these properties, which matter on AWS: \(unreproduced.sorted().joined(separator: ", "))"
            )
        }
        if !resolver.approximations.isEmpty {
            notes.append(
                "attributes of resources fnhost does not emulate resolve to their own names: \(Set(resolver.approximations).sorted().joined(separator: ", "))"
            )
        }
        if functions.isEmpty {
            throw .invalid(file: file, resource: nil, field: "Resources", reason: "no \(functionType) to run")
        }
        var application = SAMApplication(functions: functions, unemulated: unemulated, notes: notes, file: file)
        application.queues = queues
        application.stateMachines = stateMachines
        return application
    }

    static func typeName(_ resource: JSONValue) -> String? {
        if case .object(let body) = resource, case .string(let type)? = body["Type"] { return type }
        return nil
    }

    /// Parameter values: the override, else the default, with the pseudo parameters beside them.
    static func parameters(_ section: JSONValue?, file: String, context: Context) throws(TemplateError) -> [String:
        JSONValue]
    {
        var values: [String: JSONValue] = [
            "AWS::Region": .string(context.region), "AWS::AccountId": .string(ARN.accountID),
            "AWS::StackName": .string(context.stackName), "AWS::Partition": .string("aws"),
            "AWS::URLSuffix": .string("amazonaws.com"),
            "AWS::StackId": .string(
                "arn:aws:cloudformation:\(context.region):\(ARN.accountID):stack/\(context.stackName)/fnhost"),
            "AWS::NotificationARNs": .array([]),
        ]
        var declared: [String: JSONValue] = [:]
        if let section {
            guard case .object(let d) = section else {
                throw .invalid(
                    file: file, resource: nil, field: "Parameters", reason: "expected a mapping, found \(section.kind)")
            }
            declared = d
        }
        for name in context.parameterOverrides.keys.sorted() where declared[name] == nil {
            throw .invalid(
                file: file, resource: nil, field: "Parameters.\(name)",
                reason:
                    "an override names a parameter the template does not declare (declared: \(declared.keys.sorted().joined(separator: ", ")))"
            )
        }
        for (name, spec) in declared {
            let field = "Parameters.\(name)"
            guard case .object(let p) = spec else {
                throw .invalid(file: file, resource: nil, field: field, reason: "expected a mapping with Type")
            }
            let type = { if case .string(let t)? = p["Type"] { t } else { "String" } }()
            var text: String
            if let override = context.parameterOverrides[name] {
                text = override
            } else if let d = p["Default"] {
                switch d {
                case .string(let s): text = s
                case .number(let n): text = n == n.rounded() ? String(Int(n)) : String(n)
                case .bool(let b): text = String(b)
                default:
                    throw .invalid(
                        file: file, resource: nil, field: "\(field).Default", reason: "expected a string or number")
                }
            } else {
                throw .invalid(
                    file: file, resource: nil, field: field,
                    reason: "has no Default and no override: pass --parameter-overrides \(name)=VALUE")
            }
            if case .array(let allowed)? = p["AllowedValues"], !allowed.isEmpty {
                let options = allowed.compactMap { v -> String? in
                    switch v {
                    case .string(let s): s
                    case .number(let n): n == n.rounded() ? String(Int(n)) : String(n)
                    default: nil
                    }
                }
                if !options.contains(text) {
                    throw .invalid(
                        file: file, resource: nil, field: field,
                        reason: "\"\(text)\" is not one of its AllowedValues (\(options.joined(separator: ", ")))")
                }
            }
            switch type {
            case "Number":
                guard let n = Double(text) else {
                    throw .invalid(file: file, resource: nil, field: field, reason: "\"\(text)\" is not a number")
                }
                values[name] = .number(n)
            case "CommaDelimitedList", "List<Number>", "List<String>":
                text = text.isEmpty ? "" : text
                values[name] = .array(
                    text.split(separator: ",", omittingEmptySubsequences: false).map {
                        .string($0.trimmingCharacters(in: .whitespaces))
                    })
            default:
                values[name] = .string(text)
            }
        }
        return values
    }

    /// Conditions in declaration order may refer to each other; evaluated until none is left.
    static func evaluateConditions(_ section: JSONValue?, resolver: inout IntrinsicResolver, file: String)
        throws(TemplateError)
    {
        guard let section else { return }
        guard case .object(let declared) = section else {
            throw .invalid(
                file: file, resource: nil, field: "Conditions", reason: "expected a mapping, found \(section.kind)")
        }
        var pending = declared
        while !pending.isEmpty {
            var progressed = false
            for name in pending.keys.sorted() {
                if let holds = try? resolver.condition(pending[name]!, resource: nil, field: "Conditions.\(name)") {
                    resolver.conditions[name] = holds
                    pending[name] = nil
                    progressed = true
                }
            }
            if !progressed {
                // Report the first one with its own error.
                let name = pending.keys.sorted()[0]
                _ = try resolver.condition(pending[name]!, resource: nil, field: "Conditions.\(name)")
            }
        }
    }
}
