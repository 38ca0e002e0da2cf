#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How values are serialised for the shared Redis tier.
///
/// Selectable (`FNHOST_CACHE_ENCODING`) so that the choice can be measured: `fnhost-bench --only encoding` compares
/// them on the organisation record org-status caches (BENCHMARKS.md, "Cache encoding").
public enum CacheValueEncoding: String, Sendable, Codable, CaseIterable {
    /// fnhost's compact binary `Codable` format (`BinaryEncoder`).
    case binary
    /// JSON through Foundation's `JSONEncoder`: readable in `redis-cli`.
    case json
    /// Foundation's `PropertyListEncoder` in its binary format (`bplist00`).
    case plist

    // Shared and never reconfigured: Foundation's coders are safe to use from several threads then.
    private static let jsonEncoder = JSONEncoder()
    private static let jsonDecoder = JSONDecoder()
    private static let plistEncoder: PropertyListEncoder = {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .binary
        return encoder
    }()
    private static let plistDecoder = PropertyListDecoder()

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        switch self {
        case .binary:
            return try BinaryEncoder().encode(value)
        case .json:
            return Array(try Self.jsonEncoder.encode(value))
        case .plist:
            return Array(try Self.plistEncoder.encode(value))
        }
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        switch self {
        case .binary:
            return try BinaryDecoder().decode(type, from: bytes)
        case .json:
            return try Self.jsonDecoder.decode(type, from: Data(bytes))
        case .plist:
            return try Self.plistDecoder.decode(type, from: Data(bytes))
        }
    }
}
