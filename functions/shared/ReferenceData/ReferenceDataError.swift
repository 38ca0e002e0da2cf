/// Why a reference-data file could not be loaded at Init: the file, the line and what is wrong there, so that
/// whoever edited or regenerated it can fix it (`python3 functions/generate-data.py` rewrites both files).
struct ReferenceDataError: Error, Sendable, CustomStringConvertible {
    let file: String
    /// 1-based line, nil for a problem with the file as a whole.
    let line: Int?
    let problem: String

    var description: String {
        if let line { return "\(file):\(line): \(problem)" }
        return "\(file): \(problem)"
    }
}
