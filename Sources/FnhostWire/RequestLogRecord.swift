/// One entry of the `request-log` function's durable log: the eligibility request it recorded.
///
/// It exists so that the writer (the `request-log` worker) and the readers (`fnhost request-log`, the tests) share one
/// format. In the file log (`request-log.jsonl` in fnhost's state folder) an entry is one line of JSON ending in `\n`:
/// `{"requestId":"…","orgId":"ORG-0042","memberId":"M-000042","date":"2026-03-01","atMs":1767225600000}`; its offset is
/// the byte offset of the line's start. In Redis the same fields are a stream entry's fields.
public struct RequestLogRecord: Sendable, Equatable {
    /// The id of the request this entry records (the orchestrator's invocation): at most one entry per id.
    public var requestID: String
    public var orgID: String
    public var memberID: String
    public var date: String
    /// When the entry was written, Unix epoch milliseconds.
    public var atMs: Int64

    public init(requestID: String, orgID: String, memberID: String, date: String, atMs: Int64) {
        self.requestID = requestID
        self.orgID = orgID
        self.memberID = memberID
        self.date = date
        self.atMs = atMs
    }

    /// The field names, in the file's JSON and in the Redis stream alike.
    public enum Field {
        public static let requestID = "requestId"
        public static let orgID = "orgId"
        public static let memberID = "memberId"
        public static let date = "date"
        public static let atMs = "atMs"
    }

    /// The entry as fields, for a Redis stream (`XADD key * field value …`).
    public var fields: [(String, String)] {
        [
            (Field.requestID, requestID), (Field.orgID, orgID), (Field.memberID, memberID), (Field.date, date),
            (Field.atMs, String(atMs)),
        ]
    }

    /// The entry as one line of the file log, newline included: the one writer.
    public var line: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(160)
        bytes.append(UInt8(ascii: "{"))
        for (index, (name, value)) in fields.dropLast().enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(name, to: &bytes)
            bytes.append(UInt8(ascii: ":"))
            JSONText.appendQuoted(value, to: &bytes)
        }
        bytes.append(contentsOf: ",\"\(Field.atMs)\":\(atMs)}\n".utf8)
        return bytes
    }

    /// Why a line is not an entry.
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case notJSON(String)
        case notAnObject
        case badField(String)

        public var description: String {
            switch self {
            case .notJSON(let why): "request log: the line is not JSON: \(why)"
            case .notAnObject: "request log: the line is not a JSON object"
            case .badField(let name): "request log: field \"\(name)\" is missing or of the wrong type"
            }
        }
    }

    /// Reads one line (without its newline): the one parser.
    public init(parsing line: some Collection<UInt8>) throws(ParseError) {
        let value: JSONValue
        do { value = try JSONValue.parse(line) } catch { throw .notJSON("\(error)") }
        guard case .object(let object) = value else { throw .notAnObject }
        func text(_ name: String) throws(ParseError) -> String {
            guard case .string(let s)? = object[name], !s.isEmpty else { throw .badField(name) }
            return s
        }
        guard case .number(let at)? = object[Field.atMs], at.isFinite, at >= 0, at < 1e15, at == at.rounded() else {
            throw .badField(Field.atMs)
        }
        self.init(
            requestID: try text(Field.requestID), orgID: try text(Field.orgID), memberID: try text(Field.memberID),
            date: try text(Field.date), atMs: Int64(at))
    }

    /// What a whole file log holds: its entries with their offsets, the lines that are not entries (by offset), and
    /// whether it ends in a line cut short (a writer killed mid-write; never counted as an entry).
    public struct FileContents: Sendable, Equatable {
        public var entries: [(offset: Int, record: RequestLogRecord)]
        public var unreadable: [Int]
        public var truncatedTail: Bool

        public static func == (a: FileContents, b: FileContents) -> Bool {
            a.entries.map(\.offset) == b.entries.map(\.offset) && a.entries.map(\.record) == b.entries.map(\.record)
                && a.unreadable == b.unreadable && a.truncatedTail == b.truncatedTail
        }
    }

    /// Splits a file log's bytes into entries. Never throws: a bad line is reported by its offset, not fatal.
    public static func readFile(_ bytes: [UInt8]) -> FileContents {
        var contents = FileContents(entries: [], unreadable: [], truncatedTail: false)
        var start = 0
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                contents.truncatedTail = true
                break
            }
            if let record = try? RequestLogRecord(parsing: bytes[start..<newline]) {
                contents.entries.append((start, record))
            } else {
                contents.unreadable.append(start)
            }
            start = newline + 1
        }
        return contents
    }
}
