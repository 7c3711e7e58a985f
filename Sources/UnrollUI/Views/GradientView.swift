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

    /// What the panel draws: the selected layer's series and trace, how far the timeline has revealed it, and the
    /// inspected column; made by ``Session/gradientPanel``.
    public struct Model: Sendable {
        /// The selected layer's series (nil: none to draw, the panel's box alone).
        public var series: GradientSeries?
        /// The trace: its layers, clipping, cuts and non-finite marks.
        public var trace: Trace<Double>
        /// The selected layer: an index into `trace.layers`.
        public var selectedLayer: Int
        /// How far the timeline has revealed the trace.
        public var reveal: Reveal
        /// The column the inspector shows, kept in view.
        public var inspectedColumn: Int

        /// A model of the panel; the parameters are its properties.
        public init(
            series: GradientSeries?, trace: Trace<Double>, selectedLayer: Int, reveal: Reveal, inspectedColumn: Int
        ) {
            self.series = series
            self.trace = trace
            self.selectedLayer = selectedLayer
            self.reveal = reveal
            self.inspectedColumn = inspectedColumn
        }
    }

    /// Where the slots of the chart go: one per step, the bars side by side then a gap; narrower slots (down to one
    /// column per series, no gap) before any step is dropped; only when even those do not fit, the slots scroll with
    /// the graph.
    struct Slots {
        /// The steps shown (0-based within the layer), and how many the layer has.
        var shown: Range<Int>
        var count: Int
        /// The inspected step within the layer, clamped to it.
        var focus: Int
        /// The first slot's x, each slot's width and each bar's.
        var x0: Int
        var slotWidth: Int
        var barWidth: Int
        /// The chart's top line and number of lines.
        var top: Int
        var rows: Int

        /// The slots for `bars` series of `layer`'s steps in `inner`, the chart starting at line `top`.
        init(layer: LayerTrace<Double>, bars: Int, inspectedColumn: Int, inner: Rect, top: Int, rows: Int) {
            count = layer.steps.count
            let chartWidth = inner.width - 6
            slotWidth = max(bars, min(7, chartWidth / max(1, count)))
            barWidth = max(1, (slotWidth - (slotWidth > bars ? 1 : 0)) / bars)
            let scrolls = count * slotWidth > chartWidth
            let slots = max(1, scrolls ? (chartWidth - String(count).count - 1) / slotWidth : count)
            focus = max(0, min(count - 1, inspectedColumn - layer.startColumn))
            let first = max(0, min(count - slots, focus - slots / 2))
            shown = first..<min(count, first + slots)
            x0 = inner.x + 6
            self.top = top
            self.rows = rows
        }
    }

    /// Renders the panel into `rect`.
    public static func render(_ m: Model, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        render(m, versus: nil, theme: theme, into: &canvas, rect)
    }

    /// Renders the panel into `rect`, with a second model's bars when `versus` is given: the box, the clipping line,
    /// the axis, the bars and bounds per slot, the step labels, and the two legend lines.
    static func render(_ m: Model, versus: Versus?, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let title = m.series.flatMap { s in s.titles.first { $0.count + 4 <= rect.width } ?? s.titles.last } ?? "∂L/∂h"
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: title)
        let inner = rect.insetBy(dx: 1, dy: 1)
        guard inner.height >= 4, inner.width >= 12, let series = m.series,
            m.trace.layers.indices.contains(m.selectedLayer)
        else {
            return
        }
        let layer = m.trace.layers[m.selectedLayer]
        let bars = bars(series, versus: versus, skip: m.trace.spec.skip != nil, theme: theme)
        // Side by side, one axis covers both models.
        let floor = min(series.floor, versus?.series.floor ?? series.floor)
        let ceiling = max(series.ceiling, versus?.series.ceiling ?? series.ceiling)
        let fraction = { (x: Double) -> Double in
            if x.isNaN { return .nan }
            if x.isInfinite { return 1 }
            return Palette.logFraction(x, floor: floor, ceiling: ceiling)
        }
        // No gradient value is shown before the backward phase, nor while a question about the gradients is open:
        // no bar, no axis end, no value in the bottom line, no clipped norm.
        let masked = m.reveal.showsNoGradients
        // When clipping changed the gradient, a line above the chart says so, with the norm before and after.
        let clipLine = masked ? nil : clipText(m.trace.clip).flatMap { inner.height >= 5 ? $0 : nil }
        if let clipLine {
            canvas.put(
                Format.fitted(clipLine, width: inner.width), x: inner.x, y: inner.y, style: theme.warning, clip: inner)
        }
        let slots = Slots(
            layer: layer, bars: bars.count, inspectedColumn: m.inspectedColumn, inner: inner,
            top: inner.y + (clipLine == nil ? 0 : 1), rows: inner.height - 3 - (clipLine == nil ? 0 : 1))
        // The axis: its ceiling on the top row, its floor on the bottom row (they give the range away: masked too).
        if !masked {
            canvas.put(Format.number(ceiling, digits: 1), x: inner.x, y: slots.top, style: theme.muted)
            canvas.put(Format.number(floor, digits: 1), x: inner.x, y: slots.top + slots.rows - 1, style: theme.muted)
        }
        drawChunkCuts(
            m.trace.truncationCuts, startColumn: layer.startColumn, shown: slots.shown, x0: slots.x0,
            slotWidth: slots.slotWidth, top: slots.top, rows: slots.rows, theme: theme, into: &canvas)
        if masked {
            let words =
                m.reveal.phase == .forward
                ? "Gradients flow in the backward phase: step past the last column, or press Tab."
                : "Gradients \(Reveal.mask)."
            let note = CaptionView.wrap(words, width: inner.width - 8, lines: max(1, slots.rows - 1))
            for (i, line) in note.enumerated() {
                canvas.put(line, x: slots.x0, y: slots.top + 1 + i, style: theme.muted, clip: inner)
            }
        }
        drawSlots(
            m, series: series, bars: bars, layer: layer, slots: slots, fraction: fraction, theme: theme, into: &canvas)
        drawStepLabels(m, layer: layer, slots: slots, inner: inner, theme: theme, into: &canvas)
        drawLegend(
            m, series: series, bars: bars, layer: layer, focus: slots.focus, versus: versus, inner: inner, theme: theme,
            into: &canvas)
    }

    /// The series of bars in each slot: ‖∂L/∂h_t‖, ‖∂L/∂c_t‖ for an LSTM, the skip comparison, the second model's.
    static func bars(_ series: GradientSeries, versus: Versus?, skip: Bool, theme: Theme) -> [Bars] {
        let unicode = theme.glyphs == .unicode
        var bars = [Bars(values: series.hidden, glyph: "█", style: theme.text, legend: "")]
        // Side by side the two models' ‖∂L/∂h_t‖ are the comparison: the first's ‖∂L/∂c_t‖ would take a third of
        // each slot and the legend's room for the second model's value.
        if let cell = series.cell, versus == nil {
            bars.append(Bars(values: cell, glyph: unicode ? "▓" : "#", style: theme.title, legend: "c"))
        }
        if let other = series.comparison {
            bars.append(
                Bars(
                    values: other, glyph: unicode ? "▒" : ":", style: theme.muted,
                    legend: skip ? "no skip" : "with skip"))
        }
        if let versus {
            bars.append(
                Bars(
                    values: versus.series.hidden, glyph: unicode ? (series.comparison == nil ? "▒" : "░") : "+",
                    style: theme.title, legend: ""))
        }
        return bars
    }

    /// Each shown slot's bars, once its gradient has arrived in the backward phase, and the bound's dash over them.
    static func drawSlots(
        _ m: Model, series: GradientSeries, bars: [Bars], layer: LayerTrace<Double>, slots: Slots,
        fraction: (Double) -> Double, theme: Theme, into canvas: inout Canvas
    ) {
        for (j, i) in slots.shown.enumerated() {
            let x = slots.x0 + j * slots.slotWidth
            guard m.reveal.phase == .backward && m.reveal.gradientArrived(column: layer.startColumn + i) else {
                continue
            }
            for (n, bar) in bars.enumerated() where i < bar.values.count {
                let v = bar.values[i]
                let style = n == 0 ? theme.foreground(forMagnitude: fraction(v)) : bar.style
                for b in 0..<slots.barWidth {
                    draw(
                        v, fraction: fraction(v), x: x + n * slots.barWidth + b, top: slots.top, rows: slots.rows,
                        glyph: bar.glyph, style: style, theme: theme, into: &canvas)
                }
            }
            if let bound = series.bound, i < bound.count, let v = bound[i] {
                let f = fraction(v)
                if f > 0 && f <= 1 {
                    let y = slots.top + slots.rows - 1 - Int((f * Double(slots.rows - 1)).rounded())
                    canvas.put(
                        String(repeating: theme.glyphs == .unicode ? "╌" : "-", count: slots.barWidth), x: x, y: y,
                        style: theme.warning)
                }
            }
        }
    }

    /// The step numbers under the slots, the inspected one marked, and "◀n" and "n▶" counting the steps out of view.
    static func drawStepLabels(
        _ m: Model, layer: LayerTrace<Double>, slots: Slots, inner: Rect, theme: Theme,
        into canvas: inout Canvas
    ) {
        let y = slots.top + slots.rows
        let here = layer.columns.contains(m.inspectedColumn) ? m.inspectedColumn - layer.startColumn : nil
        // The marks first, and no step number beside them (else "10" and "190▶" read as "10190▶").
        let left = slots.shown.lowerBound > 0 ? "◀\(slots.shown.lowerBound)" : ""
        let right = slots.shown.upperBound < slots.count ? "\(slots.count - slots.shown.upperBound)▶" : ""
        drawLabels(
            shown: slots.shown, count: slots.count, startColumn: layer.startColumn, here: here, x0: slots.x0,
            slotWidth: slots.slotWidth, y: y, limit: inner.maxX - (right.isEmpty ? 0 : right.count + 1),
            reserved: left.isEmpty ? [] : [inner.x..<inner.x + left.count + 1], theme: theme, into: &canvas)
        if !left.isEmpty { canvas.put(left, x: inner.x, y: y, style: theme.warning) }
        if !right.isEmpty { canvas.put(right, x: inner.maxX - right.count, y: y, style: theme.warning) }
    }

    /// The two lines under the chart: the bound's text (or the two models' names, or where NaN/Inf began), then the
    /// legend in whole parts: the step, each series' value, the clipping threshold and its effect.
    static func drawLegend(
        _ m: Model, series: GradientSeries, bars: [Bars], layer: LayerTrace<Double>, focus: Int,
        versus: Versus?, inner: Rect, theme: Theme, into canvas: inout Canvas
    ) {
        let trace = m.trace
        let t = layer.startColumn + focus + 1
        // Each value is named by its loss (‖∂L_6/∂h_4‖ for the loss at step 6 alone, ‖∂L/∂h_4‖ for the total, as
        // the inspector and the equations write it), so no two places on a screen show two numbers under one name.
        let name = "‖∂\(series.lossName)/∂h_\(t)‖"
        let masked = m.reveal.showsNoGradients
        // Side by side, two models' values follow the step (the title names their loss).
        var parts = [masked || versus != nil ? "t=\(t)" : name]
        if masked {
            if m.reveal.phase == .backward { parts = [name, Reveal.mask] }
        } else {
            for bar in bars {
                let v = focus < bar.values.count ? bar.values[focus] : .nan
                if bar.legend.isEmpty {
                    if versus == nil {
                        parts[parts.count - 1] += " " + Format.number(v, digits: 2)
                    } else {
                        parts.append("\(bar.glyph) " + Format.number(v, digits: 2))
                    }
                } else if bar.legend == "c" {
                    parts.append("\(bar.glyph) ‖∂\(series.lossName)/∂c_\(t)‖ " + Format.number(v, digits: 2))
                } else {
                    parts.append("\(bar.glyph) \(bar.legend) " + Format.number(v, digits: 2))
                }
            }
        }
        if !masked, case .norm(let v) = trace.options.clipping {
            parts.append(
                "clip \(Format.number(v)): \(Format.number(trace.clip.normBefore, digits: 2))→\(Format.number(trace.clip.normAfter, digits: 2))"
            )
        }
        let legend = Format.fittingItems(parts, separator: "  ", width: inner.width)
        // ASCII has no ∏: the product is spelled out, so it cannot be read as another symbol.
        let texts =
            theme.glyphs == .ascii
            ? series.boundText.map { $0.replacingOccurrences(of: "∏", with: "prod ") } : series.boundText
        let fits = texts.first { $0.count <= inner.width } ?? texts.last ?? ""
        // Side by side, the line names the two models' bars instead.
        let names = versus.map { v in "█ \(v.labels.first ?? "")  \(bars.last?.glyph ?? " ") \(v.labels.last ?? "")" }
        let nonFinite = masked ? nil : trace.nonFiniteBackwardColumn
        let second = nonFinite.map { "NaN/Inf from step \($0 + 1) back" } ?? names ?? fits
        canvas.put(
            Format.fitted(second, width: inner.width), x: inner.x, y: inner.maxY - 2,
            style: nonFinite == nil ? theme.muted : theme.warning, clip: inner)
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
    /// another, a `reserved` range (the marks of steps out of view) or running past `limit`.
    static func drawLabels(
        shown: Range<Int>, count: Int, startColumn: Int, here: Int?, x0: Int, slotWidth: Int, y: Int,
        limit: Int, reserved: [Range<Int>] = [], theme: Theme, into canvas: inout Canvas
    ) {
        let hereX = here.flatMap { shown.contains($0) ? x0 + ($0 - shown.lowerBound) * slotWidth : nil }
        if let hereX { canvas.put(String(theme.glyphs.arrowUp), x: hereX, y: y, style: theme.title) }
        // The last shown step's label is placed first, so the others stop before it.
        let order = shown.last.map { [$0] + shown.dropLast() } ?? []
        var taken: [Range<Int>] = reserved + (hereX.map { [$0 - 1..<$0 + 2] } ?? [])
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
    static func draw(
        _ value: Double, fraction f: Double, x: Int, top: Int, rows: Int, glyph: Character, style: Style,
        theme: Theme, into canvas: inout Canvas
    ) {
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
