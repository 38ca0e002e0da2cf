#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How values are serialised for the shared Redis tier (`FNHOST_CACHE_ENCODING`).
///
/// JSON is the default: on the organisation record org-status caches it measured faster than the binary property
/// list, to encode and decode and in a shared hit, and smaller; a hand-written binary codec that was faster still
/// saved 8–12 µs per shared hit, less than a shared hit moves from run to run, and was removed (BENCHMARKS.md,
/// "Cache encoding"). The property list stays selectable so that JSON can be compared with a binary format
/// (`fnhost-bench --only encoding`).
public enum CacheValueEncoding: String, Sendable, Codable, CaseIterable {
    /// JSON through Foundation's `JSONEncoder`: readable in `redis-cli`.
    case json
    /// Foundation's `PropertyListEncoder` in its XML format. Not the binary one: Foundation's binary property-list
    /// decoder traps on some malformed input (found by fuzzing), and these bytes come back from a shared Redis.
    case plist

    // Shared and never reconfigured after they are made: Foundation's coders are safe to use from several threads then.
    private static let jsonEncoder = JSONEncoder()
    private static let jsonDecoder = JSONDecoder()
    private static let plistEncoder: PropertyListEncoder = {
        let encoder = PropertyListEncoder()
        encoder.outputFormat = .xml
        return encoder
    }()
    private static let plistDecoder = PropertyListDecoder()
    private static let binaryPlistMagic = Array("bplist".utf8)

    /// The names `FNHOST_CACHE_ENCODING` accepts, for error messages: `'json' or 'plist'`.
    public static var accepted: String { allCases.map { "'\($0.rawValue)'" }.joined(separator: " or ") }

    /// The bytes stored in Redis for `value`.
    public func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        switch self {
        case .json:
            return Array(try Self.jsonEncoder.encode(value))
        case .plist:
            return Array(try Self.plistEncoder.encode(value))
        }
    }

    /// The value of bytes read from Redis; throws `DecodingError` when they are not one (another encoding, a
    /// truncated or foreign value).
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        switch self {
        case .json:
            return try Self.jsonDecoder.decode(type, from: Data(bytes))
        case .plist:
            // A binary property list never reaches Foundation's binary decoder (it traps on malformed ones).
            guard !bytes.starts(with: Self.binaryPlistMagic) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: [], debugDescription: "a binary property list: fnhost stores XML ones"))
            }
            return try Self.plistDecoder.decode(type, from: Data(bytes))
        }
    }
}
