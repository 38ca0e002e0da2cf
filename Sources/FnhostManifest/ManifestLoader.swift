import FnhostEventSources
import FnhostWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads and validates `function.json` manifests, refusing a bad one with the file, the field and the reason.
public enum ManifestLoader {
    public static let fileName = "function.json"

    static let knownFields: Set<String> = [
        "name", "description", "command", "handler", "memorySize", "timeout", "keepAlive", "reservedConcurrency",
        "environment", "profile", "cache", "provisionedConcurrency", "routes",
        "eventSources",
    ]

    /// Variables Lambda sets itself; a manifest may not override them (Lambda refuses the same keys).
    public static let reservedVariables: Set<String> = [
        "_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR",
    ]

    /// Loads every `*/function.json` under `directory`, sorted by name.
    public static func loadAll(directory: String) throws(ManifestError) -> [FunctionManifest] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw .unreadable(file: directory, reason: "cannot list the functions directory")
        }
        var manifests: [FunctionManifest] = []
        var seen: [String: String] = [:]
        for entry in entries where !entry.hasPrefix(".") {
            let file = directory + "/" + entry + "/" + fileName
            guard FileManager.default.fileExists(atPath: file) else { continue }
            let manifest = try load(file: file)
            if let other = seen[manifest.name] { throw .duplicateName(name: manifest.name, files: [other, file]) }
            seen[manifest.name] = file
            manifests.append(manifest)
        }
        if manifests.isEmpty { throw .noFunctions(directory: directory) }
        return manifests.sorted { $0.name < $1.name }
    }

    /// Loads one manifest file.
    public static func load(file: String) throws(ManifestError) -> FunctionManifest {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .unreadable(file: file, reason: "no such file, or not readable")
        }
        let directory = String(
            file.split(separator: "/", omittingEmptySubsequences: false).dropLast()
                .joined(separator: "/"))
        return try parse(Array(data), file: file, directory: directory.isEmpty ? "." : directory)
    }

    /// Validates manifest JSON text; `file` and `directory` are used for messages and path resolution.
    public static func parse(_ bytes: [UInt8], file: String, directory: String) throws(ManifestError)
        -> FunctionManifest
    {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) } catch { throw .malformed(file: file, reason: "\(error)") }
        var fields = FieldReader(file: file, value: json)
        return try fields.manifest(directory: directory)
    }
}

/// Walks one manifest's JSON object, turning each problem into a ``ManifestError`` that names the field.
struct FieldReader {
    let file: String
    let object: [String: JSONValue]
    let isObject: Bool
    /// Prepended to field names in messages, for nested objects (`cache.`).
    let prefix: String

    init(file: String, value: JSONValue) {
        self.file = file
        self.prefix = ""
        if case .object(let o) = value { object = o; isObject = true } else { object = [:]; isObject = false }
    }

    init(file: String, object: [String: JSONValue], prefix: String) {
        self.file = file
        self.object = object
        self.isObject = true
        self.prefix = prefix
    }

    func fail(_ field: String, _ reason: String) -> ManifestError {
        .invalidField(file: file, field: field.hasPrefix(prefix) ? field : prefix + field, reason: reason)
    }

    mutating func manifest(directory: String) throws(ManifestError) -> FunctionManifest {
        guard isObject else { throw fail("(top level)", "a manifest is a JSON object") }
        for key in object.keys.sorted() where !ManifestLoader.knownFields.contains(key) {
            throw fail(
                key, "unknown field; known fields: \(ManifestLoader.knownFields.sorted().joined(separator: ", "))")
        }
        let name = try string("name", required: true)!
        guard InvokeAPI.isValidFunctionName(name) else {
            throw fail("name", "\"\(name)\" is not a valid function name: 1–64 letters, digits, - or _")
        }

        guard case .array(let parts)? = object["command"] else {
            throw fail(
                "command",
                object["command"] == nil
                    ? "missing; give the worker's command line as an array, e.g. [\"{build}/\(name)\"]"
                    : "expected an array of strings, found \(object["command"]!.kind)")
        }
        var command: [String] = []
        for (i, part) in parts.enumerated() {
            guard case .string(let s) = part else {
                throw fail("command[\(i)]", "expected a string, found \(part.kind)")
            }
            command.append(s)
        }
        guard let program = command.first, !program.isEmpty else { throw fail("command", "must name a program") }

        let memory = try integer("memorySize", range: 128...10_240) ?? FunctionManifest.defaultMemorySize
        let timeout = try number("timeout", range: 1...900) ?? FunctionManifest.defaultTimeout
        let keepAlive = try number("keepAlive", range: 0...86_400) ?? FunctionManifest.defaultKeepAlive
        let reserved = try integer("reservedConcurrency", range: 1...1_000)
        let provisioned = try integer("provisionedConcurrency", range: 0...1_000) ?? 0
        if provisioned > (reserved ?? 1_000) {
            throw fail("provisionedConcurrency", "\(provisioned) is more than reservedConcurrency (\(reserved!))")
        }
        var routes: [String] = []
        if let value = object["routes"] {
            guard case .array(let items) = value else {
                throw fail(
                    "routes", "expected an array of route keys such as \"GET /orgs/{orgId}\", found \(value.kind)")
            }
            for (i, item) in items.enumerated() {
                // The route key's syntax is the gateway's to judge: `fnhost serve` parses every route when it
                // builds its route table and refuses a bad one naming this file and field.
                guard case .string(let key) = item else {
                    throw fail("routes[\(i)]", "expected a string, found \(item.kind)")
                }
                routes.append(key)
            }
        }

        var environment: [String: String] = [:]
        if let env = object["environment"] {
            guard case .object(let vars) = env else {
                throw fail("environment", "expected an object of strings, found \(env.kind)")
            }
            for (key, value) in vars {
                let field = "environment.\(key)"
                guard let first = key.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
                    key.unicodeScalars.allSatisfy({
                        $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
                    })
                else {
                    throw fail(field, "not a valid variable name: letters, digits and _, not starting with a digit")
                }
                if ManifestLoader.reservedVariables.contains(key) {
                    throw fail(field, "reserved: Lambda sets \(key) itself")
                }
                switch value {
                case .string(let s): environment[key] = s
                case .number(let n): environment[key] = n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
                case .bool(let b): environment[key] = String(b)
                default: throw fail(field, "expected a string, found \(value.kind)")
                }
            }
        }
        var cache = CacheConfiguration()
        if let value = object["cache"] {
            guard case .object(let fields) = value else {
                throw fail("cache", "expected an object, found \(value.kind)")
            }
            let reader = FieldReader(file: file, object: fields, prefix: "cache.")
            for key in fields.keys.sorted() where !["capacity", "ttlSeconds"].contains(key) {
                throw fail("cache.\(key)", "unknown field; known fields: capacity, ttlSeconds")
            }
            cache.capacity = try reader.integer("capacity", range: 1...10_000_000) ?? cache.capacity
            cache.ttlSeconds = try reader.number("ttlSeconds", range: 0.001...31_536_000) ?? cache.ttlSeconds
        }
        var eventSources: [EventSourceDeclaration] = []
        if let value = object["eventSources"] {
            guard case .array(let items) = value else {
                throw fail(
                    "eventSources",
                    "expected an array such as [{\"queue\": \"orders\", \"batchSize\": 10}], found \(value.kind)")
            }
            var seen: Set<String> = []
            for (i, item) in items.enumerated() {
                let declaration: EventSourceDeclaration
                do {
                    declaration = try EventSourceDeclaration.parse(item)
                } catch {
                    throw fail("eventSources[\(i)]" + (error.field.isEmpty ? "" : ".\(error.field)"), error.reason)
                }
                let key = declaration.sourceARN()
                if !seen.insert(key).inserted {
                    throw fail(
                        "eventSources[\(i)]",
                        "\(declaration.kind == .sqs ? "queue" : "stream") \"\(declaration.source)\" is declared twice; Lambda allows one mapping per source and function"
                    )
                }
                eventSources.append(declaration)
            }
        }
        return FunctionManifest(
            name: name, description: try string("description") ?? "", command: command,
            handler: try string("handler") ?? "", memorySize: memory, timeout: timeout, keepAlive: keepAlive,
            reservedConcurrency: reserved, provisionedConcurrency: provisioned, routes: routes,
            environment: environment, profile: try string("profile", required: false),
            cache: cache, eventSources: eventSources, directory: directory, file: file
        )
    }

    /// A number as the user wrote it: `10241`, not `10241.0`.
    static func format(_ n: Double) -> String {
        n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    }

    func string(_ field: String, required: Bool = false) throws(ManifestError) -> String? {
        switch object[field] {
        case nil, .null?:
            if required { throw fail(field, "missing") }
            return nil
        case .string(let s)?:
            if required && s.isEmpty { throw fail(field, "must not be empty") }
            return s
        case let other?: throw fail(field, "expected a string, found \(other.kind)")
        }
    }

    func number(_ field: String, range: ClosedRange<Double>) throws(ManifestError) -> Double? {
        switch object[field] {
        case nil, .null?: return nil
        case .number(let n)?:
            guard range.contains(n) else {
                throw fail(
                    field,
                    "\(Self.format(n)) is out of range: \(Self.format(range.lowerBound))–\(Self.format(range.upperBound))"
                )
            }
            return n
        case let other?: throw fail(field, "expected a number, found \(other.kind)")
        }
    }

    func integer(_ field: String, range: ClosedRange<Int>) throws(ManifestError) -> Int? {
        guard let n = try number(field, range: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
        guard n == n.rounded() else { throw fail(field, "expected a whole number, found \(Self.format(n))") }
        return Int(n)
    }
}
