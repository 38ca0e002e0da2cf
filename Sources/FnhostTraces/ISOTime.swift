import FnhostWire

/// `2026-11-30T20:01:02.123Z` from Unix epoch milliseconds and back, for a trace's `startedAt`.
enum ISOTime {
    static func string(epochMilliseconds ms: Double) -> String {
        let whole = Int64(ms.rounded(.down))
        let day = whole >= 0 ? whole / 86_400_000 : (whole - 86_399_999) / 86_400_000
        let inDay = whole - day * 86_400_000
        let date = CalendarDate(daysSinceEpoch: Int(day))
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(date)T\(pad(inDay / 3_600_000, 2)):\(pad(inDay / 60_000 % 60, 2)):\(pad(inDay / 1000 % 60, 2))."
            + "\(pad(inDay % 1000, 3))Z"
    }

    /// Reads what ``string(epochMilliseconds:)`` writes; nil for anything else.
    static func epochMilliseconds(_ text: String) -> Double? {
        let b = Array(text.utf8)
        guard b.count == 24, b[10] == UInt8(ascii: "T"), b[23] == UInt8(ascii: "Z"),
            let date = CalendarDate(iso: String(decoding: b[0..<10], as: UTF8.self))
        else { return nil }
        func num(_ r: Range<Int>) -> Int64? { Int64(String(decoding: b[r], as: UTF8.self)) }
        guard let h = num(11..<13), let m = num(14..<16), let s = num(17..<19), let f = num(20..<23) else {
            return nil
        }
        return Double(Int64(date.daysSinceEpoch) * 86_400_000 + ((h * 60 + m) * 60 + s) * 1000 + f)
    }
}
