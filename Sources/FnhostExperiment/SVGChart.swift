import Foundation

/// A small hand-written SVG line chart (log₂ x axis for concurrency), readable in any browser, with no
/// dependencies: the experiment's picture.
enum SVGChart {
    struct Series {
        var name: String
        var color: String
        var dashed: Bool
        var points: [(Double, Double)]
    }

    struct Panel {
        var title: String
        var yLabel: String
        /// Fixed top of the y axis, or nil to fit the data.
        var yMax: Double?
        var series: [Series]
    }

    static func document(title: String, panels: [Panel], xLabel: String = "concurrency (workers)") -> String {
        let width = 820.0
        let panelHeight = 340.0
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(60 + panelHeight * Double(panels.count)))" \
            font-family="system-ui, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="20" y="28" font-size="15" font-weight="600">\(escape(title))</text>

            """
        for (i, panel) in panels.enumerated() {
            svg += render(
                panel, top: 50 + panelHeight * Double(i), width: width, height: panelHeight - 20, xLabel: xLabel)
        }
        return svg + "</svg>\n"
    }

    private static func render(_ panel: Panel, top: Double, width: Double, height: Double, xLabel: String) -> String {
        let left = 70.0
        let right = width - 250
        let bottom = top + height - 40
        let plotTop = top + 25
        let xs = panel.series.flatMap { $0.points.map(\.0) }
        let ys = panel.series.flatMap { $0.points.map(\.1) }
        let xMin = log2(max(1, xs.min() ?? 1))
        let xMax = max(xMin + 1, log2(max(1, xs.max() ?? 2)))
        let yMax = panel.yMax ?? niceCeiling((ys.max() ?? 1) * 1.1)
        func px(_ x: Double) -> Double { left + (log2(max(1, x)) - xMin) / (xMax - xMin) * (right - left) }
        func py(_ y: Double) -> Double { bottom - y / max(yMax, 1e-9) * (bottom - plotTop) }
        var out = "<text x=\"\(left)\" y=\"\(top + 12)\" font-weight=\"600\">\(escape(panel.title))</text>\n"
        // Axes and grid.
        for k in 0...4 {
            let y = yMax * Double(k) / 4
            out += "<line x1=\"\(left)\" y1=\"\(py(y))\" x2=\"\(right)\" y2=\"\(py(y))\" stroke=\"#eee\"/>"
            out += "<text x=\"\(left - 8)\" y=\"\(py(y) + 4)\" text-anchor=\"end\" fill=\"#555\">\(format(y))</text>\n"
        }
        for x in Set(xs).sorted() {
            out += "<line x1=\"\(px(x))\" y1=\"\(plotTop)\" x2=\"\(px(x))\" y2=\"\(bottom)\" stroke=\"#f3f3f3\"/>"
            out +=
                "<text x=\"\(px(x))\" y=\"\(bottom + 16)\" text-anchor=\"middle\" fill=\"#555\">\(format(x))</text>\n"
        }
        out += "<line x1=\"\(left)\" y1=\"\(bottom)\" x2=\"\(right)\" y2=\"\(bottom)\" stroke=\"#333\"/>"
        out += "<line x1=\"\(left)\" y1=\"\(plotTop)\" x2=\"\(left)\" y2=\"\(bottom)\" stroke=\"#333\"/>\n"
        out +=
            "<text x=\"\((left + right) / 2)\" y=\"\(bottom + 34)\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out +=
            "<text x=\"18\" y=\"\((plotTop + bottom) / 2)\" transform=\"rotate(-90 18 \((plotTop + bottom) / 2))\" text-anchor=\"middle\">\(escape(panel.yLabel))</text>\n"
        // Lines and legend.
        for (i, s) in panel.series.enumerated() where !s.points.isEmpty {
            let path = s.points.sorted { $0.0 < $1.0 }.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
            let dash = s.dashed ? " stroke-dasharray=\"6 4\"" : ""
            out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash) points=\"\(path)\"/>\n"
            if !s.dashed {
                for p in s.points { out += "<circle cx=\"\(px(p.0))\" cy=\"\(py(p.1))\" r=\"3\" fill=\"\(s.color)\"/>" }
            }
            let ly = plotTop + 18 * Double(i)
            out +=
                "<line x1=\"\(right + 20)\" y1=\"\(ly)\" x2=\"\(right + 45)\" y2=\"\(ly)\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>"
            out += "<text x=\"\(right + 50)\" y=\"\(ly + 4)\">\(escape(s.name))</text>\n"
        }
        return out
    }

    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let magnitude = pow(10, floor(log10(v)))
        for step in [1.0, 2, 2.5, 5, 10] where step * magnitude >= v { return step * magnitude }
        return 10 * magnitude
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
            of: ">", with: "&gt;")
    }
}
