/// Why a reference-data file could not be loaded at Init: the file, the line and what is wrong there, so that
/// whoever edited or regenerated it can fix it (`python3 functions/generate-data.py` rewrites both files).
public struct ReferenceDataError: Error, Sendable, CustomStringConvertible {
    let file: String
    /// 1-based line, nil for a problem with the file as a whole.
    let line: Int?
    let problem: String

    public init(file: String, line: Int?, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var description: String {
        if let line { return "\(file):\(line): \(problem)" }
        return "\(file): \(problem)"
    }
}
