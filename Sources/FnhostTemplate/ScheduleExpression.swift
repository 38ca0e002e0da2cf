import FnhostWire
import Foundation

/// An EventBridge schedule, `rate(5 minutes)` or `cron(0 12 * * ? *)`, parsed once and asked for its next firing,
/// so `fnhost serve` can invoke scheduled functions on its (scaled) clock as EventBridge would on AWS's.
public enum ScheduleExpression: Sendable, Equatable, CustomStringConvertible {
    case rate(seconds: Int, text: String)
    case cron(CronFields, text: String)

    /// Why an expression was refused, in EventBridge's terms.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public var expression: String
        public var reason: String
        public var description: String { "\"\(expression)\" is not a valid schedule expression: \(reason)" }
    }

    public init(_ text: String) throws(Invalid) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func invalid(_ reason: String) -> Invalid { Invalid(expression: text, reason: reason) }
        if trimmed.hasPrefix("rate("), trimmed.hasSuffix(")") {
            let body = trimmed.dropFirst(5).dropLast().split(separator: " ", omittingEmptySubsequences: true)
            guard body.count == 2, let value = Int(body[0]), value > 0 else {
                throw invalid("rate(VALUE UNIT) needs a positive whole number and a unit, e.g. rate(5 minutes)")
            }
            let units: [String: Int] = ["minute": 60, "hour": 3_600, "day": 86_400]
            let unit = String(body[1])
            let singular = unit.hasSuffix("s") ? String(unit.dropLast()) : unit
            guard let seconds = units[singular] else {
                throw invalid("the unit must be minute(s), hour(s) or day(s), found \"\(unit)\"")
            }
            guard (value == 1) == (unit == singular) else {
                throw invalid(
                    value == 1
                        ? "a value of 1 takes the singular unit (\(singular))"
                        : "a value above 1 takes the plural unit (\(singular)s)")
            }
            self = .rate(seconds: value * seconds, text: trimmed)
        } else if trimmed.hasPrefix("cron("), trimmed.hasSuffix(")") {
            let fields = trimmed.dropFirst(5).dropLast().split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 6 else {
                throw invalid(
                    "cron(...) has six fields (minutes hours day-of-month month day-of-week year), found \(fields.count)"
                )
            }
            do throws(CronFields.FieldError) {
                self = .cron(try CronFields(fields.map(String.init)), text: trimmed)
            } catch {
                throw invalid(error.description)
            }
        } else {
            throw invalid("expected rate(...) or cron(...)")
        }
    }

    public var description: String {
        switch self {
        case .rate(_, let text), .cron(_, let text): text
        }
    }

    /// The first firing strictly after `epochSeconds` (UTC), or nil if there is none within 10 years. A rate
    /// fires every period from `origin` (when the schedule was created); a cron on whole minutes.
    public func next(after epochSeconds: Int64, origin: Int64) -> Int64? {
        switch self {
        case .rate(let period, _):
            let p = Int64(period)
            guard epochSeconds >= origin else { return origin + p }
            return origin + ((epochSeconds - origin) / p + 1) * p
        case .cron(let fields, _):
            return fields.next(after: epochSeconds)
        }
    }
}

/// The six fields of an EventBridge cron expression, each as the set of values it allows.
public struct CronFields: Sendable, Equatable {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    /// nil for `?`.
    public var daysOfMonth: Set<Int>?
    public var months: Set<Int>
    /// 1 = Sunday … 7 = Saturday, as EventBridge numbers them; nil for `?`.
    public var daysOfWeek: Set<Int>?
    public var years: Set<Int>

    struct FieldError: Error, CustomStringConvertible {
        var description: String
    }

    static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    init(_ f: [String]) throws(FieldError) {
        minutes = try Self.values(f[0], name: "minutes", range: 0...59, names: [])
        hours = try Self.values(f[1], name: "hours", range: 0...23, names: [])
        daysOfMonth = f[2] == "?" ? nil : try Self.values(f[2], name: "day-of-month", range: 1...31, names: [])
        months = try Self.values(f[3], name: "month", range: 1...12, names: Self.monthNames)
        daysOfWeek = f[4] == "?" ? nil : try Self.values(f[4], name: "day-of-week", range: 1...7, names: Self.dayNames)
        years = try Self.values(f[5], name: "year", range: 1970...2199, names: [])
        guard (daysOfMonth == nil) != (daysOfWeek == nil) else {
            throw FieldError(description: "exactly one of day-of-month and day-of-week must be ?")
        }
    }

    /// `*`, `5`, `1,15`, `MON-FRI`, `0/15`, `10-50/10`.
    static func values(_ text: String, name: String, range: ClosedRange<Int>, names: [String]) throws(FieldError)
        -> Set<Int>
    {
        if text.contains(where: { "LW#".contains($0) }) {
            throw FieldError(
                description: "the \(name) field \"\(text)\" uses L, W or #, which fnhost does not evaluate")
        }
        func number(_ s: Substring) throws(FieldError) -> Int {
            if let n = Int(s), range.contains(n) { return n }
            if let i = names.firstIndex(of: s.uppercased()) { return range.lowerBound + i }
            throw FieldError(
                description: "the \(name) field has \"\(s)\", outside \(range.lowerBound)–\(range.upperBound)")
        }
        var result = Set<Int>()
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            guard pieces.count <= 2, !pieces[0].isEmpty else {
                throw FieldError(description: "the \(name) field has a malformed part \"\(part)\"")
            }
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else {
                    throw FieldError(description: "the \(name) field has a bad step in \"\(part)\"")
                }
                step = s
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" {
                bounds = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try number(pieces[0][..<dash])
                let high = try number(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else {
                    throw FieldError(description: "the \(name) field has a backwards range \"\(part)\"")
                }
                bounds = low...high
            } else {
                let start = try number(pieces[0])
                bounds = start...(pieces.count == 2 ? range.upperBound : start)
            }
            result.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return result
    }

    /// The first whole minute strictly after `epochSeconds` that every field allows.
    func next(after epochSeconds: Int64) -> Int64? {
        let firstMinute = (epochSeconds / 60 + 1) * 60
        let startDay = Int(firstMinute / 86_400)
        let sortedHours = hours.sorted()
        let sortedMinutes = minutes.sorted()
        for day in startDay..<(startDay + 3_660) {
            let date = CalendarDate(daysSinceEpoch: day)
            guard years.contains(date.year), months.contains(date.month) else { continue }
            // 1970-01-01 was a Thursday: EventBridge's 5.
            let weekday = ((day % 7) + 7 + 4) % 7 + 1
            if let dom = daysOfMonth, !dom.contains(date.day) { continue }
            if let dow = daysOfWeek, !dow.contains(weekday) { continue }
            let dayStart = Int64(day) * 86_400
            for h in sortedHours {
                for m in sortedMinutes {
                    let t = dayStart + Int64(h * 3_600 + m * 60)
                    if t >= firstMinute { return t }
                }
            }
        }
        return nil
    }
}
