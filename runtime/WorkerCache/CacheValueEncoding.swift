#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How values are serialised for the shared Redis tier.
///
/// Both are kept so the choice can be measured (see the encoding benchmark in `WorkerCacheTests`); `binary` is the
/// default because it measured faster to encode and decode and smaller on the wire for a cached organisation.
public enum CacheValueEncoding: String, Sendable, Codable, CaseIterable {
    /// fnhost's compact binary `Codable` format (`BinaryEncoder`).
    case binary
    /// JSON through Foundation's `JSONEncoder`: readable in `redis-cli`, slower and larger.
    case json

    // Shared and never reconfigured: Foundation's JSON coders are safe to use from several threads then.
    private static let jsonEncoder = JSONEncoder()
    private static let jsonDecoder = JSONDecoder()

    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        switch self {
        case .binary:
            return try BinaryEncoder().encode(value)
        case .json:
            return Array(try Self.jsonEncoder.encode(value))
        }
    }

    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        switch self {
        case .binary:
            return try BinaryDecoder().decode(type, from: bytes)
        case .json:
            return try Self.jsonDecoder.decode(type, from: Data(bytes))
        }
    }
}
