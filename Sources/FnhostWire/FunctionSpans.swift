/// The `Fnhost-Spans` annotation: the spans a function opened itself (`withSpan("name") { span in … }` through
/// swift-distributed-tracing, or `context.span("name") { … }`), sent by the worker as a header on its Runtime API
/// response, like ``CacheAnnotation``; the host places them in the invocation's trace, nested as they were opened,
/// under its duration. AWS Lambda ignores the header.
///
/// The value reads `0.125+3.5 load%20rules a.rules.count=12, 0.5+2.25 parse p=0 e=bad%20row`: comma-separated
/// entries `START+DURATION NAME`, then optional fields each after a space: `p=INDEX`, the parent (an earlier entry
/// of the same list, counted from 0); `e=MESSAGE`, the span failed (the message may be empty); `a.KEY=VALUE`, an
/// attribute. Times are measured milliseconds from the moment the worker received the event; names, messages, keys
/// and values are percent-encoded (every byte but letters, digits and `-._~`), so a space, a comma or `=` never
/// appears inside one. A value of the first version (`START+DURATION NAME`, no fields) reads as it always did.
///
/// One writer (``headerValue``) and one parser (``init(parsing:)``), fuzzed: the bytes come from another process.
/// Everything is bounded (entries, name, message, attributes per span, key and value bytes, the whole value); the
/// parser refuses what the writer would never write, and the host then ignores the header (the invocation's outcome
/// is untouched).
public struct FunctionSpans: Sendable, Equatable {
    public static let headerName = "Fnhost-Spans"
    /// The key the host files it under (header names lower-cased).
    public static let annotationKey = "fnhost-spans"
    /// At most this many spans per invocation; the writer keeps the first ones.
    public static let maxEntries = 64
    /// Names are cut to this many bytes (UTF-8) by the writer, and refused longer by the parser.
    public static let maxNameBytes = 100
    /// An error message is cut to this many bytes by the writer, and refused longer by the parser.
    public static let maxErrorBytes = 200
    /// At most this many attributes per span: the writer keeps the first ones by key, the parser refuses more.
    public static let maxAttributes = 8
    /// An attribute's key: 1 to this many bytes (the writer leaves out a longer one rather than cut it).
    public static let maxKeyBytes = 64
    /// An attribute's value is cut to this many bytes by the writer, and refused longer by the parser.
    public static let maxValueBytes = 128
    /// The whole header value: the writer keeps the longest run of first entries that fits (a parent is always
    /// earlier than its children, so what is kept stays whole); the parser refuses a longer value.
    public static let maxHeaderBytes = 16_384
    /// The longest time a span may have, start or duration: 10⁹ ms (11.6 days; a Lambda invocation lasts 900,000 ms at
    /// most), so every time prints without an exponent.
    public static let maxMilliseconds = 1_000_000_000.0

    /// One span a function opened.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// ms from the event's receipt.
        public var startMs: Double
        public var durationMs: Double
        /// The index of the entry this one was opened inside (always an earlier one); nil: directly in the
        /// invocation.
        public var parent: Int?
        /// Non-nil when the span failed: the error's message (empty when it has none).
        public var error: String?
        public var attributes: [String: String]

        public init(
            name: String, startMs: Double, durationMs: Double, parent: Int? = nil, error: String? = nil,
            attributes: [String: String] = [:]
        ) {
            self.name = name
            self.startMs = startMs
            self.durationMs = durationMs
            self.parent = parent
            self.error = error
            self.attributes = attributes
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Why a header value is not a span list. The host ignores such a value (the invocation's outcome is untouched).
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case tooManyEntries(Int)
        /// The value is longer than ``FunctionSpans/maxHeaderBytes``.
        case tooLong(Int)
        /// An entry is not `START+DURATION NAME` followed by fields.
        case malformedEntry(String)
        /// A time is not a number from 0 to ``FunctionSpans/maxMilliseconds``.
        case invalidMilliseconds(String)
        /// The name is empty, longer than ``maxNameBytes``, badly percent-encoded, or not UTF-8.
        case invalidName(String)
        /// A field is not `p=INDEX` (an earlier entry), `e=MESSAGE` or `a.KEY=VALUE` within its bounds, or comes twice.
        case invalidField(String)

        public var description: String {
            let h = FunctionSpans.headerName
            return switch self {
            case .tooManyEntries(let n): "\(h): \(n) entries, more than \(FunctionSpans.maxEntries)"
            case .tooLong(let n): "\(h): \(n) bytes, more than \(FunctionSpans.maxHeaderBytes)"
            case .malformedEntry(let e): "\(h): \"\(e)\" is not START+DURATION NAME [FIELD…]"
            case .invalidMilliseconds(let v):
                "\(h): \"\(v)\" is not a number of milliseconds from 0 to \(Int(FunctionSpans.maxMilliseconds))"
            case .invalidName(let n): "\(h): \"\(n)\" is not a percent-encoded UTF-8 name of 1–100 bytes"
            case .invalidField(let f):
                "\(h): \"\(f)\" is not p=INDEX (an earlier entry), e=MESSAGE (≤ \(FunctionSpans.maxErrorBytes) bytes) "
                    + "or a.KEY=VALUE (≤ \(FunctionSpans.maxAttributes) per span, key ≤ \(FunctionSpans.maxKeyBytes) "
                    + "bytes, value ≤ \(FunctionSpans.maxValueBytes)), each once"
            }
        }
    }

    /// The header's value: the one writer. At most ``maxEntries`` entries and ``maxHeaderBytes`` bytes (the first
    /// entries that fit); names, messages and values cut to their bounds (whole characters), the first
    /// ``maxAttributes`` attributes by key, keys longer than ``maxKeyBytes`` left out; a parent that is not an earlier
    /// entry left out; a negative or non-finite time written as 0 and one beyond ``maxMilliseconds`` as that, so what
    /// is written always parses (a larger Double would print with an exponent, `7.7e+61`, whose `+` is the separator).
    public var headerValue: String {
        var out = ""
        for (index, e) in entries.prefix(Self.maxEntries).enumerated() {
            let entry = Self.write(e, index: index)
            let added = (out.isEmpty ? 0 : 2) + entry.utf8.count
            if out.utf8.count + added > Self.maxHeaderBytes { break }
            if !out.isEmpty { out += ", " }
            out += entry
        }
        return out
    }

    /// How many of ``entries`` ``headerValue`` keeps.
    public var writtenCount: Int {
        var bytes = 0
        var count = 0
        for (index, e) in entries.prefix(Self.maxEntries).enumerated() {
            let added = (count == 0 ? 0 : 2) + Self.write(e, index: index).utf8.count
            if bytes + added > Self.maxHeaderBytes { break }
            bytes += added
            count += 1
        }
        return count
    }

    static func write(_ e: Entry, index: Int) -> String {
        func ms(_ v: Double) -> String { v.isFinite && v > 0 ? "\(min(v, Self.maxMilliseconds))" : "0" }
        var text = "\(ms(e.startMs))+\(ms(e.durationMs)) \(encode(e.name.isEmpty ? "span" : e.name, max: maxNameBytes))"
        if let parent = e.parent, parent >= 0, parent < index { text += " p=\(parent)" }
        if let error = e.error { text += " e=" + encode(error, max: maxErrorBytes) }
        let keys = e.attributes.keys.filter { !$0.isEmpty && $0.utf8.count <= maxKeyBytes }.sorted()
        for key in keys.prefix(maxAttributes) {
            text += " a." + encode(key, max: maxKeyBytes) + "=" + encode(e.attributes[key]!, max: maxValueBytes)
        }
        return text
    }

    /// Reads a header value: the one parser.
    public init(parsing value: String) throws(ParseError) {
        guard value.utf8.count <= Self.maxHeaderBytes else { throw .tooLong(value.utf8.count) }
        var entries: [Entry] = []
        for raw in value.split(separator: ",", omittingEmptySubsequences: true) {
            let part = raw.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            let text = String(part)
            if text.isEmpty { continue }
            guard entries.count < Self.maxEntries else { throw .tooManyEntries(entries.count + 1) }
            let pieces = text.split(separator: " ", omittingEmptySubsequences: false)
            guard pieces.count >= 2 else { throw .malformedEntry(text) }
            let times = pieces[0].split(separator: "+", omittingEmptySubsequences: false)
            guard times.count == 2 else { throw .malformedEntry(text) }
            guard let start = Double(times[0]), start.isFinite, start >= 0, start <= Self.maxMilliseconds else {
                throw .invalidMilliseconds(String(times[0]))
            }
            guard let duration = Double(times[1]), duration.isFinite, duration >= 0,
                duration <= Self.maxMilliseconds
            else {
                throw .invalidMilliseconds(String(times[1]))
            }
            guard let name = Self.decode(pieces[1], max: Self.maxNameBytes), !name.isEmpty else {
                throw .invalidName(String(pieces[1].prefix(120)))
            }
            var entry = Entry(name: name, startMs: start, durationMs: duration)
            for field in pieces.dropFirst(2) {
                try Self.read(field, into: &entry, index: entries.count)
            }
            entries.append(entry)
        }
        self.init(entries: entries)
    }

    /// One field of an entry into `entry`, the `index`-th of its list.
    private static func read(_ field: Substring, into entry: inout Entry, index: Int) throws(ParseError) {
        let refused = ParseError.invalidField(String(field.prefix(120)))
        if field.hasPrefix("p=") {
            let digits = field.dropFirst(2)
            guard entry.parent == nil, !digits.isEmpty, digits.count <= 2,
                digits.allSatisfy({ $0.isASCII && $0.isNumber }), let parent = Int(digits), parent < index
            else { throw refused }
            entry.parent = parent
        } else if field.hasPrefix("e=") {
            guard entry.error == nil, let message = decode(field.dropFirst(2), max: maxErrorBytes) else {
                throw refused
            }
            entry.error = message
        } else if field.hasPrefix("a.") {
            let pair = field.dropFirst(2).split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2, entry.attributes.count < maxAttributes,
                let key = decode(pair[0], max: maxKeyBytes), !key.isEmpty, entry.attributes[key] == nil,
                let value = decode(pair[1], max: maxValueBytes)
            else { throw refused }
            entry.attributes[key] = value
        } else {
            throw refused
        }
    }

    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// `text` cut to `max` bytes (whole characters, never one in half) and percent-encoded.
    static func encode(_ text: String, max: Int) -> String {
        var kept = ""
        for character in text {
            if kept.utf8.count + String(character).utf8.count > max { break }
            kept.append(character)
        }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in kept.utf8 {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-decoded UTF-8 of at most `max` bytes (it may be empty), or nil.
    static func decode(_ text: Substring, max: Int) -> String? {
        let b = Array(text.utf8)
        var out: [UInt8] = []
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "%") {
                guard i + 2 < b.count, let h = nibble(b[i + 1]), let l = nibble(b[i + 2]) else { return nil }
                out.append(h << 4 | l)
                i += 3
            } else {
                guard isUnreserved(b[i]) else { return nil }
                out.append(b[i])
                i += 1
            }
            if out.count > max { return nil }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func nibble(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
