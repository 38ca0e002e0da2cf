/// Why a text is not valid JSON, with the line and column to look at.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the offending character.
    public let line: Int
    /// 1-based column (in bytes) of the offending character.
    public let column: Int
    public let detail: String

    public init(line: Int, column: Int, detail: String) {
        self.line = line
        self.column = column
        self.detail = detail
    }

    public var description: String { "line \(line), column \(column): \(detail)" }
}
