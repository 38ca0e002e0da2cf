import FnhostWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One message attribute as a sender gives it (`{"DataType": "String", "StringValue": "…"}` or a `BinaryValue` in
/// base64), checked with SQS's rules, and the digest SQS answers with (`MD5OfMessageAttributes`).
public struct SQSMessageAttribute: Sendable, Equatable {
    public static let maxAttributes = 10

    public var dataType: String
    public var stringValue: String?
    public var binaryValue: [UInt8]?

    public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    /// Whether the value is carried as bytes (`Binary…`) rather than as a string (`String…`, `Number…`).
    public var isBinary: Bool { dataType.hasPrefix("Binary") }

    /// The bytes the attribute adds to the message's size: name, type and value.
    public func size(name: String) -> Int {
        name.utf8.count + dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryValue?.count ?? 0)
    }

    /// Decodes and checks a `MessageAttributes` map.
    public static func decode(_ object: [String: JSONValue]) throws(SQSError) -> [String: SQSMessageAttribute] {
        if object.count > maxAttributes {
            throw .invalidParameterValue(
                "Number of message attributes [\(object.count)] exceeds the allowed maximum [\(maxAttributes)].")
        }
        var out: [String: SQSMessageAttribute] = [:]
        for (name, value) in object {
            try checkName(name)
            guard case .object(let fields) = value else {
                throw .serialization("MessageAttributes.\(name) must be an object, not \(value.kind)")
            }
            guard case .string(let type)? = fields["DataType"], !type.isEmpty else {
                throw .invalidParameterValue("The message attribute '\(name)' must contain a non-empty data type.")
            }
            let base = type.split(separator: ".", maxSplits: 1).first.map(String.init) ?? type
            guard ["String", "Number", "Binary"].contains(base), type.utf8.count <= 256 else {
                throw .invalidParameterValue(
                    "The type of message attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
                )
            }
            var attribute = SQSMessageAttribute(dataType: type)
            if base == "Binary" {
                guard case .string(let text)? = fields["BinaryValue"], let data = Data(base64Encoded: text),
                    !data.isEmpty
                else {
                    throw .invalidParameterValue(
                        "The message attribute '\(name)' with type 'Binary' must use field 'Binary'.")
                }
                attribute.binaryValue = Array(data)
            } else {
                guard case .string(let text)? = fields["StringValue"], !text.isEmpty else {
                    throw .invalidParameterValue(
                        "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(type)'."
                    )
                }
                if base == "Number", Double(text) == nil {
                    throw .invalidParameterValue(
                        "Can't cast the value of message (user) attribute '\(name)' to a number.")
                }
                for scalar in text.unicodeScalars where !SQSLimits.isAllowed(scalar) {
                    throw .invalidMessageContents("The message attribute '\(name)' contains invalid characters.")
                }
                attribute.stringValue = text
            }
            out[name] = attribute
        }
        return out
    }

    /// SQS's rules for an attribute name: 1–256 of letters, digits, `_`, `-`, `.`; no `.` first, last or twice in
    /// a row; not `AWS.` or `Amazon.` first.
    static func checkName(_ name: String) throws(SQSError) {
        let lower = name.lowercased()
        guard !name.isEmpty, name.utf8.count <= 256, !name.hasPrefix("."), !name.hasSuffix("."),
            !name.contains(".."), !lower.hasPrefix("aws."), !lower.hasPrefix("amazon."),
            name.unicodeScalars.allSatisfy({
                $0.isASCII
                    && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == ".")
            })
        else {
            throw .invalidParameterValue("Message (user) attribute name '\(name.prefix(256))' is invalid.")
        }
    }

    /// The attribute as a receive hands it back.
    public var json: JSONValue {
        var fields: [String: JSONValue] = ["DataType": .string(dataType)]
        if let stringValue { fields["StringValue"] = .string(stringValue) }
        if let binaryValue { fields["BinaryValue"] = .string(Data(binaryValue).base64EncodedString()) }
        return .object(fields)
    }

    /// Encodes a map of attributes for the store (the receive's JSON shape).
    public static func encode(_ attributes: [String: SQSMessageAttribute]) -> [UInt8] {
        JSONValue.object(attributes.mapValues(\.json)).serialized
    }

    /// Decodes what `encode` stored; attributes that no longer decode are dropped.
    public static func stored(_ bytes: [UInt8]) -> [String: SQSMessageAttribute] {
        guard case .object(let object)? = try? JSONValue.parse(bytes) else { return [:] }
        return (try? decode(object)) ?? [:]
    }

    /// `MD5OfMessageAttributes`: MD5 over the attributes sorted by name, each as length-prefixed (4 bytes,
    /// big-endian) name, length-prefixed data type, a transport byte (1 string, 2 binary) and the length-prefixed
    /// value — the encoding AWS's SDKs check.
    public static func md5(_ attributes: [String: SQSMessageAttribute]) -> String {
        var bytes: [UInt8] = []
        func field(_ value: [UInt8]) {
            let n = UInt32(value.count)
            bytes += [UInt8(n >> 24), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
            bytes += value
        }
        for name in attributes.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            guard let attribute = attributes[name] else { continue }
            field(Array(name.utf8))
            field(Array(attribute.dataType.utf8))
            if attribute.isBinary {
                bytes.append(2)
                field(attribute.binaryValue ?? [])
            } else {
                bytes.append(1)
                field(Array((attribute.stringValue ?? "").utf8))
            }
        }
        return Digest.hexString(Digest.md5(bytes))
    }
}
