/// The parameters of one AWS JSON 1.0/1.1 request (the JSON object of its body) read through typed accessors, so
/// every service that speaks the protocol (SQS, Kinesis, Step Functions) reads them once, the same way: absent and
/// null are the same, a wrong JSON type or an out-of-range integer is refused, and `Errors` words the refusal as
/// the service does.
public struct AWSJSONParameters<Errors: AWSParameterErrors>: Sendable, Hashable {
    public typealias Failure = Errors.Failure

    /// The members of the body's object.
    public var values: [String: JSONValue]

    public init(_ values: [String: JSONValue]) {
        self.values = values
    }

    /// Decodes a request body: empty or only whitespace is `{}`; otherwise it must be a JSON object.
    public init(body: some Collection<UInt8>) throws(Failure) {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            self.init([:])
            return
        }
        let value: JSONValue
        do { value = try JSONValue.parse(body) } catch { throw Errors.notJSON(error) }
        guard case .object(let object) = value else { throw Errors.notObject(value) }
        self.init(object)
    }

    /// A parameter's value, nil when absent or null.
    public subscript(_ name: String) -> JSONValue? {
        switch values[name] {
        case nil, .null?: return nil
        case let value?: return value
        }
    }

    /// A string parameter, nil when absent or null.
    public func string(_ name: String) throws(Failure) -> String? {
        switch self[name] {
        case nil: return nil
        case .string(let s)?: return s
        case let other?: throw Errors.wrongType(name, other, expected: "a string")
        }
    }

    /// A string parameter the operation cannot do without.
    public func requiredString(_ name: String) throws(Failure) -> String {
        guard let value = try string(name) else { throw Errors.missing(name) }
        return value
    }

    /// An integer parameter (a JSON number with no fraction that fits an `Int`), nil when absent or null.
    public func integer(_ name: String) throws(Failure) -> Int? {
        switch self[name] {
        case nil: return nil
        case .number(let n)?:
            guard n == n.rounded(), let value = Int(exactly: n) else {
                throw Errors.wrongType(name, .number(n), expected: "an integer")
            }
            return value
        case let other?: throw Errors.wrongType(name, other, expected: "an integer")
        }
    }

    /// An integer parameter in `range`, nil when absent or null.
    public func integer(_ name: String, in range: ClosedRange<Int>) throws(Failure) -> Int? {
        guard let value = try integer(name) else { return nil }
        guard range.contains(value) else { throw Errors.outOfRange(name, value, range) }
        return value
    }

    /// A boolean parameter, nil when absent or null.
    public func boolean(_ name: String) throws(Failure) -> Bool? {
        switch self[name] {
        case nil: return nil
        case .bool(let b)?: return b
        case let other?: throw Errors.wrongType(name, other, expected: "a boolean")
        }
    }

    /// A list of strings, empty when absent or null.
    public func strings(_ name: String) throws(Failure) -> [String] {
        switch self[name] {
        case nil: return []
        case .array(let items)?:
            var out: [String] = []
            for item in items {
                guard case .string(let s) = item else {
                    throw Errors.wrongType(name, item, expected: "a list of strings")
                }
                out.append(s)
            }
            return out
        case let other?: throw Errors.wrongType(name, other, expected: "a list of strings")
        }
    }

    /// A map of strings to strings (`Attributes`, `tags`), empty when absent or null; a value of another type is
    /// refused under the name `name.key`.
    public func stringMap(_ name: String) throws(Failure) -> [String: String] {
        switch self[name] {
        case nil: return [:]
        case .object(let object)?:
            var out: [String: String] = [:]
            for (key, value) in object {
                guard case .string(let s) = value else {
                    throw Errors.wrongType("\(name).\(key)", value, expected: "a string")
                }
                out[key] = s
            }
            return out
        case let other?: throw Errors.wrongType(name, other, expected: "a map of strings")
        }
    }

    /// An object parameter (a map of anything), nil when absent or null; `expected` words a wrong type.
    public func object(_ name: String, expected: String = "a map") throws(Failure) -> [String: JSONValue]? {
        switch self[name] {
        case nil: return nil
        case .object(let object)?: return object
        case let other?: throw Errors.wrongType(name, other, expected: expected)
        }
    }

    /// A required list of objects (a batch's `Entries`, `Records`), each a parameter set of its own; `checkCount`
    /// sees the list's length before its items are looked at.
    public func requiredObjects(
        _ name: String, checkCount: (Int) throws(Failure) -> Void = { _ in }
    ) throws(Failure) -> [AWSJSONParameters] {
        let items: [JSONValue]
        switch self[name] {
        case nil: throw Errors.missing(name)
        case .array(let list)?: items = list
        case let other?: throw Errors.wrongType(name, other, expected: "a list")
        }
        try checkCount(items.count)
        var out: [AWSJSONParameters] = []
        for item in items {
            guard case .object(let object) = item else {
                throw Errors.wrongType(name, item, expected: "a list of objects")
            }
            out.append(AWSJSONParameters(object))
        }
        return out
    }
}
