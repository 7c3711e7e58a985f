import Foundation

/// One axis of a chart: a range of data mapped onto a range of positions in the figure (SVG user units), linearly
/// or on a log scale, with its ticks.
public struct ChartAxis: Sendable, Equatable {
    public enum Scale: Sendable, Equatable { case linear, log }

    public var scale: Scale
    /// The data at `start` and at `end`.
    public var lower: Double
    public var upper: Double
    /// The positions of `lower` and `upper` (for a y axis, `start` is the bottom: the larger y).
    public var start: Double
    public var end: Double

    public init(scale: Scale, lower: Double, upper: Double, start: Double, end: Double) {
        (self.scale, self.lower, self.upper, self.start, self.end) = (scale, lower, upper, start, end)
    }

    /// Where `v` lands; nil when it cannot be drawn (NaN, ±Inf, or not positive on a log axis).
    public func position(_ v: Double) -> Double? {
        guard v.isFinite, scale == .linear || v > 0 else { return nil }
        let f =
            scale == .log
            ? (log10(v) - log10(lower)) / (log10(upper) - log10(lower)) : (v - lower) / (upper - lower)
        return start + f * (end - start)
    }

    /// The decades a log axis spans to hold every finite positive value of `values`: from the power of ten at or
    /// below the smallest to the one at or above the largest, at least one decade; (1e-1, 1) when there is none.
    public static func decades(_ values: [Double]) -> (lower: Double, upper: Double) {
        let positive = values.filter { $0.isFinite && $0 > 0 }
        guard let small = positive.min(), let large = positive.max() else { return (0.1, 1) }
        let low = log10(small).rounded(.down), high = log10(large).rounded(.up)
        return (pow(10, low), pow(10, max(high, low + 1)))
    }

    /// A tick: its value, its label (empty for a minor tick) and whether it is major.
    public struct Tick: Sendable, Equatable {
        public var value: Double
        public var label: String
        public var major: Bool
    }

    /// The ticks: on a log axis every decade (labelled 10ⁿ; past eight decades, only n a multiple of k) and, for
    /// up to six decades, the minor ticks 2–9 × 10ⁿ; on a linear axis steps of 1, 2 or 5 × 10ⁿ, at most `count`
    /// intervals (integers only when `integers`).
    public func ticks(count: Int = 6, integers: Bool = false) -> [Tick] {
        switch scale {
        case .log:
            let low = Int(log10(lower).rounded()), high = Int(log10(upper).rounded())
            let every = max(1, (high - low + 7) / 8)
            var out: [Tick] = []
            for e in low...max(low, high) {
                out.append(
                    Tick(value: pow(10, Double(e)), label: e % every == 0 ? Self.power(e) : "", major: true))
                if e < high && high - low <= 6 {
                    out += (2...9).map { Tick(value: Double($0) * pow(10, Double(e)), label: "", major: false) }
                }
            }
            return out
        case .linear:
            let step = Self.niceStep((upper - lower) / Double(max(1, count)), integers: integers)
            let first = (lower / step).rounded(.up)
            let last = (upper / step + 1e-9).rounded(.down)
            guard first <= last else { return [] }
            return (Int(first)...Int(last)).map {
                let v = Double($0) * step
                return Tick(value: v, label: Self.label(v, step: step), major: true)
            }
        }
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `raw` (at least 1 for integers).
    static func niceStep(_ raw: Double, integers: Bool) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, log10(raw).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * p
        return integers ? max(1, step.rounded()) : step
    }

    /// A linear tick's label, with as many decimals as the step needs: 0, 0.25, -0.5, 12.
    static func label(_ v: Double, step: Double) -> String {
        let decimals = max(0, -Int(log10(step).rounded(.down)))
        let text = String(format: "%.\(min(6, decimals))f", v)
        return text == "-0" || text.hasPrefix("-0.") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    /// 10ⁿ with a superscript exponent: 10⁻⁴, 10⁰, 10³.
    static func power(_ e: Int) -> String {
        let sup: [Character: Character] = [
            "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹"
        ]
        return "10" + String(String(e).compactMap { sup[$0] })
    }
}

/// The frame every chart shares: a 960 × 540 figure (16:9, a slide's), white as a printed page, the plot area,
/// the title above it, the axis labels, and the legend and note under it. The colours are Okabe and Ito's
/// (2008), told apart with any colour vision.
public enum ChartFrame {
    public static let width = 960.0, height = 540.0
    /// The plot area.
    public static let left = 100.0, right = 930.0, top = 50.0, bottom = 400.0
    /// Okabe–Ito: blue, vermillion, orange, bluish green, reddish purple, sky blue, yellow, black.
    public static let okabeIto = [
        "#0072B2", "#D55E00", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#F0E442", "#000000"
    ]
    static let font = "'DejaVu Sans','Helvetica','Arial',sans-serif"

    /// The document's start: the XML declaration, the root, the title and description, the white page and the
    /// chart's title line.
    static func open(title: String, description: String) -> String {
        let e = Canvas.escaped
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" \
            viewBox="0 0 \(n(width)) \(n(height))" role="img" aria-labelledby="title desc">
            <title id="title">\(e(title))</title>
            <desc id="desc">\(e(description))</desc>
            <style>text{font-family:\(font);fill:#000000}</style>
            <rect width="\(n(width))" height="\(n(height))" fill="#ffffff"/>
            <text x="\(n(width / 2))" y="30" font-size="18" text-anchor="middle">\(e(title))</text>

            """
    }

    /// The x axis along the plot's bottom: its ticks (class `xtick`, `data-value`), their labels and the label.
    static func xAxis(_ axis: ChartAxis, ticks: [ChartAxis.Tick], label: String) -> String {
        var out = tag("line", ["x1": axis.start, "y1": bottom, "x2": axis.end, "y2": bottom, "stroke": "#000000"])
        for t in ticks {
            guard let x = axis.position(t.value) else { continue }
            out += tag(
                "line",
                [
                    "class": "xtick", "data-value": "\(t.value)", "x1": x, "y1": bottom, "x2": x, "y2": bottom + 6,
                    "stroke": "#000000"
                ])
            if !t.label.isEmpty {
                out += tag(
                    "text", ["x": x, "y": bottom + 22, "font-size": 13, "text-anchor": "middle"], text: t.label)
            }
        }
        let middle = (axis.start + axis.end) / 2
        return out
            + tag("text", ["x": middle, "y": bottom + 45, "font-size": 15, "text-anchor": "middle"], text: label)
    }

    /// The y axis along the plot's left: its ticks (class `ytick`, `data-value`), light grid lines to `right` at
    /// the major ones, their labels and the label, turned to read upwards.
    static func yAxis(_ axis: ChartAxis, ticks: [ChartAxis.Tick], label: String, right: Double = right) -> String {
        var out = tag("line", ["x1": left, "y1": axis.start, "x2": left, "y2": axis.end, "stroke": "#000000"])
        for t in ticks {
            guard let y = axis.position(t.value) else { continue }
            if t.major && right > left {
                out += tag("line", ["x1": left, "y1": y, "x2": right, "y2": y, "stroke": "#e0e0e0"])
            }
            out += tag(
                "line",
                [
                    "class": "ytick", "data-value": "\(t.value)", "x1": left - (t.major ? 6 : 3), "y1": y, "x2": left,
                    "y2": y, "stroke": "#000000"
                ])
            if !t.label.isEmpty {
                out += tag("text", ["x": left - 10, "y": y + 5, "font-size": 13, "text-anchor": "end"], text: t.label)
            }
        }
        let middle = n((axis.start + axis.end) / 2)
        return out
            + tag(
                "text", ["transform": "translate(28 \(middle)) rotate(-90)", "font-size": 15, "text-anchor": "middle"],
                text: label)
    }

    /// The legend under the x axis's label, its items in rows (a swatch, then the name), and the note after it.
    static func legend(_ items: [(name: String, color: String, dashed: Bool)], note: String?) -> String {
        var out = ""
        var (x, y) = (left, bottom + 72)
        for item in items {
            let width = 34 + 7.6 * Double(item.name.count)
            if x > left && x + width > right {
                (x, y) = (left, y + 22)
            }
            out += tag(
                "line",
                [
                    "x1": x, "y1": y - 5, "x2": x + 26, "y2": y - 5, "stroke": item.color, "stroke-width": 2.5,
                    "stroke-dasharray": item.dashed ? "6 4" : "none"
                ])
            out += tag("text", ["class": "legend", "x": x + 32, "y": y, "font-size": 14], text: item.name)
            x += width + 24
        }
        if let note {
            y += items.isEmpty ? 0 : 24
            out += tag(
                "text", ["class": "note", "x": left, "y": y, "font-size": 13, "style": "fill:#555555"], text: note)
        }
        return out
    }

    /// An element: numbers (Double) as coordinates, every other value and the text escaped.
    static func tag(_ name: String, _ attributes: KeyValuePairs<String, any Sendable>, text: String? = nil) -> String {
        var out = "<" + name
        for (key, value) in attributes {
            let v = (value as? Double).map(n) ?? Canvas.escaped("\(value)")
            out += " \(key)=\"\(v)\""
        }
        return out + (text.map { ">\(Canvas.escaped($0))</\(name)>\n" } ?? "/>\n")
    }

    /// A coordinate with at most two decimals.
    static func n(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

/// Lines against t: one per series, each point marked, NaN, ±Inf (and, on a log axis, zero) left as gaps.
public struct LineChart: Sendable {
    /// One line: its points (t, value), its name in the legend, its colour and whether it is dashed.
    public struct Series: Sendable {
        public var name: String
        public var points: [(t: Double, value: Double)]
        public var color: String
        public var dashed: Bool
        /// Whether each value gets a dot (off for a curve of hundreds of points, such as a loss curve).
        public var marks: Bool

        public init(
            name: String, points: [(t: Double, value: Double)], color: String, dashed: Bool = false, marks: Bool = true
        ) {
            (self.name, self.points, self.color, self.dashed, self.marks) = (name, points, color, dashed, marks)
        }
    }

    public var title: String
    public var description: String
    public var xLabel: String
    public var yLabel: String
    public var series: [Series]
    public var scale: ChartAxis.Scale
    /// A fixed y range (linear charts), else the data's.
    public var range: (lower: Double, upper: Double)?
    /// A line under the legend (why no bound is drawn, what is not finite).
    public var note: String?

    public init(
        title: String, description: String, xLabel: String, yLabel: String, series: [Series], scale: ChartAxis.Scale,
        range: (lower: Double, upper: Double)? = nil, note: String? = nil
    ) {
        (self.title, self.description, self.xLabel, self.yLabel) = (title, description, xLabel, yLabel)
        (self.series, self.scale, self.range, self.note) = (series, scale, range, note)
    }

    /// The x axis: from the first t to the last (half a step either side of a lone one).
    public var xAxis: ChartAxis {
        let ts = series.flatMap { $0.points.map(\.t) }
        let (a, b) = (ts.min() ?? 1, ts.max() ?? 1)
        let (lower, upper) = a == b ? (a - 0.5, b + 0.5) : (a, b)
        return ChartAxis(
            scale: .linear, lower: lower, upper: upper, start: ChartFrame.left + 20, end: ChartFrame.right - 20)
    }

    /// The y axis: whole decades around the data on a log scale, the fixed range or the data's on a linear one.
    public var yAxis: ChartAxis {
        let values = series.flatMap { $0.points.map(\.value) }
        let (lower, upper): (Double, Double)
        if let range {
            (lower, upper) = range
        } else if scale == .log {
            (lower, upper) = ChartAxis.decades(values)
        } else {
            let finite = values.filter(\.isFinite)
            let (a, b) = (finite.min() ?? 0, finite.max() ?? 1)
            (lower, upper) = a == b ? (a - 1, b + 1) : (a, b)
        }
        return ChartAxis(scale: scale, lower: lower, upper: upper, start: ChartFrame.bottom, end: ChartFrame.top)
    }

    /// The chart as an SVG document; each series a `<path class="line">` and a `<circle class="point">` per
    /// drawn value, both with `data-series` (its index).
    public func svg() -> String {
        let (x, y) = (xAxis, yAxis)
        var out = ChartFrame.open(title: title, description: description)
        out += ChartFrame.yAxis(y, ticks: y.ticks(), label: yLabel)
        out += ChartFrame.xAxis(x, ticks: x.ticks(count: 12, integers: true), label: xLabel)
        for (k, s) in series.enumerated() {
            var d = "", pen = "M"
            var marks = ""
            for p in s.points {
                guard let px = x.position(p.t), let py = y.position(p.value) else {
                    pen = "M"
                    continue
                }
                d += "\(pen)\(ChartFrame.n(px)) \(ChartFrame.n(py)) "
                pen = "L"
                marks += ChartFrame.tag(
                    "circle", ["class": "point", "data-series": k, "cx": px, "cy": py, "r": 3.5, "fill": s.color])
            }
            if !d.isEmpty {
                out += ChartFrame.tag(
                    "path",
                    [
                        "class": "line", "data-series": k, "d": String(d.dropLast()), "fill": "none", "stroke": s.color,
                        "stroke-width": 2, "stroke-dasharray": s.dashed ? "6 4" : "none"
                    ])
            }
            if !s.dashed && s.marks { out += marks }
        }
        out += ChartFrame.legend(series.map { ($0.name, $0.color, $0.dashed) }, note: note)
        return out + "</svg>\n"
    }
}

/// A matrix as coloured cells (rows × columns, e.g. units × steps) on a diverging scale symmetric about zero, with
/// a colour bar and its ticks.
public struct HeatmapChart: Sendable {
    public var title: String
    public var description: String
    public var xLabel: String
    public var yLabel: String
    /// `values[row][column]`.
    public var values: [[Double]]
    /// The t of the first column.
    public var firstColumn: Int
    public var note: String?

    public init(
        title: String, description: String, xLabel: String, yLabel: String, values: [[Double]], firstColumn: Int,
        note: String? = nil
    ) {
        (self.title, self.description, self.xLabel, self.yLabel) = (title, description, xLabel, yLabel)
        (self.values, self.firstColumn, self.note) = (values, firstColumn, note)
    }

    /// The plot's right edge: the colour bar goes beyond it.
    static let plotRight = 820.0
    static let bar = (x: 860.0, width: 20.0)

    /// The scale's end: the largest finite |value| (1 when every value is 0).
    public var limit: Double {
        let m = values.joined().filter(\.isFinite).map(abs).max() ?? 0
        return m > 0 ? m : 1
    }

    /// ColorBrewer's RdBu, blue for negative, near-white for zero, red for positive (safe for colour-blind readers).
    public static let stops: [(r: Double, g: Double, b: Double)] = [
        (0x21, 0x66, 0xac), (0x67, 0xa9, 0xcf), (0xd1, 0xe5, 0xf0), (0xf7, 0xf7, 0xf7), (0xfd, 0xdb, 0xc7),
        (0xef, 0x8a, 0x62), (0xb2, 0x18, 0x2b)
    ]

    /// The colour of `f` in −1…1 (clamped), as `#rrggbb`: linear between the stops.
    public static func color(_ f: Double) -> String {
        let u = (max(-1, min(1, f)) + 1) / 2 * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(u.rounded(.down)))
        let w = u - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        let mix = { (p: Double, q: Double) in Int((p + (q - p) * w).rounded()) }
        return String(format: "#%02x%02x%02x", mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }

    /// The chart as an SVG document: each cell a `<rect class="cell">` with `data-row` and `data-column` (0-based),
    /// non-finite cells grey; the colour bar's ticks have class `ctick` and `data-value`.
    public func svg() -> String {
        let rows = values.count, columns = values.map(\.count).max() ?? 0
        let (l, r, t, b) = (ChartFrame.left, Self.plotRight, ChartFrame.top, ChartFrame.bottom)
        let cw = (r - l) / Double(max(1, columns)), ch = (b - t) / Double(max(1, rows))
        var out = ChartFrame.open(title: title, description: description)
        let limit = self.limit
        for (i, row) in values.enumerated() {
            for (j, v) in row.enumerated() {
                out += ChartFrame.tag(
                    "rect",
                    [
                        "class": "cell", "data-row": i, "data-column": j, "x": l + Double(j) * cw,
                        "y": t + Double(i) * ch, "width": cw, "height": ch,
                        "fill": v.isFinite ? Self.color(v / limit) : "#808080", "shape-rendering": "crispEdges"
                    ])
            }
        }
        out += ChartFrame.tag(
            "rect", ["x": l, "y": t, "width": r - l, "height": b - t, "fill": "none", "stroke": "#000000"])
        // The axes count cells: t under each column's centre, the unit beside each row's (1-based).
        let x = ChartAxis(
            scale: .linear, lower: Double(firstColumn), upper: Double(firstColumn + max(1, columns - 1)),
            start: l + cw / 2, end: columns > 1 ? r - cw / 2 : l + cw / 2 + 1)
        out += ChartFrame.xAxis(x, ticks: x.ticks(count: 12, integers: true), label: xLabel)
        let y = ChartAxis(
            scale: .linear, lower: 1, upper: Double(max(2, rows)), start: t + ch / 2,
            end: rows > 1 ? b - ch / 2 : t + ch / 2 + 1)
        let unitTicks = y.ticks(count: 10, integers: true).filter { $0.value <= Double(rows) }
        out += ChartFrame.yAxis(y, ticks: unitTicks, label: yLabel, right: l)
        // The colour bar: 64 bands from −limit (bottom) to +limit (top), ticks at −limit, −limit/2, 0, limit/2, limit.
        let bands = 64
        let band = (b - t) / Double(bands)
        for k in 0..<bands {
            let f = -1 + (Double(k) + 0.5) * 2 / Double(bands)
            out += ChartFrame.tag(
                "rect",
                [
                    "x": Self.bar.x, "y": b - Double(k + 1) * band, "width": Self.bar.width, "height": band + 0.5,
                    "fill": Self.color(f)
                ])
        }
        out += ChartFrame.tag(
            "rect",
            ["x": Self.bar.x, "y": t, "width": Self.bar.width, "height": b - t, "fill": "none", "stroke": "#000000"])
        let scale = ChartAxis(scale: .linear, lower: -limit, upper: limit, start: b, end: t)
        let x0 = Self.bar.x + Self.bar.width
        for v in [-limit, -limit / 2, 0, limit / 2, limit] {
            guard let py = scale.position(v) else { continue }
            out += ChartFrame.tag(
                "line",
                [
                    "class": "ctick", "data-value": "\(v)", "x1": x0, "y1": py, "x2": x0 + 5, "y2": py,
                    "stroke": "#000000"
                ])
            out += ChartFrame.tag(
                "text", ["x": x0 + 8, "y": py + 5, "font-size": 13], text: Format.number(v, digits: 3))
        }
        out += ChartFrame.legend([], note: note)
        return out + "</svg>\n"
    }
}
