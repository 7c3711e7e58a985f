import UnrollEngine
import UnrollLessons

/// The cell's equations, as on the slide, with the selected step's numbers for one unit, so the
/// formula and the number on screen meet. Every number is read from the trace.
public enum EquationView {
    /// The unit whose numbers are shown: the one with the largest |h_t| at the selected step.
    static func unit(_ step: StepTrace<Double>) -> Int {
        let h = step.hidden.row(0)
        return h.indices.max { abs(h[$0]) < abs(h[$1]) } ?? 0
    }

    static func n(_ x: Double) -> String { Format.number(x, digits: 3) }
    static func p(_ x: Double) -> String { x < 0 ? "(\(n(x)))" : n(x) }

    /// The previous hidden and cell state of a step (h_0 and c_0 for the first).
    static func previous(_ layer: LayerTrace<Double>, _ step: StepTrace<Double>) -> (h: [Double], c: [Double]?) {
        let i = step.column - layer.startColumn
        let prev = layer.reverse ? i + 1 : i - 1
        if prev >= 0 && prev < layer.steps.count { return (layer.steps[prev].hidden.row(0), layer.steps[prev].cell?.row(0)) }
        return (layer.initialHidden.row(0), layer.initialCell?.row(0))
    }

    /// Every equation of the cell as a formula and, below it, the same equation with this step's numbers.
    public static func lines(_ s: Session, step: StepTrace<Double>, layer: LayerTrace<Double>) -> [String] {
        let u = unit(step)
        let pre = step.preactivation.row(0)
        let h = step.hidden.row(0)
        let hs = layer.hiddenSize
        var out: [String] = []
        func eq(_ formula: String, _ numbers: String) { out.append(formula); out.append("    = " + numbers) }
        switch s.trace.spec.cell {
        case .rnn:
            let act = s.trace.spec.activation.rawValue
            eq("h_t = \(act)(W_hh h_t-1 + W_ih x_t + b)", "\(act)(\(n(pre[u]))) = \(n(h[u]))")
        case .lstm:
            let g = step.gates.map { $0.row(0) }
            for (k, (name, f)) in [("i", "σ"), ("f", "σ"), ("g", "tanh"), ("o", "σ")].enumerated() {
                eq("\(name) = \(f)(W_\(name)[x,h] + b_\(name))", "\(f)(\(n(pre[k * hs + u]))) = \(n(g[k][u]))")
            }
            let cPrev = previous(layer, step).c?[u] ?? 0
            let c = step.cell?.row(0)[u] ?? 0
            eq("c_t = f⊙c_t-1 + i⊙g", "\(n(g[1][u]))×\(p(cPrev)) + \(n(g[0][u]))×\(p(g[2][u])) = \(n(c))")
            eq("h_t = o⊙tanh(c_t)", "\(n(g[3][u]))×tanh(\(n(c))) = \(n(h[u]))")
        case .gru:
            let g = step.gates.map { $0.row(0) }
            let hPrev = previous(layer, step).h[u]
            eq("r = σ(W_ir x + W_hr h + b_r)", "σ(\(n(pre[u]))) = \(n(g[0][u]))")
            eq("z = σ(W_iz x + W_hz h + b_z)", "σ(\(n(pre[hs + u]))) = \(n(g[1][u]))")
            eq("n = tanh(W_in x + b_in + r⊙(W_hn h + b_hn))", "tanh(\(n(pre[2 * hs + u]))) = \(n(g[2][u]))")
            eq("h_t = (1−z)⊙n + z⊙h_t-1",
               "\(n(1 - g[1][u]))×\(p(g[2][u])) + \(n(g[1][u]))×\(p(hPrev)) = \(n(h[u]))")
        }
        out.append("y_t = W_hy h_t + b_y")
        if s.phase == .backward {
            out.append("∂L/∂h_t-1 = (∂h_t/∂h_t-1)ᵀ ∂L/∂h_t + ∂L_t-1/∂h_t-1")
            out.append("‖∂h_t/∂h_t-1‖ = \(n(step.jacobianNorm))")
            if let line = boundLine(s, layer: layer) { out.append(line) }
        }
        return out
    }

    /// Pascanu's bound on the one-step Jacobian, `≤ max|f'|·σmax(W_hh)` (max|f'| = 1, or ¼ for sigmoid), only for a plain Elman layer,
    /// where it holds (the lab's `ElmanFactor`); nil for every other layer.
    static func boundLine(_ s: Session, layer: LayerTrace<Double>) -> String? {
        guard let e = s.elmanFactor(of: layer) else { return nil }
        let sigma = Format.number(e.sigma, digits: 3)
        if e.gamma == 1 { return "  ≤ σmax(W_hh) = \(sigma)" }
        return "  ≤ ¼·σmax(W_hh) = ¼×\(sigma) = \(Format.number(e.factor, digits: 3))"
    }

    /// The state update (formula and numbers), for the inspector when there is no room for the full panel.
    public static func stateUpdate(_ s: Session, step: StepTrace<Double>, layer: LayerTrace<Double>) -> [String] {
        let all = lines(s, step: step, layer: layer)
        let stateLine = all.lastIndex { $0.hasPrefix(s.trace.spec.cell == .lstm ? "c_t" : "h_t") } ?? 0
        return ["unit \(unit(step) + 1): " + all[stateLine], all[stateLine + 1]]
    }

    /// Renders the equations panel into `rect`.
    public static func render(_ s: Session, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard let (layer, step) = InspectorView.selection(s), s.isRevealed(layer: layer, column: s.inspectedColumn) else {
            canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "Equations")
            return
        }
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border,
                       title: "Equations · unit \(unit(step) + 1) of \(layer.hiddenSize)")
        let inner = rect.insetBy(dx: 1, dy: 0)
        var y = rect.y + 1
        for line in lines(s, step: step, layer: layer) where y < rect.maxY - 1 {
            let numbers = line.hasPrefix("    =") || line.hasPrefix("  ≤")
            canvas.put(" " + line, x: inner.x, y: y, style: numbers ? theme.text : theme.title, clip: inner)
            y += 1
        }
    }
}
