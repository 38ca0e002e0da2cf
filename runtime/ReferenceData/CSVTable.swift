#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A reference-data CSV file read whole: a header naming the columns, then one record per line.
///
/// The generator writes plain ASCII-separated fields (no quotes, no commas inside a field), so this reader refuses
/// quotes rather than guess; every row must have exactly the header's columns. Blank lines, a trailing newline and
/// CRLF line ends are accepted. It splits bytes, not Characters: 50,000 rows load in a few milliseconds.
public struct CSVTable {
    /// One data line: its 1-based line number and its fields in column order.
    public struct Row {
        public let line: Int
        let fields: [String]
    }

    /// The file, as errors name it.
    public let path: String
    let columns: [String]
    public let rows: [Row]
    private let columnIndex: [String: Int]

    /// Reads `path` and checks that its header is exactly `expectedColumns`.
    init(path: String, expectedColumns: [String]) throws(ReferenceDataError) {
        try self.init(bytes: try Self.readBytes(path), path: path, expectedColumns: expectedColumns)
    }

    /// Parses CSV text already in memory; `path` names it in errors.
    init(bytes: [UInt8], path: String, expectedColumns: [String]) throws(ReferenceDataError) {
        self.path = path
        var header: [String]?
        var rows: [Row] = []
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            lineNumber += 1
            var lineEnd = lineStart
            while lineEnd < bytes.count && bytes[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            defer { lineStart = lineEnd + 1 }
            if contentEnd == lineStart { continue }
            let fields = try Self.split(bytes[lineStart..<contentEnd], path: path, line: lineNumber)
            guard header != nil else {
                guard fields == expectedColumns else {
                    throw ReferenceDataError(
                        file: path, line: lineNumber,
                        problem:
                            "header is \"\(fields.joined(separator: ","))\", expected \"\(expectedColumns.joined(separator: ","))\""
                    )
                }
                header = fields
                continue
            }
            guard fields.count == expectedColumns.count else {
                throw ReferenceDataError(
                    file: path, line: lineNumber,
                    problem: "expected \(expectedColumns.count) fields, found \(fields.count)"
                )
            }
            rows.append(Row(line: lineNumber, fields: fields))
        }
        guard let header else {
            throw ReferenceDataError(
                file: path, line: nil,
                problem: "empty file: expected the header \(expectedColumns.joined(separator: ","))")
        }
        columns = header
        self.rows = rows
        columnIndex = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
    }

    /// Typed access to one row's fields by column name.
    public func reader(_ row: Row) -> CSVRowReader {
        CSVRowReader(path: path, row: row, columnIndex: columnIndex)
    }

    private static func split(_ line: ArraySlice<UInt8>, path: String, line number: Int) throws(ReferenceDataError)
        -> [String]
    {
        var fields: [String] = []
        var start = line.startIndex
        for i in line.indices {
            switch line[i] {
            case UInt8(ascii: ","):
                fields.append(String(decoding: line[start..<i], as: UTF8.self))
                start = i + 1
            case UInt8(ascii: "\""):
                throw ReferenceDataError(
                    file: path, line: number,
                    problem: "quoted fields are not supported; fields hold no commas or quotes")
            default:
                break
            }
        }
        fields.append(String(decoding: line[start..<line.endIndex], as: UTF8.self))
        return fields
    }

    private static func readBytes(_ path: String) throws(ReferenceDataError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ReferenceDataError(file: path, line: nil, problem: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReferenceDataError(file: path, line: nil, problem: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }
}
