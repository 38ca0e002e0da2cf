import FnhostWire

/// An instant as Step Functions reads and writes it: RFC 3339 with an uppercase `T` and `Z` or a numeric offset
/// (`2016-03-14T01:59:00Z`), kept as milliseconds since 1970 so that comparisons, Wait deadlines and history times
/// are plain integer arithmetic.
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var epochMilliseconds: Int64

    public init(epochMilliseconds: Int64) { self.epochMilliseconds = epochMilliseconds }

    /// Parses an RFC 3339 date-time (`YYYY-MM-DDTHH:MM:SS[.fff…](Z|±HH:MM)`), the profile the Choice state's
    /// `Timestamp…` operators and the Wait state's `Timestamp` accept; nil for anything else.
    public init?(rfc3339 text: String) {
        let u = Array(text.utf8)
        guard u.count >= 20, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
            let date = CalendarDate(iso: String(decoding: u[0..<10], as: UTF8.self))
        else { return nil }
        func digits(_ range: Range<Int>) -> Int? {
            var n = 0
            for i in range {
                guard i < u.count, u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                n = n * 10 + Int(u[i] - 0x30)
            }
            return n
        }
        guard let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if u[i] == UInt8(ascii: ".") {
            i += 1
            let start = i
            var scale = 100
            while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                millis += Int(u[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < u.count else { return nil }
        var offsetMinutes = 0
        if u[i] == UInt8(ascii: "Z") {
            guard i + 1 == u.count else { return nil }
        } else if u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            guard u.count == i + 6, u[i + 3] == UInt8(ascii: ":"), let oh = digits(i + 1..<i + 3),
                let om = digits(i + 4..<i + 6), oh < 24, om < 60
            else { return nil }
            offsetMinutes = (oh * 60 + om) * (u[i] == UInt8(ascii: "-") ? -1 : 1)
        } else {
            return nil
        }
        let seconds =
            Int64(date.daysSinceEpoch) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
            - Int64(offsetMinutes * 60)
        epochMilliseconds = seconds * 1000 + Int64(millis)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, the form Step Functions writes in the context object.
    public var rfc3339: String {
        let (days, ms) = epochMilliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let dayCount = ms < 0 ? days - 1 : days
        let inDay = ms < 0 ? ms + 86_400_000 : ms
        let date = CalendarDate(daysSinceEpoch: Int(dayCount))
        func pad(_ n: Int64, _ w: Int) -> String {
            let s = String(n)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        let h = inDay / 3_600_000
        let m = inDay / 60_000 % 60
        let s = inDay / 1000 % 60
        return "\(date)T\(pad(h, 2)):\(pad(m, 2)):\(pad(s, 2)).\(pad(inDay % 1000, 3))Z"
    }

    public var description: String { rfc3339 }

    /// The instant `seconds` later (fractions kept to the millisecond).
    public func adding(seconds: Double) -> Timestamp {
        Timestamp(epochMilliseconds: epochMilliseconds + Int64((seconds * 1000).rounded()))
    }

    /// Seconds from `self` to `later` (negative when `later` is earlier).
    public func seconds(until later: Timestamp) -> Double {
        Double(later.epochMilliseconds - epochMilliseconds) / 1000
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.epochMilliseconds < b.epochMilliseconds }
}
