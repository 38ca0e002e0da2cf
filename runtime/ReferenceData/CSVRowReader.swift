import FnhostWire

/// Reads one CSV row's fields as typed values, failing with the file, line, column and the bad value.
public struct CSVRowReader {
    let path: String
    let row: CSVTable.Row
    let columnIndex: [String: Int]

    /// A field that must not be empty.
    public func text(_ column: String) throws(ReferenceDataError) -> String {
        guard let i = columnIndex[column] else { throw fail(column, "no such column") }
        let value = row.fields[i]
        if value.isEmpty { throw fail(column, "is empty") }
        return value
    }

    /// A field that must match `isValid`; `expected` describes the form in the error.
    public func text(
        _ column: String, expected: @autoclosure () -> String, _ isValid: (String) -> Bool
    ) throws(ReferenceDataError) -> String {
        let value = try text(column)
        guard isValid(value) else { throw fail(column, "\"\(value)\" is not \(expected())") }
        return value
    }

    /// A field that must be a real `YYYY-MM-DD` day, kept as text.
    public func date(_ column: String) throws(ReferenceDataError) -> String {
        try text(column, expected: "a YYYY-MM-DD date") { CalendarDate(iso: $0) != nil }
    }

    /// A whole number at least `minimum`.
    public func integer(_ column: String, atLeast minimum: Int = 0) throws(ReferenceDataError) -> Int {
        let value = try text(column)
        guard let n = Int(value), n >= minimum else {
            throw fail(column, "\"\(value)\" is not a whole number ≥ \(minimum)")
        }
        return n
    }

    /// A finite number.
    public func decimal(_ column: String) throws(ReferenceDataError) -> Double {
        let value = try text(column)
        guard let d = Double(value), d.isFinite else { throw fail(column, "\"\(value)\" is not a number") }
        return d
    }

    /// `true` or `false`.
    public func boolean(_ column: String) throws(ReferenceDataError) -> Bool {
        switch try text(column) {
        case "true": return true
        case "false": return false
        case let other: throw fail(column, "\"\(other)\" is not true or false")
        }
    }

    private func fail(_ column: String, _ problem: String) -> ReferenceDataError {
        ReferenceDataError(file: path, line: row.line, problem: "column \(column): \(problem)")
    }
}
