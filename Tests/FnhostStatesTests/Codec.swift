import FnhostWire

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON encoding as a store of checkpoints would use it.
func encodeJSON(_ value: some Encodable) throws -> [UInt8] { Array(try JSONEncoder().encode(value)) }

func decodeJSON<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
    try JSONDecoder().decode(type, from: Data(value.serialized))
}
