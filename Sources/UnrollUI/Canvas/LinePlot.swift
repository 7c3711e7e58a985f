import Foundation

/// A scatter-line chart of one or more series in a rectangle: y on a linear or log axis labelled
/// at the top and bottom, x labelled under the plot, horizontal reference lines with labels.
///
/// Points that share a column are averaged (geometrically on a log axis), so a history of
/// thousands of iterations fits any width. Non-finite values are marked `!` at the top.
public enum LinePlot {
    /// One series: its points and how they are drawn.
    public struct Series: Sendable {
        /// x coordinates.
        public var x: [Double]
        /// y coordinates, one per x.
        public var y: [Double]
        /// The glyph of a point.
        public var glyph: Character
        /// The style of a point.
        public var style: Style

        /// A series.
        public init(x: [Double], y: [Double], glyph: Character, style: Style) {
            self.x = x
            self.y = y
            self.glyph = glyph
            self.style = style
        }
    }

    /// A horizontal line across the plot at `y`, labelled at its right end.
    public struct Reference: Sendable {
        /// Where the line is.
        public var y: Double
        /// Its label.
        public var label: String
        /// Its style.
        public var style: Style

        /// A reference line.
        public init(y: Double, label: String, style: Style) {
            self.y = y
            self.label = label
            self.style = style
        }
    }

    /// Width of the y-axis labels on the left.
    static let gutter = 8

    /// Renders the series and references into `rect` (no frame): the last row holds the x labels.
    /// - Parameters:
    ///   - xRange: the x interval the width spans.
    ///   - logY: a log axis (non-positive values are not drawn).
    ///   - xLabel: a word for the x axis, shown between its end labels.
    public static func render(
        _ series: [Series], references: [Reference] = [], xRange: ClosedRange<Double>,
        logY: Bool, xLabel: String, theme: Theme, into canvas: inout Canvas, _ rect: Rect
    ) {
        let rows = rect.height - 1
        let width = rect.width - gutter
        guard rows >= 2, width >= 4 else { return }
        let plot = Rect(x: rect.x + gutter, y: rect.y, width: width, height: rows)
        func usable(_ v: Double) -> Bool { v.isFinite && (!logY || v > 0) }
        let values = series.flatMap { $0.y.filter(usable) } + references.map(\.y).filter(usable)
        guard var lo = values.min(), var hi = values.max() else {
            canvas.put("no data yet", x: plot.x + 1, y: plot.y + rows / 2, style: theme.muted, clip: plot)
            return
        }
        if logY {
            lo = max(lo, hi * 1e-9)
            if hi / lo < 10 {
                let mid = (hi * lo).squareRoot()
                lo = mid / 3.2
                hi = mid * 3.2
            }
        } else if hi - lo < 1e-12 {
            lo -= 0.5
            hi += 0.5
        }
        func fraction(_ v: Double) -> Double {
            logY ? (log10(v) - log10(lo)) / (log10(hi) - log10(lo)) : (v - lo) / (hi - lo)
        }
        func row(_ v: Double) -> Int {
            plot.y + rows - 1 - Int((max(0, min(1, fraction(v))) * Double(rows - 1)).rounded())
        }
        func column(_ x: Double) -> Int {
            let span = xRange.upperBound - xRange.lowerBound
            let f = span > 0 ? (x - xRange.lowerBound) / span : 0
            return plot.x + Int((max(0, min(1, f)) * Double(width - 1)).rounded())
        }

        canvas.put(Format.number(hi, digits: 2), x: rect.x, y: plot.y, style: theme.muted, clip: rect)
        canvas.put(Format.number(lo, digits: 2), x: rect.x, y: plot.y + rows - 1, style: theme.muted, clip: rect)
        // Reference lines first, then the points over them, then each line's label where no point is:
        // at the right end, else the left end, else just above or below the line.
        let dash: Character = theme.glyphs == .unicode ? "╌" : "-"
        let shown = references.filter { usable($0.y) }
        for r in shown { canvas.put(String(repeating: dash, count: width), x: plot.x, y: row(r.y), style: r.style) }
        var occupied = Set<[Int]>()
        for s in series {
            var sums: [Int: (total: Double, count: Int)] = [:]
            var broken = Set<Int>()
            for (x, y) in zip(s.x, s.y) {
                let c = column(x)
                if !y.isFinite {
                    broken.insert(c)
                    continue
                }
                guard usable(y) else { continue }
                let v = logY ? log10(y) : y
                sums[c, default: (0, 0)].total += v
                sums[c, default: (0, 0)].count += 1
            }
            for (c, acc) in sums {
                let mean = acc.total / Double(acc.count)
                let r = row(logY ? Double.pow(10, mean) : mean)
                canvas.put(String(s.glyph), x: c, y: r, style: s.style)
                occupied.insert([c, r])
            }
            for c in broken {
                canvas.put("!", x: c, y: plot.y, style: theme.warning)
                occupied.insert([c, plot.y])
            }
        }
        for r in shown {
            let label = " " + r.label
            let y = row(r.y)
            let right = max(plot.x, plot.maxX - label.count)
            let candidates = [(right, y), (plot.x, y), (right, y - 1), (right, y + 1), (plot.x, y - 1), (plot.x, y + 1)]
                .filter { $0.1 >= plot.y && $0.1 < plot.maxY }
            let free = candidates.first { spot in
                (0..<label.count).allSatisfy { !occupied.contains([spot.0 + $0, spot.1]) }
            }
            let (x, ly) = free ?? (right, y)
            canvas.put(label, x: x, y: ly, style: r.style, clip: plot)
            for i in 0..<label.count { occupied.insert([x + i, ly]) }
        }
        let y = rect.maxY - 1
        let left = Format.number(xRange.lowerBound, digits: 4)
        let right = Format.number(xRange.upperBound, digits: 4)
        canvas.put(left, x: plot.x, y: y, style: theme.muted, clip: rect)
        canvas.put(right, x: plot.maxX - right.count, y: y, style: theme.muted, clip: rect)
        canvas.put(xLabel, x: plot.x + (width - xLabel.count) / 2, y: y, style: theme.muted, clip: rect)
    }
}
