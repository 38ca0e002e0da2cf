import FnhostManifest
import FnhostWire
import Foundation

/// Lambda's control plane (ListFunctions, GetFunction, GetFunctionConfiguration, Get/Put/DeleteFunctionConcurrency,
/// GetProvisionedConcurrencyConfig), answered from the manifests and the reservations now in Lambda's REST-JSON
/// shapes so boto3 and the AWS CLI list, inspect and limit fnhost's functions. Pure: request in, status and JSON
/// out; the caller applies a change the checks here accepted.
struct LambdaControlPlane: Sendable {
    /// One control-plane request, from its method and path.
    enum Operation: Equatable {
        case listFunctions
        case getFunction(String)
        case getConfiguration(String)
        case getConcurrency(String)
        case putConcurrency(String)
        case deleteConcurrency(String)
        case getProvisionedConcurrency(String)

        /// Nil when the path is not a control-plane operation fnhost serves.
        init?(method: String, path: String) {
            guard ["GET", "PUT", "DELETE"].contains(method) else { return nil }
            let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
            guard parts.count >= 2, parts[parts.startIndex + 1] == "functions" else { return nil }
            let version = parts[parts.startIndex]
            let rest = Array(parts.dropFirst(2))
            let name = rest.first.map { String($0).removingPercentEncoding ?? String($0) }
            guard method == "GET" else {
                guard version == "2017-10-31", rest.count == 2, rest[1] == "concurrency" else { return nil }
                self = method == "PUT" ? .putConcurrency(name!) : .deleteConcurrency(name!)
                return
            }
            switch (version, rest.count) {
            case ("2015-03-31", 0),
                ("2015-03-31", 1) where rest[0].isEmpty:
                self = .listFunctions
            case ("2015-03-31", 1): self = .getFunction(name!)
            case ("2015-03-31", 2) where rest[1] == "configuration": self = .getConfiguration(name!)
            case ("2019-09-30", 2) where rest[1] == "concurrency": self = .getConcurrency(name!)
            case ("2019-09-30", 2) where rest[1] == "provisioned-concurrency": self = .getProvisionedConcurrency(name!)
            default: return nil
            }
        }
    }

    let functions: [String: FunctionManifest]
    let region: String
    /// Each function's reserved concurrency now (it may differ from the manifest's).
    let concurrency: [String: Int?]

    /// The most concurrent executions of the account (Lambda's default regional quota), and how many of them must
    /// stay unreserved for the functions without a reservation.
    static let accountConcurrency = 1_000
    static let unreservedMinimum = 100

    /// The JSON body of a 200 for `operation` with the request's query parameters, or Lambda's error. Put and
    /// Delete answer from ``concurrency`` once the caller has applied them (checked by ``reservation(fromBody:)`` and
    /// ``checkUnreservedMinimum(_:function:reserved:)``); Delete's 204 has no body.
    func respond(_ operation: Operation, query: [String: String]) throws(ServiceError) -> String {
        switch operation {
        case .putConcurrency(let text):
            let m = try function(text, qualifier: nil)
            return "{\"ReservedConcurrentExecutions\":\((concurrency[m.name] ?? nil) ?? 0)}"
        case .deleteConcurrency:
            return ""
        case .listFunctions:
            return try list(query: query)
        case .getFunction(let text):
            let m = try function(text, qualifier: query["Qualifier"])
            var body = "{\"Configuration\":\(configuration(m)),\"Code\":{\"RepositoryType\":\"Local\","
            body += "\"Location\":\(JSONText.quote("file://" + m.directory))},\"Tags\":{}"
            if let reserved = concurrency[m.name] ?? m.reservedConcurrency {
                body += ",\"Concurrency\":{\"ReservedConcurrentExecutions\":\(reserved)}"
            }
            return body + "}"
        case .getConfiguration(let text):
            return configuration(try function(text, qualifier: query["Qualifier"]))
        case .getConcurrency(let text):
            let m = try function(text, qualifier: nil)
            let reserved = concurrency[m.name] ?? m.reservedConcurrency
            return reserved.map { "{\"ReservedConcurrentExecutions\":\($0)}" } ?? "{}"
        case .getProvisionedConcurrency(let text):
            guard let qualifier = query["Qualifier"] else {
                throw ServiceError(
                    type: "ValidationException", status: 400,
                    message:
                        "1 validation error detected: Value null at 'qualifier' failed to satisfy constraint: Member must not be null"
                )
            }
            let m = try function(text, qualifier: qualifier)
            guard m.provisionedConcurrency > 0 else {
                throw ServiceError(
                    type: "ProvisionedConcurrencyConfigNotFoundException", status: 404,
                    message: "No Provisioned Concurrency Config found for this function")
            }
            let n = m.provisionedConcurrency
            return
                "{\"RequestedProvisionedConcurrentExecutions\":\(n),\"AvailableProvisionedConcurrentExecutions\":\(n),"
                + "\"AllocatedProvisionedConcurrentExecutions\":\(n),\"Status\":\"READY\","
                + "\"LastModified\":\(JSONText.quote(lastModified(m)))}"
        }
    }

    /// PutFunctionConcurrency's body: `{"ReservedConcurrentExecutions": n}` with n a whole number of at least 0.
    static func reservation(fromBody body: [UInt8]) throws(ServiceError) -> Int {
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { throw .invalidContent("\(error)") }
        guard case .object(let fields) = value else { throw .invalidContent("the body is not a JSON object") }
        guard let field = fields["ReservedConcurrentExecutions"], field != .null else {
            throw ServiceError(
                type: "ValidationException", status: 400,
                message:
                    "1 validation error detected: Value null at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must not be null"
            )
        }
        guard case .number(let n) = field, n == n.rounded(), abs(n) < 1e9 else {
            throw .invalidContent("ReservedConcurrentExecutions must be a whole number, not \(field.serialized)")
        }
        guard n >= 0 else {
            throw ServiceError(
                type: "ValidationException", status: 400,
                message:
                    "1 validation error detected: Value '\(Int(n))' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0"
            )
        }
        return Int(n)
    }

    /// Lambda's account rule: what every function reserves, with `function` at `value`, must leave
    /// ``unreservedMinimum`` of ``accountConcurrency`` unreserved. Lowering a reservation always passes.
    static func checkUnreservedMinimum(_ value: Int, function: String, reserved: [String: Int?]) throws(ServiceError) {
        if let current = reserved[function] ?? nil, value <= current { return }
        let others = reserved.filter { $0.key != function }.values.reduce(0) { $0 + ($1 ?? 0) }
        guard others + value <= accountConcurrency - unreservedMinimum else {
            throw ServiceError(
                type: "InvalidParameterValueException", status: 400,
                message:
                    "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [\(unreservedMinimum)]."
            )
        }
    }

    /// The manifest `text` names, with `qualifier` (or the one in `text`) checked: fnhost has only `$LATEST`.
    func function(_ text: String, qualifier: String?) throws(ServiceError) -> FunctionManifest {
        guard let reference = FunctionReference(parsing: text) else {
            throw ServiceError(
                type: "ValidationException", status: 400,
                message:
                    "1 validation error detected: Value '\(text.prefix(140))' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?"
            )
        }
        let qualified = FunctionReference(name: reference.name, qualifier: qualifier ?? reference.qualifier)
        guard let m = functions[reference.name], qualified.isLatest else {
            throw ServiceError(
                type: "ResourceNotFoundException", status: 404,
                message: "Function not found: \(qualified.arn(region: region))")
        }
        return m
    }

    /// ListFunctions: sorted by name, `MaxItems` (1–10,000, default 50) per page, `Marker` the next name.
    func list(query: [String: String]) throws(ServiceError) -> String {
        var size = 50
        if let text = query["MaxItems"] {
            guard let n = Int(text), (1...10_000).contains(n) else {
                throw ServiceError(
                    type: "InvalidParameterValueException", status: 400,
                    message: "MaxItems must be between 1 and 10000, got \(text)")
            }
            size = n
        }
        let names = functions.keys.sorted()
        var start = 0
        if let marker = query["Marker"], !marker.isEmpty {
            guard let i = names.firstIndex(of: marker) else {
                throw ServiceError(
                    type: "InvalidParameterValueException", status: 400, message: "Invalid marker: \(marker)")
            }
            start = i
        }
        let page = names[start..<min(names.count, start + size)]
        var body = "{\"Functions\":[" + page.map { configuration(functions[$0]!) }.joined(separator: ",") + "]"
        if start + size < names.count { body += ",\"NextMarker\":\(JSONText.quote(names[start + size]))" }
        return body + "}"
    }

    /// A FunctionConfiguration, as GetFunctionConfiguration and ListFunctions return it.
    func configuration(_ m: FunctionManifest) -> String {
        let env = m.environment.keys.sorted().map { "\(JSONText.quote($0)):\(JSONText.quote(m.environment[$0]!))" }
        let timeout = Int(m.timeout.rounded(.up))
        return
            "{\"FunctionName\":\(JSONText.quote(m.name)),\"FunctionArn\":\(JSONText.quote(ARN.function(m.name, region: region))),"
            + "\"Runtime\":\(JSONText.quote(m.runtime)),\"Role\":\"arn:aws:iam::\(ARN.accountID):role/fnhost\","
            + "\"Handler\":\(JSONText.quote(m.handler)),\"CodeSize\":0,\"Description\":\(JSONText.quote(m.description)),"
            + "\"Timeout\":\(timeout),\"MemorySize\":\(m.memorySize),\"LastModified\":\(JSONText.quote(lastModified(m))),"
            + "\"CodeSha256\":\"\",\"Version\":\"$LATEST\",\"Environment\":{\"Variables\":{\(env.joined(separator: ","))}},"
            + "\"TracingConfig\":{\"Mode\":\"PassThrough\"},\"State\":\"Active\",\"LastUpdateStatus\":\"Successful\","
            + "\"PackageType\":\"Zip\",\"Architectures\":[\"x86_64\"],\"EphemeralStorage\":{\"Size\":512}}"
    }

    /// The manifest file's modification time in Lambda's format (`2026-11-30T17:00:00.000+0000`).
    func lastModified(_ m: FunctionManifest) -> String {
        let path = m.file.split(separator: " ").first.map(String.init) ?? m.file
        let date =
            (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date)
            ?? Date(timeIntervalSince1970: 0)
        let ms = Int64(date.timeIntervalSince1970 * 1000)
        let day = CalendarDate(epochMilliseconds: ms)
        let inDay = ((ms % 86_400_000) + 86_400_000) % 86_400_000
        let two = { (n: Int64) in n < 10 ? "0\(n)" : "\(n)" }
        let millis = inDay % 1000
        return "\(day)T\(two(inDay / 3_600_000)):\(two(inDay / 60_000 % 60)):\(two(inDay / 1000 % 60))."
            + (millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)") + "+0000"
    }
}
