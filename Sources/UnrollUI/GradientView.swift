import UnrollEngine
import UnrollLessons

/// The gradient norms of the selected layer per step on a log scale, as the lab computed them
/// (``GradientSeries``): ‖∂L/∂h_t‖ for the mode's loss (total, last, or one step's), ‖∂L/∂c_t‖ beside it for
/// an LSTM, the same model with skip connections toggled when compared, the bound where one holds, the
/// clipping threshold, NaN and Inf marked.
public enum GradientView {
    /// One series of bars in a slot: the values per step, the glyph and style, and its legend.
    struct Bars {
        var values: [Double]
        var glyph: Character
        var style: Style
        var legend: String
    }

    /// A second model's series drawn beside the first's on the same axis (side by side, ``PairSession``).
    struct Versus {
        /// The second model's ‖∂L/∂h_t‖ per step, and its axis range.
        var series: GradientSeries
        /// The first model's legend and the second's.
        var labels: [String]
    }

    /// Renders the panel into `rect`.
    public static func render(_ s: Session, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        render(s, versus: nil, theme: theme, into: &canvas, rect)
    }

    /// Renders the panel into `rect`, with a second model's bars when `versus` is given.
    static func render(_ s: Session, versus: Versus?, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let series = s.gradientSeries
        let title = series?.titles.first { $0.count + 4 <= rect.width } ?? "∂L/∂h"
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: title)
        let inner = rect.insetBy(dx: 1, dy: 1)
        guard inner.height >= 4, inner.width >= 12, let series, s.trace.layers.indices.contains(s.selectedLayer) else { return }
        let layer = s.trace.layers[s.selectedLayer]
        let unicode = theme.glyphs == .unicode
        var bars = [Bars(values: series.hidden, glyph: "█", style: theme.text, legend: "")]
        if let cell = series.cell { bars.append(Bars(values: cell, glyph: unicode ? "▓" : "#", style: theme.title, legend: "c")) }
        if let other = series.comparison {
            bars.append(Bars(values: other, glyph: unicode ? "▒" : ":", style: theme.muted,
                             legend: s.trace.spec.skip == nil ? "with skip" : "no skip"))
        }
        if let versus {
            bars.append(Bars(values: versus.series.hidden, glyph: unicode ? (series.comparison == nil ? "▒" : "░") : "+",
                             style: theme.title, legend: ""))
        }
        // Side by side, one axis covers both models.
        let floor = min(series.floor, versus?.series.floor ?? series.floor)
        let ceiling = max(series.ceiling, versus?.series.ceiling ?? series.ceiling)
        func fraction(_ x: Double) -> Double {
            if x.isNaN { return .nan }
            if x.isInfinite { return 1 }
            return Palette.logFraction(x, floor: floor, ceiling: ceiling)
        }

        // One slot per step: the bars side by side, then a gap; scrolled with the graph.
        let chartRows = inner.height - 3
        let count = layer.steps.count
        let slotWidth = max(bars.count + 1, min(7, (inner.width - 6) / max(1, count)))
        let barWidth = (slotWidth - 1) / bars.count
        let slots = max(1, (inner.width - 6) / slotWidth)
        let focus = max(0, min(count - 1, s.inspectedColumn - layer.startColumn))
        let first = max(0, min(count - slots, focus - slots / 2))
        let shown = first..<min(count, first + slots)
        let x0 = inner.x + 6
        // The axis: its ceiling on the top row, its floor on the bottom row.
        canvas.put(Format.number(ceiling, digits: 1), x: inner.x, y: inner.y, style: theme.muted)
        canvas.put(Format.number(floor, digits: 1), x: inner.x, y: inner.y + chartRows - 1, style: theme.muted)
        drawChunkCuts(s.trace.truncationCuts, startColumn: layer.startColumn, shown: shown, x0: x0, slotWidth: slotWidth,
                      top: inner.y, rows: chartRows, theme: theme, into: &canvas)
        if s.phase == .forward {
            let note = CaptionView.wrap("Gradients flow in the backward phase: step past the last column, or press Tab.",
                                        width: inner.width - 8, lines: 3)
            for (i, line) in note.enumerated() { canvas.put(line, x: x0, y: inner.y + 1 + i, style: theme.muted, clip: inner) }
        }
        for (j, i) in shown.enumerated() {
            let x = x0 + j * slotWidth
            let column = layer.startColumn + i
            let here = column == s.inspectedColumn
            if s.phase == .backward && s.gradientArrived(column: column) {
                for (n, bar) in bars.enumerated() where i < bar.values.count {
                    let v = bar.values[i]
                    let style = n == 0 ? theme.foreground(forMagnitude: fraction(v)) : bar.style
                    for b in 0..<barWidth {
                        draw(v, fraction: fraction(v), x: x + n * barWidth + b, top: inner.y, rows: chartRows,
                             glyph: bar.glyph, style: style, theme: theme, into: &canvas)
                    }
                }
                if let bound = series.bound, i < bound.count, let v = bound[i] {
                    let f = fraction(v)
                    if f > 0 && f <= 1 {
                        let y = inner.y + chartRows - 1 - Int((f * Double(chartRows - 1)).rounded())
                        canvas.put(String(repeating: unicode ? "╌" : "-", count: barWidth), x: x, y: y, style: theme.warning)
                    }
                }
            }
            let label = String(column + 1)
            canvas.put(here ? String(theme.glyphs.arrowUp) : (label.count < slotWidth ? label : (i % 5 == 4 ? "|" : " ")),
                       x: x, y: inner.y + chartRows, style: here ? theme.title : theme.muted)
        }
        var legend = "t=\(layer.startColumn + focus + 1)"
        for bar in bars {
            let v = focus < bar.values.count ? bar.values[focus] : .nan
            legend += bar.legend.isEmpty ? (versus == nil ? " " : "  \(bar.glyph) ") : "  \(bar.glyph) \(bar.legend) "
            legend += Format.number(v, digits: 2)
        }
        if case .norm(let v) = s.trace.options.clipping {
            legend += "  clip \(Format.number(v)): \(Format.number(s.trace.clip.normBefore, digits: 2))→\(Format.number(s.trace.clip.normAfter, digits: 2))"
        }
        // ASCII has no ∏: the product is spelled out, so it cannot be read as another symbol.
        let texts = theme.glyphs == .ascii ? series.boundText.map { $0.replacingOccurrences(of: "∏", with: "prod ") } : series.boundText
        let fits = texts.first { $0.count <= inner.width } ?? texts.last ?? ""
        // Side by side, the line names the two models' bars instead.
        let names = versus.map { v in "█ \(v.labels.first ?? "")  \(bars.last?.glyph ?? " ") \(v.labels.last ?? "")" }
        let second = s.trace.nonFiniteBackwardColumn.map { "NaN/Inf from step \($0 + 1) back" } ?? names ?? fits
        canvas.put(second, x: inner.x, y: inner.maxY - 2, style: s.trace.nonFiniteBackwardColumn == nil ? theme.muted : theme.warning, clip: inner)
        canvas.put(legend, x: inner.x, y: inner.maxY - 1, style: theme.text, clip: inner)
    }

    /// One vertical bar of `rows` cells: full cells, then an eighth block; NaN or Inf as a warning mark.
    static func draw(_ value: Double, fraction f: Double, x: Int, top: Int, rows: Int, glyph: Character, style: Style,
                     theme: Theme, into canvas: inout Canvas) {
        if !value.isFinite {
            canvas.put(value.isNaN ? "N" : "!", x: x, y: top, style: theme.warning)
            return
        }
        guard f > 0 else { return }
        let eighths = Int((f * Double(rows * 8)).rounded())
        for r in 0..<rows {
            let level = eighths - r * 8
            guard level > 0 else { break }
            let y = top + rows - 1 - r
            let ch: Character = level >= 8 ? glyph : (glyph == "█" ? theme.glyphs.eighths[level - 1] : glyph)
            canvas.put(String(ch), x: x, y: y, style: style)
        }
    }
}
