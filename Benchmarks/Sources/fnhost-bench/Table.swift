/// Renders a ``Report`` as a plain-text table (one section after another), the way `fnhost-bench` prints it.
enum Table {
    static func render(_ report: Report) -> String {
        var out = ""
        let m = report.machine
        out +=
            "fnhost-bench\(report.quick ? " --quick (tiny counts: proves it works, the figures mean nothing)" : "")\n"
        out += "machine: \(m.cpus) CPUs (\(m.cpuModel)), \(m.memory) RAM, \(m.kernel); \(m.swift)\n"
        out += "load average: \(m.loadAtStart) at start, \(m.loadAtEnd ?? "?") at end\n"
        let header = ["figure", "median", "p99", "n", "floor (same run)", "floor median", "ratio", "goal", "met"]
        var rows: [[String]] = []
        var sectionOf: [Int] = []
        var lastSection = ""
        // Figures of one section together, sections in the order they first appear.
        var order: [String] = []
        for f in report.figures where !order.contains(f.section) { order.append(f.section) }
        let grouped = order.flatMap { section in report.figures.filter { $0.section == section } }
        for f in grouped {
            if f.section != lastSection {
                rows.append(["[\(f.section)]", "", "", "", "", "", "", "", ""])
                sectionOf.append(rows.count - 1)
                lastSection = f.section
            }
            rows.append(cells(f))
        }
        var widths = header.map(\.count)
        for row in rows where !row[0].hasPrefix("[") || row[1] != "" {
            for (i, c) in row.enumerated() { widths[i] = max(widths[i], c.count) }
        }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, c) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                s += (i == 0 || i == 4 || i == 7 ? c + pad : pad + c) + (i == cells.count - 1 ? "" : "  ")
            }
            while s.hasSuffix(" ") { s.removeLast() }
            return s
        }
        out += "\n" + line(header) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows {
            if row[0].hasPrefix("["), row[1].isEmpty { out += "\n" + row[0] + "\n"; continue }
            out += line(row) + "\n"
        }
        let notes = report.figures.filter { $0.note != nil }
        if !notes.isEmpty {
            out += "\nnotes:\n"
            for f in notes { out += "  \(f.id): \(f.note!)\n" }
        }
        if !report.problems.isEmpty {
            out += "\nproblems:\n"
            for p in report.problems { out += "  \(p)\n" }
        }
        let goals = report.figures.filter { $0.met != nil }
        if !goals.isEmpty {
            let met = goals.filter { $0.met == true }.count
            out += "\ngoals met: \(met) of \(goals.count)"
            if report.quick { out += " (quick mode: not asserted)" }
            out += "\n"
        }
        return out
    }

    private static func cells(_ f: Figure) -> [String] {
        let unit = f.unit
        var median = Format.measurement(f.median) + " " + unit
        var p99 = f.p99.map { Format.measurement($0) + " " + unit } ?? ""
        if unit == "req/s" {
            median = Format.fixed(f.median, 0) + " req/s"
            p99 = f.latencyP99Ms.map { Format.measurement($0) + " ms" } ?? ""
            if let e = f.errors { p99 += e == 0 ? ", 0 err" : ", \(e) ERR" }
        }
        let floor = f.floorLabel ?? ""
        var floorMedian = ""
        if let m = f.floorMedian {
            floorMedian = unit == "req/s" ? Format.fixed(m, 0) + " req/s" : Format.measurement(m) + " " + unit
        }
        let ratio = f.ratio.map { Format.fixed($0, 2) + "×" } ?? ""
        let met = f.met.map { $0 ? "yes" : "NO" } ?? ""
        return ["  " + f.label, median, p99, Format.grouped(f.count), floor, floorMedian, ratio, f.goalText ?? "", met]
    }
}
