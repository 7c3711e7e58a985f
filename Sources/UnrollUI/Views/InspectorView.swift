import Foundation
import UnrollEngine
import UnrollLessons

/// The selected node: its hidden state and, for an LSTM, the gates i, f, g, o and the cell state;
/// for a GRU the gates r, z and the candidate n; for an RNN the pre-activation. One row per unit,
/// each value as a bar and a number. In the backward phase the gradients ∂L/∂h (and ∂L/∂c).
public enum InspectorView {
    /// One column of the table: its heading, its values per unit, and how to draw them.
    struct Column {
        enum Kind { case gate, signed, gradient }
        var title: String
        var values: [Double]
        var kind: Kind
    }

    /// The selected layer's trace and step, if the inspected column is one of its steps.
    static func selection(_ s: RevealedTrace) -> (LayerTrace<Double>, StepTrace<Double>)? { s.inspected }

    /// The columns for the inspected step; `room` is how many fit (a wide inspector keeps an LSTM's i, g and o in
    /// the backward phase).
    static func columns(_ s: RevealedTrace, _ step: StepTrace<Double>, room: Int = 6) -> [Column] {
        let g = step.gates.map { $0.row(0) }
        let h = step.hidden.row(0)
        let dh = step.hiddenGradient.row(0)
        let backward = s.phase == .backward
        switch s.trace.spec.cell {
        case .rnn:
            var cols = [
                Column(title: "a_t", values: step.preactivation.row(0), kind: .signed),
                Column(title: "h_t", values: h, kind: .signed)
            ]
            if backward { cols.append(Column(title: "∂L/∂h", values: dh, kind: .gradient)) }
            return cols
        case .lstm:
            let c = step.cell?.row(0) ?? []
            if backward && room >= 8 {
                return [
                    Column(title: "i", values: g[0], kind: .gate), Column(title: "f", values: g[1], kind: .gate),
                    Column(title: "g", values: g[2], kind: .signed), Column(title: "o", values: g[3], kind: .gate),
                    Column(title: "c_t", values: c, kind: .signed),
                    Column(title: "∂L/∂c", values: step.cellGradient?.row(0) ?? [], kind: .gradient),
                    Column(title: "h_t", values: h, kind: .signed), Column(title: "∂L/∂h", values: dh, kind: .gradient)
                ]
            }
            if backward {
                return [
                    Column(title: "f", values: g[1], kind: .gate), Column(title: "c_t", values: c, kind: .signed),
                    Column(title: "∂L/∂c", values: step.cellGradient?.row(0) ?? [], kind: .gradient),
                    Column(title: "h_t", values: h, kind: .signed), Column(title: "∂L/∂h", values: dh, kind: .gradient)
                ]
            }
            return [
                Column(title: "i", values: g[0], kind: .gate), Column(title: "f", values: g[1], kind: .gate),
                Column(title: "g", values: g[2], kind: .signed), Column(title: "o", values: g[3], kind: .gate),
                Column(title: "c_t", values: c, kind: .signed), Column(title: "h_t", values: h, kind: .signed)
            ]
        case .gru:
            if backward {
                return [
                    Column(title: "z", values: g[1], kind: .gate), Column(title: "h_t", values: h, kind: .signed),
                    Column(title: "∂L/∂h", values: dh, kind: .gradient)
                ]
            }
            return [
                Column(title: "r", values: g[0], kind: .gate), Column(title: "z", values: g[1], kind: .gate),
                Column(title: "n", values: g[2], kind: .signed), Column(title: "h_t", values: h, kind: .signed)
            ]
        }
    }

    /// A value in at most five characters, always signed: `+0.42`, `-1.50`, `+12.3`, `+3e-5`, `-1e20`. A magnitude
    /// below 10⁻⁹ (whose exponent would need a sixth character) is `+0.00` or `-0.00`, as printf rounds it.
    public static func short(_ x: Double) -> String {
        if x.isNaN { return "  NaN" }
        if x.isInfinite { return x > 0 ? " +Inf" : " -Inf" }
        let a = abs(x)
        let s: String
        if (a != 0 && a < 0.005 && a >= 1e-9) || a >= 99_999.5 {
            // One significant digit and the exponent without its zeros or "+": +2e-3, -5e-9, +1e20, -3e102 (six).
            let parts = Format.printf("%+.0e", x).split(separator: "e")
            let exponent = Int(parts.last ?? "") ?? 0
            s = (parts.first.map(String.init) ?? "") + "e" + String(exponent)
        } else if a < 9.995 {
            s = Format.signed(x, decimals: 2)
        } else if a < 99.95 {
            s = Format.signed(x, decimals: 1)
        } else {
            s = Format.signed(x, decimals: 0)
        }
        return String(repeating: " ", count: max(0, 5 - s.count)) + s
    }

    /// The equations below the table, in the rows the units leave (at least three units, two in the backward
    /// phase, or all when fewer, stay): whole equations, the least important dropped with a marker (`Equations.layout`).
    static func equations(
        _ s: RevealedTrace, step: StepTrace<Double>, layer: LayerTrace<Double>, _ inner: Rect
    ) -> [Equations.Line] {
        let least = s.phase == .backward ? 2 : 3
        let unitRows = min(layer.hiddenSize, least + 1) // `least` units and the "… more units" row, or all
        // The output readout's line, when the step has one, comes before the equations.
        let readout = OutputReadout.line(s, column: s.inspectedColumn, width: inner.width) == nil ? 0 : 1
        let rows = max(2, inner.height - 2 - readout - unitRows)
        return EquationView.lines(
            s, step: step, layer: layer, width: inner.width, height: rows,
            firstPrefix: "unit \(EquationView.unit(s, layer: layer, step: step) + 1): ")
    }

    /// How many table rows of the inspector in `rect` show a unit (rows 1 … n below the heading, the "… more
    /// units" row not counted), for the layer and step selected.
    static func unitRowCount(
        _ s: RevealedTrace, _ rect: Rect, withEquations: Bool,
        layer: LayerTrace<Double>, step: StepTrace<Double>
    ) -> (shown: Int, clickable: Int) {
        let inner = rect.insetBy(dx: 1, dy: 1)
        let equationLines = withEquations ? equations(s, step: step, layer: layer, inner).count : 0
        // The output readout's line is kept from the equations, not the units: without them it shows in a spare line.
        let readout =
            withEquations && OutputReadout.line(s, column: s.inspectedColumn, width: inner.width) != nil ? 1 : 0
        let shown = min(layer.hiddenSize, max(0, inner.height - 2 - readout - equationLines))
        return (shown, shown < layer.hiddenSize ? max(0, shown - 1) : shown)
    }

    /// The unit (0-based) whose inspector row is at screen cell (`x`, `y`) in the screen's `layout`, or nil
    /// when the cell is not on a unit's row (or the step is not computed yet).
    public static func unit(at x: Int, _ y: Int, session s: Session, layout: Screen.Layout) -> Int? {
        let rect = layout.inspector
        let shown = s.revealedTrace
        guard !rect.isEmpty, x > rect.x, x < rect.maxX - 1, let (layer, step) = selection(shown),
            shown.isRevealed(layer: layer, column: shown.inspectedColumn)
        else { return nil }
        // As `Screen.render` draws it: the equations below the table when they have no panel of their own.
        let withEquations = s.lesson.display.panels.contains(.equations) && layout.equations.isEmpty
        let rows = unitRowCount(shown, rect, withEquations: withEquations, layer: layer, step: step)
        let u = y - (rect.y + 2)
        return u >= 0 && u < rows.clickable ? u : nil
    }

    /// Renders the inspector into `rect`; with `withEquations`, the state update equation below the table.
    public static func render(
        _ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect, withEquations: Bool
    ) {
        guard rect.height >= 3 else { return }
        guard let (layer, step) = selection(s) else {
            canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "Inspector")
            canvas.put("no step of this layer here", x: rect.x + 2, y: rect.y + 1, style: theme.muted)
            return
        }
        let c = s.inspectedColumn
        let token = c < s.inputLabels.count ? s.inputLabels[c] : ""
        let title = "\(layer.label) · step \(c + 1)" + (token.isEmpty ? "" : " '\(token)'")
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: title)
        let inner = rect.insetBy(dx: 1, dy: 1)
        let revealed = s.isRevealed(layer: layer, column: c)
        guard revealed else {
            canvas.put(
                "not computed yet: step forward to reach it", x: inner.x + 1, y: inner.y, style: theme.muted,
                clip: inner)
            return
        }
        let cellWidth = 7
        let cols = columns(s, step, room: (inner.width - 4) / cellWidth)
        let fit = max(1, min(cols.count, (inner.width - 4) / cellWidth))
        let shownCols = Array(cols.prefix(fit))
        let equationLines = withEquations ? equations(s, step: step, layer: layer, inner) : []
        let h = layer.hiddenSize
        let scale = GradientScale(trace: s.trace)
        canvas.put("u", x: inner.x + 1, y: inner.y, style: theme.muted)
        for (j, col) in shownCols.enumerated() {
            canvas.put(col.title, x: inner.x + 4 + j * cellWidth, y: inner.y, style: theme.title, clip: inner)
        }
        let shownUnits = unitRowCount(s, rect, withEquations: withEquations, layer: layer, step: step).shown
        // A unit chosen for the equations (click or . ,) is marked in the unit column.
        let chosen = s.selectedUnit.flatMap { $0 < h ? $0 : nil }
        for u in 0..<shownUnits {
            let y = inner.y + 1 + u
            let last = u == shownUnits - 1 && shownUnits < h
            canvas.put(
                last ? "…" : String(u + 1), x: inner.x, y: y,
                style: u == chosen && !last ? theme.highlight : theme.muted)
            if last {
                canvas.put("\(h - u) more units", x: inner.x + 4, y: y, style: theme.muted, clip: inner)
                continue
            }
            for (j, col) in shownCols.enumerated() where u < col.values.count {
                let v = col.values[u]
                let x = inner.x + 3 + j * cellWidth
                let fraction: Double, style: Style
                switch col.kind {
                case .gate:
                    fraction = v
                    style = theme.foreground(forMagnitude: v)
                case .signed:
                    fraction = abs(v)
                    style = theme.foreground(forSigned: v)
                case .gradient:
                    fraction = scale.fraction(abs(v))
                    style = theme.foreground(forMagnitude: fraction)
                }
                if col.kind == .gradient && s.reveal.hidesGradients {
                    // An open question asks about the gradients: the column keeps its place, its values masked.
                    canvas.put("    ·", x: x + 1, y: y, style: theme.muted)
                    continue
                }
                let bar = String(v.isNaN ? "?" : theme.glyphs.bar(max(0.0001, min(1, fraction))))
                let number = short(v)
                if theme.glyphs == .ascii {
                    // ASCII has no shading that does not read as punctuation (+0.96# +0.75+ -0.21,): the number
                    // alone, in the bar's colour.
                    canvas.put(number, x: x + 1, y: y, style: style)
                } else {
                    canvas.put(bar, x: x, y: y, style: style)
                    canvas.put(number, x: x + 1, y: y, style: theme.text)
                }
            }
        }
        var y = inner.y + 1 + shownUnits
        // The step's norms, whole items only (no number cut at the border); backward the gradient's first, named by
        // its loss: the total, as the equations and the presenter's figures (the gradient panel names its own).
        // A large lesson does not record the one-step Jacobians (`Lesson.jacobiansAreCheap`): no item rather than
        // "NaN" (the equations say they are not recorded).
        var items =
            s.trace.options.recordJacobians ? ["‖∂h_t/∂h_t-1‖=\(Format.number(step.jacobianNorm, digits: 2))"] : []
        if !step.cellJacobianNorm.isNaN { items.append("‖∂c/∂c'‖=\(Format.number(step.cellJacobianNorm, digits: 2))") }
        if s.reveal.hidesGradients {
            let masked = "‖∂L/∂h_t‖ " + Reveal.mask
            items.insert(masked.count <= inner.width ? masked : "‖∂L/∂h_t‖ hidden", at: 0)
        } else if s.phase == .backward {
            items.insert("‖∂L/∂h_t‖=\(Format.number(step.hiddenGradientNorm, digits: 2))", at: 0)
        } else if let l = s.trace.losses[c] {
            items.append("L_t=\(Format.number(l, digits: 3))")
        }
        let stats = Format.fittingItems(items, separator: " ", width: inner.width)
        if y < inner.maxY {
            canvas.put(stats, x: inner.x, y: y, style: theme.muted, clip: inner)
            y += 1
        }
        if y < inner.maxY, let readout = OutputReadout.line(s, column: c, width: inner.width) {
            canvas.put(readout, x: inner.x, y: y, style: theme.text, clip: inner)
            y += 1
        }
        for line in equationLines where y < inner.maxY {
            canvas.put(EquationView.shown(line.text, theme), x: inner.x, y: y, style: theme.text, clip: inner)
            y += 1
        }
    }
}
