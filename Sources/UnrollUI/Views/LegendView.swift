/// The colour legend: what the graph's and inspector's colours mean, with numbers, in the bottom border of a panel.
///
/// Forward, nodes show values on the diverging map (−1 to +1) and, with the cross-entropy loss, outputs show
/// probabilities (0 to 1) on the sequential map; backward, |∂L/∂·| on the sequential log scale of
/// `GradientScale`, whose floor and ceiling the legend prints. In every theme: colours, or the monochrome
/// glyphs that stand for them.
public enum LegendView {
    /// The legend's pieces: a label, the low end, the scale's cells, the high end.
    struct Scale {
        var label: String
        var low: String
        var cells: [Cell]
        var high: String
        var width: Int { label.count + 1 + low.count + 1 + cells.count + 1 + high.count }
    }

    /// The scales the session's phase shows.
    static func scales(_ s: RevealedTrace, theme: Theme) -> [Scale] {
        // While a question about the gradients is open, their range is not printed: the values' scale instead.
        if s.phase == .backward && !s.reveal.hidesGradients {
            let scale = GradientScale(trace: s.trace)
            let cells = (0..<8).map { theme.style(forMagnitude: (Double($0) + 0.5) / 8) }
            let ascii = theme.glyphs == .ascii
            return [
                Scale(
                    label: ascii ? "|grad|" : "|∂L/∂·|",
                    low: (ascii ? "<=" : "≤") + Format.number(scale.floor, digits: 1),
                    cells: cells, high: (ascii ? ">=" : "≥") + Format.number(scale.ceiling, digits: 1))
            ]
        }
        let values = Scale(
            label: "values", low: "-1", cells: (-5...5).map { theme.style(forSigned: Double($0) / 5) }, high: "+1")
        guard s.trace.options.loss == .crossEntropy else { return [values] }
        let probabilities = Scale(
            label: "p", low: "0", cells: (0..<8).map { theme.style(forMagnitude: (Double($0) + 0.5) / 8) },
            high: "1")
        return [values, probabilities]
    }

    /// Draws the legend into the bottom border of `rect`, right-aligned, as many whole scales as fit.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard rect.height >= 2, rect.width >= 12 else { return }
        var shown: [Scale] = []
        var width = 0
        for scale in scales(s, theme: theme) where width + scale.width + 2 <= rect.width - 4 {
            shown.append(scale)
            width += scale.width + 2
        }
        guard !shown.isEmpty else { return }
        let y = rect.maxY - 1
        var x = rect.maxX - 2 - width
        for scale in shown {
            x = canvas.put(" " + scale.label + " " + scale.low + " ", x: x, y: y, style: theme.muted)
            for cell in scale.cells {
                canvas.set(cell, x: x, y: y)
                x += 1
            }
            x = canvas.put(" " + scale.high + " ", x: x, y: y, style: theme.muted)
        }
    }
}
