import FnhostSimulation
/// A profile file's JSON as a plain tree, so the loader can check every key and type and name the exact path of a
/// mistake (a `Decodable` struct would silently ignore unknown keys and report paths less precisely).
indirect enum ProfileJSON: Decodable, Equatable {
    case object([String: ProfileJSON])
    case array([ProfileJSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    private struct AnyKey: CodingKey {
        let stringValue: String
        let intValue: Int? = nil
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: ProfileJSON] = [:]
            for key in object.allKeys {
                members[key.stringValue] = try object.decode(ProfileJSON.self, forKey: key)
            }
            self = .object(members)
        } else if var array = try? decoder.unkeyedContainer() {
            var elements: [ProfileJSON] = []
            while !array.isAtEnd { elements.append(try array.decode(ProfileJSON.self)) }
            self = .array(elements)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let bool = try? single.decode(Bool.self) {
                self = .bool(bool)
            } else if let number = try? single.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try single.decode(String.self))
            }
        }
    }

    /// The JSON type's name, for error messages.
    var typeName: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        }
    }
}
