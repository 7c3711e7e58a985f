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

        // When clipping changed the gradient, a line above the chart says so, with the norm before and after.
        let clipLine = clipText(s.trace.clip).flatMap { inner.height >= 5 ? $0 : nil }
        let top = inner.y + (clipLine == nil ? 0 : 1)
        if let clipLine {
            canvas.put(Format.fitted(clipLine, width: inner.width), x: inner.x, y: inner.y, style: theme.warning, clip: inner)
        }
        // One slot per step: the bars side by side, then a gap. Narrower slots (down to one column per series, no gap)
        // before any step is dropped; only when even those do not fit, the slots scroll with the graph, with "◀n" and
        // "n▶" on the label line counting the steps out of view.
        let chartRows = inner.height - 3 - (clipLine == nil ? 0 : 1)
        let count = layer.steps.count
        let chartWidth = inner.width - 6
        let slotWidth = max(bars.count, min(7, chartWidth / max(1, count)))
        let barWidth = max(1, (slotWidth - (slotWidth > bars.count ? 1 : 0)) / bars.count)
        let scrolls = count * slotWidth > chartWidth
        let slots = max(1, scrolls ? (chartWidth - String(count).count - 1) / slotWidth : count)
        let focus = max(0, min(count - 1, s.inspectedColumn - layer.startColumn))
        let first = max(0, min(count - slots, focus - slots / 2))
        let shown = first..<min(count, first + slots)
        let x0 = inner.x + 6
        // The axis: its ceiling on the top row, its floor on the bottom row.
        canvas.put(Format.number(ceiling, digits: 1), x: inner.x, y: top, style: theme.muted)
        canvas.put(Format.number(floor, digits: 1), x: inner.x, y: top + chartRows - 1, style: theme.muted)
        drawChunkCuts(s.trace.truncationCuts, startColumn: layer.startColumn, shown: shown, x0: x0, slotWidth: slotWidth,
                      top: top, rows: chartRows, theme: theme, into: &canvas)
        if s.phase == .forward {
            let note = CaptionView.wrap("Gradients flow in the backward phase: step past the last column, or press Tab.",
                                        width: inner.width - 8, lines: 3)
            for (i, line) in note.enumerated() { canvas.put(line, x: x0, y: top + 1 + i, style: theme.muted, clip: inner) }
        }
        for (j, i) in shown.enumerated() {
            let x = x0 + j * slotWidth
            let column = layer.startColumn + i
            if s.phase == .backward && s.gradientArrived(column: column) {
                for (n, bar) in bars.enumerated() where i < bar.values.count {
                    let v = bar.values[i]
                    let style = n == 0 ? theme.foreground(forMagnitude: fraction(v)) : bar.style
                    for b in 0..<barWidth {
                        draw(v, fraction: fraction(v), x: x + n * barWidth + b, top: top, rows: chartRows,
                             glyph: bar.glyph, style: style, theme: theme, into: &canvas)
                    }
                }
                if let bound = series.bound, i < bound.count, let v = bound[i] {
                    let f = fraction(v)
                    if f > 0 && f <= 1 {
                        let y = top + chartRows - 1 - Int((f * Double(chartRows - 1)).rounded())
                        canvas.put(String(repeating: unicode ? "╌" : "-", count: barWidth), x: x, y: y, style: theme.warning)
                    }
                }
            }
        }
        let here = layer.columns.contains(s.inspectedColumn) ? s.inspectedColumn - layer.startColumn : nil
        drawLabels(shown: shown, count: count, startColumn: layer.startColumn, here: here, x0: x0, slotWidth: slotWidth,
                   y: top + chartRows, limit: inner.maxX, theme: theme, into: &canvas)
        if shown.lowerBound > 0 {
            canvas.put("◀\(shown.lowerBound)", x: inner.x, y: top + chartRows, style: theme.warning)
        }
        if shown.upperBound < count {
            let mark = "\(count - shown.upperBound)▶"
            canvas.put(mark, x: inner.maxX - mark.count, y: top + chartRows, style: theme.warning)
        }
        // The legend line in whole parts: the step, each series' value, the clipping threshold and its effect.
        var parts = ["t=\(layer.startColumn + focus + 1)"]
        for bar in bars {
            let v = focus < bar.values.count ? bar.values[focus] : .nan
            if bar.legend.isEmpty {
                if versus == nil { parts[parts.count - 1] += " " + Format.number(v, digits: 2) }
                else { parts.append("\(bar.glyph) " + Format.number(v, digits: 2)) }
            } else {
                parts.append("\(bar.glyph) \(bar.legend) " + Format.number(v, digits: 2))
            }
        }
        if case .norm(let v) = s.trace.options.clipping {
            parts.append("clip \(Format.number(v)): \(Format.number(s.trace.clip.normBefore, digits: 2))→\(Format.number(s.trace.clip.normAfter, digits: 2))")
        }
        let legend = Format.fittingItems(parts, separator: "  ", width: inner.width)
        // ASCII has no ∏: the product is spelled out, so it cannot be read as another symbol.
        let texts = theme.glyphs == .ascii ? series.boundText.map { $0.replacingOccurrences(of: "∏", with: "prod ") } : series.boundText
        let fits = texts.first { $0.count <= inner.width } ?? texts.last ?? ""
        // Side by side, the line names the two models' bars instead.
        let names = versus.map { v in "█ \(v.labels.first ?? "")  \(bars.last?.glyph ?? " ") \(v.labels.last ?? "")" }
        let second = s.trace.nonFiniteBackwardColumn.map { "NaN/Inf from step \($0 + 1) back" } ?? names ?? fits
        canvas.put(Format.fitted(second, width: inner.width), x: inner.x, y: inner.maxY - 2,
                   style: s.trace.nonFiniteBackwardColumn == nil ? theme.muted : theme.warning, clip: inner)
        canvas.put(legend, x: inner.x, y: inner.maxY - 1, style: theme.text, clip: inner)
    }

    /// "clipped ‖g‖ 1.6e+03→1" (by norm) or "clipped |g|≤5 ‖g‖ 40→3.2" (by value) when clipping changed the gradient
    /// (`ClipReport.clipped`), else nil: the gradient panel's warning line and the header's clipping part.
    static func clipText(_ clip: ClipReport) -> String? {
        guard clip.clipped else { return nil }
        let norms = "‖g‖ \(Format.number(clip.normBefore, digits: 2))→\(Format.number(clip.normAfter, digits: 2))"
        switch clip.clipping {
        case .none: return nil
        case .norm: return "clipped " + norms
        case .value(let v): return "clipped |g|≤\(Format.number(v)) " + norms
        }
    }

    /// The step numbers under the slots, whole or not at all: every step's when they fit, else the first, the last,
    /// every fifth and the arrow under `here` (the inspected step, when it is one of the layer's), none overlapping
    /// another or running past `limit`.
    static func drawLabels(shown: Range<Int>, count: Int, startColumn: Int, here: Int?, x0: Int, slotWidth: Int, y: Int,
                           limit: Int, theme: Theme, into canvas: inout Canvas) {
        let hereX = here.flatMap { shown.contains($0) ? x0 + ($0 - shown.lowerBound) * slotWidth : nil }
        if let hereX { canvas.put(String(theme.glyphs.arrowUp), x: hereX, y: y, style: theme.title) }
        // The last shown step's label is placed first, so the others stop before it.
        let order = shown.last.map { [$0] + shown.dropLast() } ?? []
        var taken: [Range<Int>] = hereX.map { [$0 - 1..<$0 + 2] } ?? []
        for i in order where i != here {
            let x = x0 + (i - shown.lowerBound) * slotWidth
            let label = String(startColumn + i + 1)
            let wanted = label.count < slotWidth || i == 0 || i == count - 1 || (startColumn + i + 1) % 5 == 0
            let cells = x..<x + label.count
            guard wanted, cells.upperBound <= limit, !taken.contains(where: { $0.overlaps(cells) }) else { continue }
            canvas.put(label, x: x, y: y, style: theme.muted)
            taken.append(x - 1..<cells.upperBound + 1)
        }
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
