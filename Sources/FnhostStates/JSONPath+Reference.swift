import FnhostWire

extension JSONPath {
    /// `input` with `value` placed where this reference path points (`ResultPath`): missing fields are created;
    /// a step through something that is not an object (or an index outside an array) is
    /// `States.ResultPathMatchFailure`.
    public func placing(_ value: JSONValue, into input: JSONValue) throws(StatesError) -> JSONValue {
        try Self.place(value, into: input, segments: segments[...], path: text)
    }

    static func place(
        _ value: JSONValue, into node: JSONValue, segments: ArraySlice<Segment>, path: String
    ) throws(StatesError) -> JSONValue {
        guard let first = segments.first else { return value }
        let rest = segments.dropFirst()
        switch (first, node) {
        case (.child(let name), .object(var o)):
            o[name] = try place(value, into: o[name] ?? .object([:]), segments: rest, path: path)
            return .object(o)
        case (.index(let i), .array(var a)):
            let j = i < 0 ? a.count + i : i
            guard j >= 0, j < a.count else { throw mismatch(path, node) }
            a[j] = try place(value, into: a[j], segments: rest, path: path)
            return .array(a)
        default:
            throw mismatch(path, node)
        }
    }

    static func mismatch(_ path: String, _ node: JSONValue) -> StatesError {
        StatesError(
            StatesError.resultPathMatchFailure,
            "Unable to apply ReferencePath \(path) to input \(String(decoding: node.serialized, as: UTF8.self))")
    }
}
