import UnrollEngine

/// The parts of the notes' figures beyond the hidden rows: the conditioning vector v and the initial states h0 in a
/// lead column before the first step (Goodfellow fig. 10.9), the context C of an encoder–decoder with its edges into
/// the decoder (fig. 10.12), the deep transition's s_t on the recurrent edge and the input and output MLPs
/// (fig. 10.13).
extension GraphView {
    /// Width of the lead column: a label or a 4-cell node, a blank, its `─→` edge (into the first step's node).
    static let leadWidth = 7

    /// Whether the graph has a lead column: a vector-to-sequence model's v (and its h0 nodes).
    static func hasLead(_ trace: Trace<Double>) -> Bool {
        trace.spec.configuration != .encoderDecoder && trace.conditioning != nil
    }

    /// How the conditioning vector (or the context C) enters: at every step of the first layer, as every layer's
    /// initial state, both; nil when the model has none (the engine's `ModelSpec.conditioned(prefix:)`).
    static func conditioning(_ trace: Trace<Double>) -> (input: Bool, initial: Bool)? {
        let spec = trace.spec
        guard spec.configuration == .encoderDecoder || (spec.conditioningSize != nil && trace.conditioning != nil)
        else { return nil }
        return (spec.conditioning.asInput, spec.conditioning.asInitialState)
    }

    /// The name of the vector a column's extra input is: `v`, or `C` in a decoder.
    static func conditioningName(_ trace: Trace<Double>) -> String {
        trace.spec.configuration == .encoderDecoder ? "C" : "v"
    }

    /// The columns the vector enters as an input: every step (vector-to-sequence), or the decoder's.
    static func conditionedColumns(_ trace: Trace<Double>) -> Range<Int> {
        guard let mode = conditioning(trace), mode.input else { return 0..<0 }
        return (trace.decoderStartColumn ?? 0)..<trace.columns
    }

    /// The lead column (v, and h0 where v sets the initial state) and the vector's edges into every step it
    /// enters as an input: its name after each column's input arrow (`↑v`, `↑C`), or, with no such line, in the
    /// input row's label (`x_t+v`).
    static func drawParts(_ d: Drawing, into canvas: inout Canvas) {
        let (s, theme, v) = (d.s, d.theme, d.v)
        let trace = s.trace
        let name = conditioningName(trace)
        let marked = conditionedColumns(trace)
        if !marked.isEmpty {
            let inputArrow = d.rows.isEmpty ? nil : v.betweenArrows[d.rows.count - 1]
            if let y = inputArrow {
                for c in d.visibleColumns where marked.contains(c) {
                    let x = d.g.x(c, in: d.rect) + 2 + d.g.nodeWidth / 2
                    canvas.put(name, x: x, y: y, style: s.isRevealed(column: c) ? theme.title : theme.muted)
                }
            } else if d.g.first == 0 {
                // Without the arrow line, the input row's label says it (left out when the `◀n` mark needs the room).
                canvas.put("x_t +" + name, x: d.rect.x, y: v.input, style: theme.muted)
            }
        }
        drawMLPLabels(d, into: &canvas)
        guard d.g.lead > 0, let mode = conditioning(trace), let vector = trace.conditioning else { return }
        let x = d.rect.x + gutter
        let width = leadWidth - 3
        // v on the input line: its values, backward |∂L/∂v|.
        canvas.put("v", x: x, y: v.input, style: theme.title)
        drawVector(
            d, values: vector.row(0), gradient: trace.conditioningGradient?.row(0), x: x + 2, y: v.input,
            width: width, revealed: true, into: &canvas)
        guard mode.initial else { return }
        // h0 of every forward row (v sets every layer's), above v, with v's edge up through the lines between.
        for (r, row) in d.rows.enumerated() where !row.reverse && !row.cell {
            guard let layer = row.traces.first.map({ trace.layers[$0] }) else { continue }
            let y = v.nodes[r]
            canvas.put("h0", x: x, y: y, style: row.traces.contains(d.selected) ? theme.title : theme.text)
            for dy in 1..<max(1, v.nodeHeight) {
                drawVector(
                    d, values: layer.initialHidden.row(0), gradient: layer.initialHiddenGradient.row(0), x: x,
                    y: y + dy, width: width, revealed: true, into: &canvas)
            }
            if d.g.first == 0 {
                let glyphs = theme.glyphs
                let arrow =
                    s.phase == .backward
                    ? "\(glyphs.arrowLeft)\(glyphs.horizontal)" : "\(glyphs.horizontal)\(glyphs.arrowRight)"
                canvas.put(arrow, x: x + width + 1, y: y, style: theme.text)
            }
        }
        let up = String(s.phase == .backward ? theme.glyphs.arrowDown : theme.glyphs.arrowUp)
        let top = d.rows.firstIndex { !$0.reverse && !$0.cell } ?? 0
        for r in top..<d.rows.count {
            if let y = v.betweenArrows[r] { canvas.put(up, x: x + 2, y: y, style: theme.text) }
        }
    }

    /// A vector's cells in the lead column: forward its values, backward its gradient's magnitude (dots until the
    /// backward sweep has reached the first step).
    static func drawVector(
        _ d: Drawing, values: [Double], gradient: [Double]?, x: Int, y: Int, width: Int, revealed: Bool,
        into canvas: inout Canvas
    ) {
        let (s, theme) = (d.s, d.theme)
        if s.phase == .backward {
            guard s.gradientArrived(column: 0), let gradient else {
                canvas.put(repeating: "·", count: width, x: x, y: y, style: theme.muted)
                return
            }
            for (j, m) in cells(gradient, width: width, magnitude: true).enumerated() {
                canvas.set(theme.style(forMagnitude: d.scale.fraction(m)), x: x + j, y: y)
            }
            return
        }
        for (j, value) in cells(values, width: width, magnitude: false).enumerated() {
            canvas.set(theme.style(forSigned: value), x: x + j, y: y)
        }
    }

    /// The encoder's context C between the encoder's last step and the decoder's first: `C→` when C sets the
    /// decoder's initial state, `C` alone when it enters only as the decoder's input at every step (the decoder then
    /// starts from zeros, and the `↑C` marks are its edges).
    static func drawContextNode(_ d: Drawing, x: Int, y: Int, into canvas: inout Canvas) {
        let (s, theme) = (d.s, d.theme)
        guard let start = d.s.trace.decoderStartColumn else { return }
        let initial = conditioning(s.trace)?.initial ?? true
        canvas.put(
            "C" + (initial ? String(theme.glyphs.arrowRight) : ""), x: x, y: y,
            style: s.isRevealed(column: start) ? theme.title : theme.muted)
    }

    /// A deep transition's MLP on the recurrent edge: `s→` (h_t−1 → s_t → h_t); with the shortcut and a second
    /// line, the direct `─→` below it. The gutter names it `s: MLP` (the equations' s_t-1) on the row's second line.
    static func drawTransitionEdges(
        _ d: Drawing, layer: LayerTrace<Double>, column c: Int, y: Int, into canvas: inout Canvas
    ) {
        let (s, theme, glyphs) = (d.s, d.theme, d.theme.glyphs)
        let deep = s.trace.spec.deep
        guard deep.transition > 0, layer.columns.contains(c + 1), c + 1 < d.visibleColumns.upperBound,
            let edge = canvas.cell(x: d.g.x(c, in: d.rect) + 1 + d.g.nodeWidth, y: y)
        else { return }
        let x = d.g.x(c, in: d.rect) + 1 + d.g.nodeWidth
        let pointsLeft = layer.reverse != (s.phase == .backward)
        canvas.put(
            pointsLeft ? "\(glyphs.arrowLeft)s" : "s\(glyphs.arrowRight)", x: x, y: y, style: edge.style)
        if deep.shortcut && d.v.nodeHeight >= 2 {
            let arrow =
                pointsLeft ? "\(glyphs.arrowLeft)\(glyphs.horizontal)" : "\(glyphs.horizontal)\(glyphs.arrowRight)"
            canvas.put(arrow, x: x, y: y + 1, style: edge.style)
        }
        if c == d.visibleColumns.lowerBound && d.v.nodeHeight >= 2 {
            canvas.put("s: MLP", x: d.rect.x, y: y + 1, style: theme.muted)
        }
    }

    /// The input→hidden and hidden→output MLPs (`deep: {input, output}`) named on their arrow lines (`MLP×n`), or,
    /// with no arrow line, beside the input or output row's label.
    static func drawMLPLabels(_ d: Drawing, into canvas: inout Canvas) {
        let (deep, theme, v) = (d.s.trace.spec.deep, d.theme, d.v)
        if deep.input > 0 {
            let inputArrow = d.rows.isEmpty ? nil : v.betweenArrows[d.rows.count - 1]
            canvas.put(
                inputArrow == nil ? "x→MLP" : "MLP×\(deep.input)", x: d.rect.x, y: inputArrow ?? v.input,
                style: theme.muted)
        }
        if deep.output > 0 {
            canvas.put(
                v.outputArrow == nil ? "MLP→y" : "MLP×\(deep.output)", x: d.rect.x, y: v.outputArrow ?? v.output,
                style: theme.muted)
        }
    }
}
