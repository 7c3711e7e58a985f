import UnrollEngine
import UnrollLessons

/// ‖∂L_T/∂h_t‖ for every step of the selected layer on a log scale, with the bound
/// σ_max(W_hh)^k·‖∂L_T/∂h_T‖ beside it, the clipping threshold, NaN and Inf marked, and the
/// same model with skip connections toggled for comparison.
public enum GradientView {
    /// Renders the panel into `rect`.
    public static func render(_ s: Session, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "‖∂L_T/∂h_t‖ (log)")
        let inner = rect.insetBy(dx: 1, dy: 1)
        guard inner.height >= 4, inner.width >= 12, s.trace.layers.indices.contains(s.selectedLayer) else { return }
        let layer = s.trace.layers[s.selectedLayer]
        let norms = layer.steps.map(\.lastLossGradientNorm)
        let other = s.comparison.flatMap { c in c.layers.first { $0.label == layer.label } }?.steps.map(\.lastLossGradientNorm)
        // The bound of Pascanu et al. holds for the Elman RNN (|act'| ≤ 1 for tanh, ReLU, identity; ¼ for sigmoid).
        let sigma = s.trace.spectrum(of: layer)?.largestSingularValue
        let lastLoss = (s.trace.lossColumns.last ?? (s.columns - 1)) - layer.startColumn
        let end = lastLoss >= 0 && lastLoss < norms.count ? norms[lastLoss] : (norms.last ?? 0)

        // Scale: six decades down from the largest value shown.
        let all = (norms + (other ?? [])).filter { $0.isFinite && $0 > 0 }
        let top = max(all.max() ?? 1, end)
        let bottom = top * 1e-6
        func fraction(_ x: Double) -> Double {
            if x.isNaN { return .nan }
            if x.isInfinite { return 1 }
            return Palette.logFraction(x, floor: bottom, ceiling: top)
        }

        // One slot per step: this model's bar, then the comparison's, then a gap; scrolled with the graph.
        let chartRows = inner.height - 3
        let count = layer.steps.count
        let slotWidth = max(other == nil ? 2 : 3, min(7, (inner.width - 6) / max(1, count)))
        let barWidth = other == nil ? slotWidth - 1 : (slotWidth - 1) / 2
        let slots = max(1, (inner.width - 6) / slotWidth)
        let focus = max(0, min(count - 1, s.inspectedColumn - layer.startColumn))
        let first = max(0, min(count - slots, focus - slots / 2))
        let shown = first..<min(count, first + slots)
        let x0 = inner.x + 6
        canvas.put(Format.number(top, digits: 1), x: inner.x, y: inner.y, style: theme.muted)
        canvas.put(Format.number(bottom, digits: 1), x: inner.x, y: inner.y + chartRows - 1, style: theme.muted)
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
                for b in 0..<barWidth {
                    draw(norms[i], fraction: fraction(norms[i]), x: x + b, top: inner.y, rows: chartRows, glyph: "█",
                         style: theme.foreground(forMagnitude: fraction(norms[i])), theme: theme, into: &canvas)
                    if let other {
                        draw(other[i], fraction: fraction(other[i]), x: x + barWidth + b, top: inner.y, rows: chartRows,
                             glyph: theme.glyphs == .unicode ? "▒" : ":", style: theme.muted, theme: theme, into: &canvas)
                    }
                }
                if let sigma, i <= lastLoss, end > 0 {
                    let bound = end * Double.pow(sigma, Double(lastLoss - i))
                    let f = fraction(bound)
                    if f > 0 && f < 1 {
                        let y = inner.y + chartRows - 1 - Int((f * Double(chartRows - 1)).rounded())
                        canvas.put(String(repeating: theme.glyphs == .unicode ? "╌" : "-", count: barWidth), x: x, y: y, style: theme.warning)
                    }
                }
            }
            let label = String(column + 1)
            canvas.put(here ? String(theme.glyphs.arrowUp) : (label.count < slotWidth ? label : (i % 5 == 4 ? "|" : " ")),
                       x: x, y: inner.y + chartRows, style: here ? theme.title : theme.muted)
        }
        let value = focus < norms.count ? norms[focus] : .nan
        var legend = "t=\(layer.startColumn + focus + 1) \(Format.number(value, digits: 2))"
        if let other {
            let o = focus < other.count ? other[focus] : .nan
            legend += (theme.glyphs == .unicode ? "  ▒ " : "  : ") + (s.trace.spec.skip == nil ? "with skip " : "no skip ") + Format.number(o, digits: 2)
        }
        if case .norm(let v) = s.trace.options.clipping {
            legend += "  clip \(Format.number(v)): \(Format.number(s.trace.clip.normBefore, digits: 2))→\(Format.number(s.trace.clip.normAfter, digits: 2))"
        }
        var second = sigma.map { "╌ bound σmax^k, σmax=\(Format.number($0, digits: 2))" } ?? "gated cell: no σmax^k bound"
        if let f = s.trace.nonFiniteBackwardColumn { second = "NaN/Inf from step \(f + 1) back" }
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
