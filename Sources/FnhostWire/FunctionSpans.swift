/// The `Fnhost-Spans` annotation: the spans a function opened itself (`context.span("name") { … }`), sent by the
/// worker as a header on its Runtime API response, like ``CacheAnnotation``; the host places them in the invocation's
/// trace under its duration. AWS Lambda ignores the header.
///
/// The value reads `0.125+3.5 load%20rules, 4+1.2 score`: comma-separated entries `START+DURATION NAME`, times in
/// measured milliseconds from the moment the worker received the event, the name percent-encoded (every byte but
/// letters, digits and `-._~`). One writer (``headerValue``) and one parser (``init(parsing:)``), fuzzed: the bytes
/// come from another process.
public struct FunctionSpans: Sendable, Equatable {
    public static let headerName = "Fnhost-Spans"
    /// The key the host files it under (header names lower-cased).
    public static let annotationKey = "fnhost-spans"
    /// At most this many spans per invocation; the writer keeps the first ones.
    public static let maxEntries = 64
    /// Names are cut to this many bytes (UTF-8) by the writer, and refused longer by the parser.
    public static let maxNameBytes = 100
    /// The longest time a span may have, start or duration: 10⁹ ms (11.6 days; a Lambda invocation lasts 900,000 ms at
    /// most), so every time prints without an exponent.
    public static let maxMilliseconds = 1_000_000_000.0

    /// One span a function opened.
    public struct Entry: Sendable, Equatable {
        public var name: String
        /// ms from the event's receipt.
        public var startMs: Double
        public var durationMs: Double

        public init(name: String, startMs: Double, durationMs: Double) {
            self.name = name
            self.startMs = startMs
            self.durationMs = durationMs
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// Why a header value is not a span list. The host ignores such a value (the invocation's outcome is untouched).
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case tooManyEntries(Int)
        /// An entry is not `START+DURATION NAME`.
        case malformedEntry(String)
        /// A time is not a number from 0 to ``FunctionSpans/maxMilliseconds``.
        case invalidMilliseconds(String)
        /// The name is empty, longer than ``maxNameBytes``, badly percent-encoded, or not UTF-8.
        case invalidName(String)

        public var description: String {
            let h = FunctionSpans.headerName
            return switch self {
            case .tooManyEntries(let n): "\(h): \(n) entries, more than \(FunctionSpans.maxEntries)"
            case .malformedEntry(let e): "\(h): \"\(e)\" is not START+DURATION NAME"
            case .invalidMilliseconds(let v):
                "\(h): \"\(v)\" is not a number of milliseconds from 0 to \(Int(FunctionSpans.maxMilliseconds))"
            case .invalidName(let n): "\(h): \"\(n)\" is not a percent-encoded UTF-8 name of 1–100 bytes"
            }
        }
    }

    /// The header's value: the one writer. At most ``maxEntries`` entries; names cut to ``maxNameBytes``; a
    /// negative or non-finite time written as 0 and one beyond ``maxMilliseconds`` as that, so what is written always
    /// parses (a larger Double would print with an exponent, `7.7e+61`, whose `+` is the separator).
    public var headerValue: String {
        func ms(_ v: Double) -> String { v.isFinite && v > 0 ? "\(min(v, Self.maxMilliseconds))" : "0" }
        return entries.prefix(Self.maxEntries).map { e in
            "\(ms(e.startMs))+\(ms(e.durationMs)) \(Self.encode(e.name.isEmpty ? "span" : e.name))"
        }.joined(separator: ", ")
    }

    /// Reads a header value: the one parser.
    public init(parsing value: String) throws(ParseError) {
        var entries: [Entry] = []
        for raw in value.split(separator: ",", omittingEmptySubsequences: true) {
            let part = raw.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
            let text = String(part)
            if text.isEmpty { continue }
            guard entries.count < Self.maxEntries else { throw .tooManyEntries(entries.count + 1) }
            let pieces = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
            guard pieces.count == 2 else { throw .malformedEntry(text) }
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
            guard let name = Self.decode(pieces[1]) else { throw .invalidName(String(pieces[1].prefix(120))) }
            entries.append(Entry(name: name, startMs: start, durationMs: duration))
        }
        self.init(entries: entries)
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

    static func encode(_ name: String) -> String {
        // Cut whole characters, never one in half.
        var kept = ""
        for character in name {
            if kept.utf8.count + String(character).utf8.count > maxNameBytes { break }
            kept.append(character)
        }
        let bytes = Array((kept.isEmpty ? "span" : kept).utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in bytes {
            if isUnreserved(b) {
                out.append(b)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: Substring) -> String? {
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
        }
        guard !out.isEmpty, out.count <= maxNameBytes, let s = String(validating: out, as: UTF8.self) else {
            return nil
        }
        return s
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
