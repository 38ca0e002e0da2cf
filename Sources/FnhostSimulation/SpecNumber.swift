/// Reads and writes the numbers of distribution specs: shortest text that reads back to the same `Double`, and
/// integers without a trailing `.0` (`5`, not `5.0`).
enum SpecNumber {
    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return String(describing: value)
    }

    /// A finite number, or nil.
    static func parse(_ text: Substring) -> Double? {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, let value = Double(trimmed), value.isFinite else { return nil }
        return value
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        guard let start = firstIndex(where: { $0 != " " && $0 != "\t" }),
            let end = lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return self[endIndex...] }
        return self[start...end]
    }
}
