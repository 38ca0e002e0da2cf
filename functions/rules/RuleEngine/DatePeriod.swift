/// A calendar distance ("2 years", "1 month and 15 days") that a rule adds to or subtracts from a date.
public struct DatePeriod: Hashable, Sendable, CustomStringConvertible {
    public var years: Int
    public var months: Int
    public var days: Int

    public init(years: Int = 0, months: Int = 0, days: Int = 0) {
        self.years = years
        self.months = months
        self.days = days
    }

    public var description: String {
        var parts: [String] = []
        if years != 0 { parts.append("\(years) year\(years == 1 ? "" : "s")") }
        if months != 0 { parts.append("\(months) month\(months == 1 ? "" : "s")") }
        if days != 0 || parts.isEmpty { parts.append("\(days) day\(days == 1 ? "" : "s")") }
        return parts.joined(separator: " ")
    }
}
