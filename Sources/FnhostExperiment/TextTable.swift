import Foundation

/// The experiments' plain-text reports: numbers with a fixed number of digits, and rows of cells right-aligned to
/// fixed column widths. One copy for every report, so their tables read alike.
enum TextTable {
    /// `v` with `digits` digits after the point (`12.35` for `fixed(12.345, 2)`).
    static func fixed(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }

    /// One row: each cell right-aligned in its column's width (a longer cell is kept whole), columns one space apart.
    static func rightAligned(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).map { cell, w in
            cell.count >= w ? cell : String(repeating: " ", count: w - cell.count) + cell
        }
        .joined(separator: " ")
    }
}
