import FnhostWire

/// The request time as API Gateway writes `requestContext.time`: `22/Nov/2026:00:05:34 +0000` (the Common Log Format,
/// always UTC), computed without a calendar library.
enum CommonLogTime {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(epochMilliseconds: Int64) -> String {
        let day = CalendarDate(epochMilliseconds: epochMilliseconds)
        let (seconds, remainder) = epochMilliseconds.quotientAndRemainder(dividingBy: 1000)
        let secondOfDay = Int((remainder < 0 ? seconds - 1 : seconds) - Int64(day.daysSinceEpoch) * 86_400)
        return "\(pad(day.day, 2))/\(months[day.month - 1])/\(pad(day.year, 4)):\(pad(secondOfDay / 3600, 2)):"
            + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2)) +0000"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value.magnitude)
        let padded = String(repeating: "0", count: max(0, width - digits.count)) + digits
        return value < 0 ? "-" + padded : padded
    }
}
