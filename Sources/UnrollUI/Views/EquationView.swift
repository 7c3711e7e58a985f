import UnrollEngine
import UnrollLessons

/// The cell's equations, as on the slide, with the selected step's numbers for one unit, so the
/// formula and the number on screen meet. Every number is read from the trace.
public enum EquationView {
    /// The automatic unit: the one with the largest |h_t| at the selected step.
    static func unit(_ step: StepTrace<Double>) -> Int { RevealedTrace.automaticUnit(step) }

    /// The unit whose numbers are shown: the session's chosen unit when the layer has it, else the automatic one.
    static func unit(_ s: RevealedTrace, layer: LayerTrace<Double>, step: StepTrace<Double>) -> Int {
        s.unit(in: layer, step: step)
    }

    static func n(_ x: Double) -> String { Format.number(x, digits: 3) }
    static func p(_ x: Double) -> String { x < 0 ? "(\(n(x)))" : n(x) }

    /// The previous hidden and cell state of a step (h_0 and c_0 for the first).
    static func previous(_ layer: LayerTrace<Double>, _ step: StepTrace<Double>) -> (h: [Double], c: [Double]?) {
        let i = step.column - layer.startColumn
        let prev = layer.reverse ? i + 1 : i - 1
        if prev >= 0 && prev < layer.steps.count {
            return (layer.steps.hidden[prev].row(0), layer.steps.cell?[prev].row(0))
        }
        return (layer.initialHidden.row(0), layer.initialCell?.row(0))
    }

    /// Every equation of the selected layer (formula, then this step's numbers for the unit), laid out in
    /// `width × height` without cutting a token (`Equations.layout`).
    static func lines(
        _ s: RevealedTrace, step: StepTrace<Double>, layer: LayerTrace<Double>, width: Int, height: Int,
        firstPrefix: String = ""
    ) -> [Equations.Line] {
        Equations.layout(
            Equations.of(s, layer: layer, step: step, unit: unit(s, layer: layer, step: step)), width: width,
            height: height,
            firstPrefix: firstPrefix)
    }

    /// Every line of the selected layer's equations at `width`, none dropped (``lines(_:step:layer:width:height:firstPrefix:)``
    /// with room for all).
    static func all(
        _ s: RevealedTrace, step: StepTrace<Double>, layer: LayerTrace<Double>, width: Int
    ) -> [Equations.Line] {
        Equations.all(Equations.of(s, layer: layer, step: step, unit: unit(s, layer: layer, step: step)), width: width)
    }

    /// Renders the equations panel into `rect`.
    public static func render(_ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        render(s, theme: theme, into: &canvas, rect, draft: nil)
    }

    /// Renders the equations panel into `rect`, with the lines the layout already made (`Screen.Layout.equationsDraft`)
    /// when they were made at this panel's width and all fit: the same lines, not laid out a second time.
    static func render(
        _ s: RevealedTrace, theme: Theme, into canvas: inout Canvas, _ rect: Rect, draft: Screen.EquationsDraft?
    ) {
        guard let (layer, step) = InspectorView.selection(s), s.isRevealed(layer: layer, column: s.inspectedColumn)
        else {
            canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "Equations")
            return
        }
        canvas.drawBox(
            rect, glyphs: theme.glyphs, style: theme.border,
            title: "Equations · unit \(unit(s, layer: layer, step: step) + 1) of \(layer.hiddenSize)")
        let inner = rect.insetBy(dx: 1, dy: 1)
        let shown: [Equations.Line]
        if let draft, draft.width == inner.width - 1, draft.lines.count <= inner.height, inner.width - 1 > 4,
            inner.height > 0
        {
            shown = draft.lines
        } else {
            shown = lines(s, step: step, layer: layer, width: inner.width - 1, height: inner.height)
        }
        for (i, line) in shown.enumerated() {
            canvas.put(
                " " + Self.shown(line.text, theme), x: inner.x, y: inner.y + i, style: line.numbers ? theme.text : theme.title, clip: inner
            )
        }
    }

    /// An equation's text as `theme` draws it: in ASCII a square is `^2` (`tanh^2 c_t`), since folding ² to 2
    /// would read `tanh2c_t`.
    static func shown(_ text: String, _ theme: Theme) -> String {
        theme.glyphs == .ascii ? text.replacingOccurrences(of: "²", with: "^2 ") : text
    }
}
