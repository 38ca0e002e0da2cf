import FnhostWire
import Foundation

/// Reads one `AWS::Serverless::Function` into a ``SAMFunction``: `Globals.Function` merged under its properties as
/// SAM merges them (maps merged, lists appended, scalars replaced), intrinsics resolved, each field checked against
/// Lambda's limits with the resource and field named when it is wrong.
struct FunctionReader {
    let id: String
    let name: String
    let body: [String: JSONValue]
    let globals: [String: JSONValue]
    let directory: String
    let file: String

    func fail(_ field: String, _ reason: String) -> TemplateError {
        .invalid(file: file, resource: id, field: field, reason: reason)
    }

    func read(resolver: inout IntrinsicResolver, unreproduced: inout Set<String>, notes: inout [String])
        throws(TemplateError) -> SAMFunction
    {
        var own: [String: JSONValue] = [:]
        if let p = body["Properties"] {
            guard case .object(let o) = p else { throw fail("Properties", "expected a mapping, found \(p.kind)") }
            own = o
        }
        let merged = Self.merge(globals: .object(globals), own: .object(own))
        guard case .object(let raw) = merged,
            case .object(let props)? = try resolver.resolve(.object(raw), resource: id, field: "Properties")
        else {
            throw fail("Properties", "expected a mapping")
        }
        for key in props.keys where SAMTemplate.unreproducedProperties.contains(key) { unreproduced.insert(key) }
        if case .string(let packageType)? = props["PackageType"], packageType == "Image" {
            throw fail(
                "Properties.PackageType",
                "container images need Docker, which fnhost does without: use a zip package (CodeUri with Runtime and Handler)"
            )
        }
        if props["InlineCode"] != nil {
            throw fail(
                "Properties.InlineCode",
                "fnhost runs code from a folder: move the code into a folder and name it with CodeUri")
        }

        guard case .string(let runtimeName)? = props["Runtime"] else {
            throw fail(
                "Properties.Runtime",
                props["Runtime"] == nil
                    ? "missing (in the function or in Globals.Function): e.g. provided.al2023 or python3.12"
                    : "expected a string")
        }
        guard let runtime = FunctionRuntime(runtimeName) else {
            throw fail(
                "Properties.Runtime",
                "fnhost does not run \(runtimeName): it runs provided.al2, provided.al2023, python3.x, and nodejs*.x with a Node runtime interface client installed"
            )
        }
        let handler = try string(props, "Handler") ?? ""
        if case .python = runtime, handler.isEmpty {
            throw fail("Properties.Handler", "a Python function needs Handler, e.g. app.lambda_handler")
        }
        let codeURI: String
        switch props["CodeUri"] {
        case .string(let s)?: codeURI = s
        case .object?:
            throw fail("Properties.CodeUri", "code in S3 cannot run locally: give a folder next to the template")
        case nil: throw fail("Properties.CodeUri", "missing: name the folder that holds the function's code")
        case let other?: throw fail("Properties.CodeUri", "expected a folder path, found \(other.kind)")
        }
        let codeDirectory = codeURI.hasPrefix("/") ? codeURI : (directory as NSString).appendingPathComponent(codeURI)
        let memory = try integer(props, "MemorySize", range: 128...10_240) ?? 128
        let timeout = try number(props, "Timeout", range: 1...900) ?? 3
        let reserved = try integer(props, "ReservedConcurrentExecutions", range: 1...1_000)
        var provisioned = 0
        if let p = props["ProvisionedConcurrencyConfig"] {
            guard case .object(let config) = p else {
                throw fail("Properties.ProvisionedConcurrencyConfig", "expected a mapping")
            }
            provisioned =
                try integer(
                    config, "ProvisionedConcurrentExecutions", range: 0...1_000,
                    prefix: "Properties.ProvisionedConcurrencyConfig.") ?? 0
            if provisioned > (reserved ?? 1_000) {
                throw fail(
                    "Properties.ProvisionedConcurrencyConfig.ProvisionedConcurrentExecutions",
                    "\(provisioned) is more than ReservedConcurrentExecutions (\(reserved!))")
            }
        }
        var environment: [String: String] = [:]
        if let env = props["Environment"] {
            guard case .object(let e) = env, case .object(let vars)? = e["Variables"] ?? .object([:]) else {
                throw fail("Properties.Environment", "expected a mapping with Variables")
            }
            for (key, value) in vars {
                let field = "Properties.Environment.Variables.\(key)"
                environment[key] = try resolver.scalarText(value, resource: id, field: field)
            }
        }

        var routes: [String] = []
        var schedules: [SAMSchedule] = []
        var sources: [SAMEventSource] = []
        if let events = props["Events"] {
            guard case .object(let all) = events else {
                throw fail("Properties.Events", "expected a mapping of events")
            }
            for eventName in all.keys.sorted() {
                let field = "Properties.Events.\(eventName)"
                guard case .object(let event) = all[eventName]!, case .string(let type)? = event["Type"] else {
                    throw fail(field, "every event needs a Type")
                }
                let eventProps: [String: JSONValue] = {
                    if case .object(let p)? = event["Properties"] { p } else { [:] }
                }()
                switch type {
                case "HttpApi", "Api":
                    let path = try string(eventProps, "Path", prefix: field + ".Properties.")
                    let method = try string(eventProps, "Method", prefix: field + ".Properties.")
                    if path == nil && method == nil && type == "HttpApi" {
                        routes.append("$default")
                    } else {
                        guard let path, let method else {
                            throw fail(field + ".Properties", "an \(type) event needs Path and Method")
                        }
                        let verb = method.lowercased() == "any" ? "ANY" : method.uppercased()
                        routes.append("\(verb) \(path)")
                    }
                case "Schedule", "ScheduleV2":
                    let key = type == "Schedule" ? "Schedule" : "ScheduleExpression"
                    guard let text = try string(eventProps, key, prefix: field + ".Properties.") else {
                        throw fail(field + ".Properties.\(key)", "missing: e.g. rate(5 minutes) or cron(0 12 * * ? *)")
                    }
                    let expression: ScheduleExpression
                    do throws(ScheduleExpression.Invalid) {
                        expression = try ScheduleExpression(text)
                    } catch {
                        throw fail(field + ".Properties.\(key)", error.description)
                    }
                    var enabled = true
                    if case .bool(let b)? = eventProps["Enabled"] { enabled = b }
                    if case .string(let state)? = eventProps["State"] { enabled = state == "ENABLED" }
                    schedules.append(
                        SAMSchedule(
                            eventName: eventName, expression: expression,
                            input: try string(eventProps, "Input", prefix: field + ".Properties."), enabled: enabled))
                case "SQS", "Kinesis":
                    let key = type == "SQS" ? "Queue" : "Stream"
                    guard let source = try string(eventProps, key, prefix: field + ".Properties.") else {
                        throw fail(
                            field + ".Properties.\(key)", "missing: the \(type == "SQS" ? "queue" : "stream")'s ARN")
                    }
                    var rest = eventProps
                    rest[key] = nil
                    sources.append(
                        SAMEventSource(
                            eventName: eventName, kind: type == "SQS" ? .sqs : .kinesis, source: source,
                            properties: rest))
                default:
                    notes.append(
                        "\(id): event \(eventName) of type \(type) is not emulated; the function runs without it")
                }
            }
        }
        return SAMFunction(
            logicalID: id, name: name, description: try string(props, "Description") ?? "", runtime: runtime,
            handler: handler, codeDirectory: codeDirectory, memorySize: memory, timeout: timeout,
            environment: environment, reservedConcurrency: reserved, provisionedConcurrency: provisioned,
            routes: routes, schedules: schedules, eventSources: sources)
    }

    /// SAM's Globals rule: a map merges key by key, a list is the global items then the function's, anything else
    /// is the function's own value.
    static func merge(globals: JSONValue, own: JSONValue) -> JSONValue {
        switch (globals, own) {
        case (.object(let g), .object(let o)):
            var out = g
            for (key, value) in o { out[key] = g[key].map { merge(globals: $0, own: value) } ?? value }
            return .object(out)
        case (.array(let g), .array(let o)):
            return .array(g + o)
        default:
            return own
        }
    }

    func string(_ props: [String: JSONValue], _ key: String, prefix: String = "Properties.") throws(TemplateError)
        -> String?
    {
        switch props[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw fail(prefix + key, "expected a string, found \(other.kind)")
        }
    }

    func number(_ props: [String: JSONValue], _ key: String, range: ClosedRange<Double>, prefix: String = "Properties.")
        throws(TemplateError) -> Double?
    {
        let value: Double
        switch props[key] {
        case nil, .null?: return nil
        case .number(let n)?: value = n
        case .string(let s)? where Double(s) != nil: value = Double(s)!
        case let other?: throw fail(prefix + key, "expected a number, found \(other.kind)")
        }
        guard range.contains(value) else {
            throw fail(prefix + key, "\(value) is outside \(Int(range.lowerBound))–\(Int(range.upperBound))")
        }
        return value
    }

    func integer(_ props: [String: JSONValue], _ key: String, range: ClosedRange<Int>, prefix: String = "Properties.")
        throws(TemplateError) -> Int?
    {
        guard let n = try number(props, key, range: Double(range.lowerBound)...Double(range.upperBound), prefix: prefix)
        else { return nil }
        guard n == n.rounded() else { throw fail(prefix + key, "expected a whole number, found \(n)") }
        return Int(n)
    }
}
