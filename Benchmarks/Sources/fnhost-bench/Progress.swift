#if canImport(Glibc)
import Glibc
#endif

/// The progress indicator: one line on standard error per step, numbered, with the time the previous step took.
/// Standard output stays clean for the table or the JSON.
final class Progress {
    private var step = 0
    private var stepStarted: Int64 = 0
    private let started = Monotonic.now()
    private var current: String?

    /// Starts a new step (and ends the previous one).
    func begin(_ title: String) {
        finishCurrent()
        step += 1
        current = title
        stepStarted = Monotonic.now()
        Self.write("[fnhost-bench \(Self.clock(Monotonic.now() - started))] \(step). \(title) …")
    }

    /// A detail of the current step (a sub-measurement that takes a while).
    func detail(_ text: String) {
        Self.write("    \(text)")
    }

    /// Ends the last step.
    func finish() {
        finishCurrent()
        Self.write("[fnhost-bench \(Self.clock(Monotonic.now() - started))] done")
    }

    private func finishCurrent() {
        guard current != nil else { return }
        let seconds = Double(Monotonic.now() - stepStarted) / 1e9
        Self.write("    (\(Format.fixed(seconds, 1)) s)")
        current = nil
    }

    private static func clock(_ ns: Int64) -> String {
        let s = Int(ns / 1_000_000_000)
        return "\(s / 60):" + (s % 60 < 10 ? "0" : "") + "\(s % 60)"
    }

    /// Writes a line to standard error in one `write(2)`.
    static func write(_ line: String) {
        var text = line
        text.append("\n")
        text.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// Number formatting without Foundation's locale machinery.
enum Format {
    /// `value` with exactly `digits` decimals.
    static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "inf" : "-inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (abs(value) * scale).rounded()
        let whole = Int(rounded / scale)
        let fraction = Int(rounded - Double(whole) * scale)
        var text = (value < 0 && rounded != 0 ? "-" : "") + grouped(whole)
        if digits > 0 {
            var f = String(fraction)
            while f.count < digits { f = "0" + f }
            text += "." + f
        }
        return text
    }

    /// Three significant digits or so, the way the table shows measurements: 0.163, 1.63, 16.3, 163, 1,630.
    static func measurement(_ value: Double) -> String {
        let a = abs(value)
        if a >= 100 { return fixed(value, 0) }
        if a >= 10 { return fixed(value, 1) }
        if a >= 1 { return fixed(value, 2) }
        return fixed(value, 3)
    }

    /// Thousands separated by commas.
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
