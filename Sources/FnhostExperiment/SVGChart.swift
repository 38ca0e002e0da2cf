import Foundation

/// A small hand-written SVG line chart (log₂ x axis for concurrency), readable in any browser, with no
/// dependencies: the experiment's picture.
///
/// Every series has its own marker shape, so lines that coincide stay distinguishable; the legend column is as
/// wide as its longest label, so no label is cut at the edge; a series may carry a shaded band (a model's range).
enum SVGChart {
    /// The shape drawn at each point of a series, and beside its name in the legend.
    enum Marker: CaseIterable {
        case circle, square, triangle, diamond, ring, hollowSquare
    }

    struct Series {
        var name: String
        var color: String
        /// An SVG `stroke-dasharray`, or nil for a solid line.
        var dash: String?
        var marker: Marker?
        var points: [(Double, Double)]
        /// A shaded range drawn under the line: (x, low, high).
        var band: [(Double, Double, Double)] = []
        /// The band's legend label.
        var bandName: String?

        init(
            name: String, color: String, dashed: Bool, points: [(Double, Double)], marker: Marker? = nil,
            dash: String? = nil, band: [(Double, Double, Double)] = [], bandName: String? = nil
        ) {
            self.name = name
            self.color = color
            self.dash = dash ?? (dashed ? "7 4" : nil)
            self.marker = marker
            self.points = points
            self.band = band
            self.bandName = bandName
        }

        /// Every label the legend shows for this series.
        var legendLabels: [String] { [name] + (band.isEmpty ? [] : [bandName ?? name + ": band"]) }
    }

    struct Panel {
        var title: String
        var yLabel: String
        /// Fixed top of the y axis, or nil to fit the data.
        var yMax: Double?
        var series: [Series]
    }

    /// An estimate of a label's width at 12 px (system-ui averages under 7 px a character).
    static func textWidth(_ s: String, size: Double = 12) -> Double { Double(s.count) * size * 0.58 }

    static func document(title: String, panels: [Panel], xLabel: String = "concurrency (workers)") -> String {
        let plotWidth = 520.0
        let left = 70.0
        let legendWidth = 70 + (panels.flatMap(\.series).flatMap(\.legendLabels).map { textWidth($0) }.max() ?? 100)
        let width = max(left + plotWidth + legendWidth + 10, textWidth(title, size: 15) + 40)
        let panelHeight = 340.0
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(60 + panelHeight * Double(panels.count)))" \
            font-family="system-ui, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="20" y="28" font-size="15" font-weight="600">\(escape(title))</text>

            """
        for (i, panel) in panels.enumerated() {
            svg += render(
                panel, top: 50 + panelHeight * Double(i), left: left, right: left + plotWidth,
                height: panelHeight - 20, xLabel: xLabel)
        }
        return svg + "</svg>\n"
    }

    private static func render(
        _ panel: Panel, top: Double, left: Double, right: Double, height: Double, xLabel: String
    ) -> String {
        let bottom = top + height - 40
        let plotTop = top + 25
        let xs = panel.series.flatMap { $0.points.map(\.0) }
        let ys = panel.series.flatMap { $0.points.map(\.1) + $0.band.map(\.2) }
        let xMin = log2(max(1e-9, xs.min() ?? 1))
        let xMax = max(xMin + 1, log2(max(1e-9, xs.max() ?? 2)))
        let yMax = panel.yMax ?? niceCeiling((ys.max() ?? 1) * 1.1)
        func px(_ x: Double) -> Double {
            (left + 10 + (log2(max(1e-9, x)) - xMin) / (xMax - xMin) * (right - left - 20)).rounded2
        }
        func py(_ y: Double) -> Double { (bottom - min(y, yMax) / max(yMax, 1e-9) * (bottom - plotTop)).rounded2 }
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
        // Bands first, under every line.
        for s in panel.series where !s.band.isEmpty {
            let band = s.band.sorted { $0.0 < $1.0 }
            let upper = band.map { "\(px($0.0)),\(py($0.2))" }
            let lower = band.reversed().map { "\(px($0.0)),\(py($0.1))" }
            out +=
                "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(s.color)\" fill-opacity=\"0.13\" stroke=\"none\"/>\n"
        }
        // Lines, then legend: each series with its own marker, so coinciding lines show both.
        var legendRow = 0
        for (i, s) in panel.series.enumerated() where !s.points.isEmpty {
            let marker = s.marker ?? Marker.allCases[i % Marker.allCases.count]
            let path = s.points.sorted { $0.0 < $1.0 }.map { "\(px($0.0)),\(py($0.1))" }.joined(separator: " ")
            let dash = s.dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
            out += "<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash) points=\"\(path)\"/>\n"
            for p in s.points { out += draw(marker, x: px(p.0), y: py(p.1), color: s.color) }
            out += "\n"
            let ly = plotTop + 20 * Double(legendRow)
            legendRow += 1
            out +=
                "<line x1=\"\(right + 20)\" y1=\"\(ly)\" x2=\"\(right + 52)\" y2=\"\(ly)\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>"
            out += draw(marker, x: right + 36, y: ly, color: s.color)
            out += "<text x=\"\(right + 60)\" y=\"\(ly + 4)\">\(escape(s.name))</text>\n"
            if !s.band.isEmpty {
                let by = plotTop + 20 * Double(legendRow)
                legendRow += 1
                out +=
                    "<rect x=\"\(right + 20)\" y=\"\(by - 6)\" width=\"32\" height=\"12\" fill=\"\(s.color)\" fill-opacity=\"0.13\"/>"
                out += "<text x=\"\(right + 60)\" y=\"\(by + 4)\">\(escape(s.legendLabels[1]))</text>\n"
            }
        }
        return out
    }

    /// One marker, centred on (x, y).
    static func draw(_ marker: Marker, x: Double, y: Double, color: String) -> String {
        let filled = "fill=\"\(color)\""
        let hollow = "fill=\"white\" stroke=\"\(color)\" stroke-width=\"1.5\""
        switch marker {
        case .circle: return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"3.5\" \(filled)/>"
        case .ring: return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"5.5\" \(hollow) fill-opacity=\"0\"/>"
        case .square: return "<rect x=\"\(x - 3.5)\" y=\"\(y - 3.5)\" width=\"7\" height=\"7\" \(filled)/>"
        case .hollowSquare:
            return "<rect x=\"\(x - 5.5)\" y=\"\(y - 5.5)\" width=\"11\" height=\"11\" \(hollow) fill-opacity=\"0\"/>"
        case .triangle:
            return "<polygon points=\"\(x),\(y - 5) \(x - 4.5),\(y + 3.5) \(x + 4.5),\(y + 3.5)\" \(filled)/>"
        case .diamond:
            return
                "<polygon points=\"\(x),\(y - 6.5) \(x + 6.5),\(y) \(x),\(y + 6.5) \(x - 6.5),\(y)\" \(hollow) fill-opacity=\"0\"/>"
        }
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

extension Double {
    /// Two decimals are plenty for SVG coordinates.
    fileprivate var rounded2: Double { (self * 100).rounded() / 100 }
}
