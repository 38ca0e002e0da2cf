import Testing

@testable import ReferenceData

private let columns = ["id", "name", "count"]

private func table(_ text: String) throws(ReferenceDataError) -> CSVTable {
    try CSVTable(bytes: Array(text.utf8), path: "test.csv", expectedColumns: columns)
}

private func failure(_ text: String) -> String? {
    do {
        _ = try table(text)
        return nil
    } catch {
        return error.description
    }
}

@Suite("CSVTable: reading a reference-data file")
struct CSVTableTests {
    @Test("rows keep their 1-based line numbers; blank lines, CRLF and a trailing newline are accepted")
    func rowsAndLines() throws {
        let t = try table("id,name,count\r\nA-1,Alpha,3\r\n\r\nA-2,Beta,0\n")
        #expect(t.rows.map(\.line) == [2, 4])
        #expect(t.rows.map(\.fields) == [["A-1", "Alpha", "3"], ["A-2", "Beta", "0"]])
    }

    @Test("a header only is a table with no rows")
    func headerOnly() throws {
        #expect(try table("id,name,count").rows.isEmpty)
    }

    @Test(
        "what the reader refuses, it says where and why",
        arguments: [
            ("id,name\nA,B\n", "test.csv:1: header is \"id,name\", expected \"id,name,count\""),
            ("id,name,count\nA,B\n", "test.csv:2: expected 3 fields, found 2"),
            ("id,name,count\nA,B,1,2\n", "test.csv:2: expected 3 fields, found 4"),
            (
                "id,name,count\nA,\"B\",1\n",
                "test.csv:2: quoted fields are not supported; fields hold no commas or quotes"
            ),
            ("", "test.csv: empty file: expected the header id,name,count"),
            ("\n\r\n", "test.csv: empty file: expected the header id,name,count"),
        ]
    )
    func refusals(text: String, message: String) {
        #expect(failure(text) == message)
    }

    @Test("a file is read from disk whole, however large")
    func readsAFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let rows = (0..<20_000).map { "ID-\($0),name \($0),\($0)" }
        let path = try dir.write("data/big.csv", "id,name,count\n" + rows.joined(separator: "\n") + "\n")
        let t = try CSVTable(path: path, expectedColumns: columns)
        #expect(t.rows.count == 20_000)
        #expect(t.rows.last?.fields == ["ID-19999", "name 19999", "19999"])
        #expect(t.path == path)
    }

    @Test("a file that cannot be opened is an error naming it and the system's reason")
    func missingFile() {
        #expect {
            _ = try CSVTable(path: "/nonexistent/fnhost/data.csv", expectedColumns: columns)
        } throws: { error in
            (error as? ReferenceDataError)?.description == "/nonexistent/fnhost/data.csv: No such file or directory"
        }
    }
}

@Suite("CSVRowReader: typed fields")
struct CSVRowReaderTests {
    private static let header = "id,name,count,ratio,flag,day"

    private func reader(_ row: String) throws -> CSVRowReader {
        let t = try CSVTable(
            bytes: Array((Self.header + "\n" + row + "\n").utf8), path: "rows.csv",
            expectedColumns: ["id", "name", "count", "ratio", "flag", "day"])
        return t.reader(try #require(t.rows.first))
    }

    private func problem(_ row: String, _ read: (CSVRowReader) throws(ReferenceDataError) -> Void) throws -> String? {
        let r = try reader(row)
        do {
            try read(r)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("well-formed fields are read as their types")
    func typedValues() throws {
        let r = try reader("ORG-0042,Acme,12,-3.5,true,2024-02-29")
        #expect(try r.text("name") == "Acme")
        #expect(try r.text("id", expected: "an id") { $0.hasPrefix("ORG-") } == "ORG-0042")
        #expect(try r.integer("count") == 12)
        #expect(try r.integer("count", atLeast: 12) == 12)
        #expect(try r.decimal("ratio") == -3.5)
        #expect(try r.boolean("flag") == true)
        #expect(try r.date("day") == "2024-02-29")
    }

    @Test(
        "a bad field is an error with the file, the line, the column and the value",
        arguments: [
            ("A,,1,1,true,2026-01-01", "name", "rows.csv:2: column name: is empty"),
            ("A,B,-1,1,true,2026-01-01", "count", "rows.csv:2: column count: \"-1\" is not a whole number ≥ 0"),
            ("A,B,1.5,1,true,2026-01-01", "count", "rows.csv:2: column count: \"1.5\" is not a whole number ≥ 0"),
            ("A,B,1,abc,true,2026-01-01", "ratio", "rows.csv:2: column ratio: \"abc\" is not a number"),
            ("A,B,1,inf,true,2026-01-01", "ratio", "rows.csv:2: column ratio: \"inf\" is not a number"),
            ("A,B,1,1,TRUE,2026-01-01", "flag", "rows.csv:2: column flag: \"TRUE\" is not true or false"),
            ("A,B,1,1,true,2026-02-30", "day", "rows.csv:2: column day: \"2026-02-30\" is not a YYYY-MM-DD date"),
            ("A,B,1,1,true,26-01-01", "day", "rows.csv:2: column day: \"26-01-01\" is not a YYYY-MM-DD date"),
            ("A,B,1,1,true,2026-01-01", "missing", "rows.csv:2: column missing: no such column"),
        ]
    )
    func badField(row: String, column: String, message: String) throws {
        let read: (CSVRowReader) throws(ReferenceDataError) -> Void = { r throws(ReferenceDataError) in
            switch column {
            case "count": _ = try r.integer(column)
            case "ratio": _ = try r.decimal(column)
            case "flag": _ = try r.boolean(column)
            case "day": _ = try r.date(column)
            default: _ = try r.text(column)
            }
        }
        #expect(try problem(row, read) == message)
    }

    @Test("a field that fails its check names the expected form")
    func expectedForm() throws {
        let message = try problem("X-1,B,1,1,true,2026-01-01") { r throws(ReferenceDataError) in
            _ = try r.text("id", expected: "an id like ORG-0042") { $0.hasPrefix("ORG-") }
        }
        #expect(message == "rows.csv:2: column id: \"X-1\" is not an id like ORG-0042")
    }

    @Test("a minimum above the value is refused")
    func minimum() throws {
        let message = try problem("A,B,1,1,true,2026-01-01") { r throws(ReferenceDataError) in
            _ = try r.integer("count", atLeast: 2)
        }
        #expect(message == "rows.csv:2: column count: \"1\" is not a whole number ≥ 2")
    }
}
