import FnhostWire

/// A JSONPath expression as the Amazon States Language uses it in `InputPath`, `OutputPath`, `ItemsPath`, `.$`
/// fields, `…Path` comparisons and intrinsic arguments: `$` (the state's input) or `$$` (the context object), then
/// `.name`, `['name']`, `[n]`, `[*]`, `[a,b]`, `[start:end:step]`, `..` (descendants) and filters `[?(@.x > 1)]`.
///
/// Parsed once when the definition loads, so a bad path is an `InvalidDefinition`, never a surprise halfway through an
/// execution. A *reference path* (``isReferencePath``: names and indices only) names one node and is what
/// `ResultPath`, `Variable` and the Fail state's paths take.
public struct JSONPath: Hashable, Sendable, CustomStringConvertible {
    /// What the path reads: the state's input (`$`) or the context object (`$$`).
    public enum Root: Hashable, Sendable { case input, context }

    /// One step of a path.
    public indirect enum Segment: Hashable, Sendable {
        case child(String)
        case index(Int)
        case wildcard
        case names([String])
        case indices([Int])
        case slice(start: Int?, end: Int?, step: Int?)
        case descendants(Segment)
        case filter(JSONPathFilter)
    }

    public let root: Root
    public let segments: [Segment]
    /// The text the path was parsed from.
    public let text: String

    public var description: String { text }

    /// Parses `text`; the error says where and why it is not a path.
    public init(_ text: String) throws(JSONPathError) {
        var parser = JSONPathParser(text: text)
        let (root, segments) = try parser.parseWholePath()
        self.root = root
        self.segments = segments
        self.text = text
    }

    init(root: Root, segments: [Segment], text: String) {
        self.root = root
        self.segments = segments
        self.text = text
    }

    /// Whether the path names at most one node (no wildcard, union, slice, descent or filter): such a path gives its
    /// node itself, an indefinite one gives the array of what it matched.
    public var isDefinite: Bool {
        segments.allSatisfy {
            switch $0 {
            case .child, .index: true
            default: false
            }
        }
    }

    /// Whether this is a reference path: `$` then names and indices only (ResultPath, Variable, ErrorPath…).
    public var isReferencePath: Bool { isDefinite }

    /// Every node the path matches, in document order.
    public func matches(input: JSONValue, context: JSONValue) -> [JSONValue] {
        var nodes = [root == .input ? input : context]
        for segment in segments {
            nodes = Self.apply(segment, to: nodes, root: input)
            if nodes.isEmpty { break }
        }
        return nodes
    }

    /// The value the path selects: its one node for a definite path (nil when it is missing), the array of its
    /// matches for an indefinite one (an empty array when nothing matched).
    public func select(input: JSONValue, context: JSONValue) -> JSONValue? {
        let found = matches(input: input, context: context)
        if isDefinite { return found.first }
        return .array(found)
    }

    static func apply(_ segment: Segment, to nodes: [JSONValue], root: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        for node in nodes {
            switch segment {
            case .child(let name):
                if case .object(let o) = node, let v = o[name] { out.append(v) }
            case .index(let i):
                if case .array(let a) = node {
                    let j = i < 0 ? a.count + i : i
                    if j >= 0, j < a.count { out.append(a[j]) }
                }
            case .wildcard:
                switch node {
                case .array(let a): out += a
                case .object(let o): out += o.keys.sorted().map { o[$0]! }
                default: break
                }
            case .names(let names):
                if case .object(let o) = node { out += names.compactMap { o[$0] } }
            case .indices(let indices):
                if case .array(let a) = node {
                    for i in indices {
                        let j = i < 0 ? a.count + i : i
                        if j >= 0, j < a.count { out.append(a[j]) }
                    }
                }
            case .slice(let start, let end, let step):
                if case .array(let a) = node { out += slice(a, start: start, end: end, step: step) }
            case .descendants(let inner):
                var all: [JSONValue] = []
                collectDescendants(node, into: &all)
                out += apply(inner, to: all, root: root)
            case .filter(let filter):
                let candidates: [JSONValue]
                switch node {
                case .array(let a): candidates = a
                case .object(let o): candidates = o.keys.sorted().map { o[$0]! }
                default: candidates = []
                }
                out += candidates.filter { filter.holds(on: $0, root: root) }
            }
        }
        return out
    }

    static func slice(_ a: [JSONValue], start: Int?, end: Int?, step: Int?) -> [JSONValue] {
        let n = a.count
        let step = step ?? 1
        guard step != 0, n > 0 else { return [] }
        func clamp(_ v: Int?, _ fallback: Int) -> Int {
            guard var v else { return fallback }
            if v < 0 { v += n }
            return min(max(v, step > 0 ? 0 : -1), step > 0 ? n : n - 1)
        }
        var out: [JSONValue] = []
        if step > 0 {
            var i = clamp(start, 0)
            let e = clamp(end, n)
            while i < e {
                out.append(a[i])
                i += step
            }
        } else {
            var i = clamp(start, n - 1)
            let e = clamp(end, -1)
            while i > e {
                out.append(a[i])
                i += step
            }
        }
        return out
    }

    static func collectDescendants(_ node: JSONValue, into out: inout [JSONValue]) {
        out.append(node)
        switch node {
        case .array(let a): for v in a { collectDescendants(v, into: &out) }
        case .object(let o): for k in o.keys.sorted() { collectDescendants(o[k]!, into: &out) }
        default: break
        }
    }
}

/// Why a text is not a JSONPath: where (a character offset) and what was expected.
public struct JSONPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var offset: Int
    public var reason: String
    public var description: String {
        "\(JSONText.quoteShortened(text)) is not a valid JSONPath: \(reason) (at character \(offset + 1))"
    }
}
