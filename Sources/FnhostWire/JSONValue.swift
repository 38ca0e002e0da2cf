/// A parsed JSON document whose shape is not known in advance: manifests, profiles, rule sets and events are
/// validated field by field from it, so that every error can name the exact field.
///
/// One type for the host and the workers, with one strict parser (``parse(_:)``) and no Foundation: it is `Codable`,
/// so a handler can still decode it from an event with any `JSONDecoder`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses one complete JSON text (RFC 8259), strictly: duplicate keys, trailing commas, leading zeros and text
    /// after the value are refused, and the error gives the line and column to look at. Objects and arrays may
    /// nest ``InvokeAPI/maxEventNesting`` levels deep; deeper documents are refused rather than overflowing the stack.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes))
        return try parser.parseDocument()
    }

    /// Parses one complete JSON text given as a string; see ``parse(_:)-(Collection<UInt8>)``.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue {
        try parse(text.utf8)
    }

    /// The kind of value, for error messages ("expected a number, found a string").
    public var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// A short rendering of the value for error messages: strings quoted, containers summarised.
    public var shortDescription: String {
        switch self {
        case .null: "null"
        case .bool(let b): b ? "true" : "false"
        case .number(let d): JSONValue.format(d)
        case .string(let s): JSONText.quote(s)
        case .array(let a): "[\(a.count) element\(a.count == 1 ? "" : "s")]"
        case .object(let o): "{\(o.count) field\(o.count == 1 ? "" : "s")}"
        }
    }

    /// The value as compact JSON text (object members sorted by key, so the output is deterministic).
    public var serialized: [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .null: out += Array("null".utf8)
        case .bool(let b): out += Array((b ? "true" : "false").utf8)
        case .number(let d): out += Array((d.isFinite ? JSONValue.format(d) : "null").utf8)
        case .string(let s): JSONText.appendQuoted(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                element.append(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            for (i, key) in o.keys.sorted().enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONText.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                o[key]!.append(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Integers without a fraction (`3`, not `3.0`), other numbers as Swift prints them.
    static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let d = try? container.decode(Double.self) {
            self = .number(d)
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else if let o = try? container.decode([String: JSONValue].self) {
            self = .object(o)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let d):
            if d == d.rounded(), abs(d) < 9_007_199_254_740_992 {
                try container.encode(Int64(d))
            } else {
                try container.encode(d)
            }
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}
