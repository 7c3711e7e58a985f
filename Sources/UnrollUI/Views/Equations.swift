import UnrollEngine
import UnrollLessons
import UnrollSupport

/// One equation of the selected layer: its formula, the selected unit's numbers, and how much it
/// matters when the rows are too few for all of them.
///
/// Formulas join a weight to the vector it multiplies with a no-break space (`Equations.glue`), so
/// `Equations.wrap` breaks them only between whole terms.
struct Equation: Equatable {
    /// What the equation is, which decides what is kept when rows are short (lowest first).
    enum Role: Int, Comparable {
        /// The state update: h_t (RNN, GRU), c_t and h_t (LSTM).
        case state
        /// The LSTM/GRU gate pre-activation a_t, which holds the layer's extra terms.
        case input
        /// How the gradient reaches h_t (and c_t) in the backward phase.
        case backward
        /// The notation of the lecture notes, and the GRU's z convention.
        case notation
        /// One gate.
        case gate
        /// A symbol used above: s_t-1, x̃_t, h_0, ŷ_t-1, the input from the layer below, the context C.
        case definition
        /// The one-step Jacobian and its bound.
        case jacobian
        /// The recurrent weight's gradient as the notes' sum over steps, ∂L/∂W_hh = Σ_t δ_t h_t-1ᵀ, with its terms:
        /// kept after the Jacobian, which the lessons on vanishing gradients read.
        case weightSum
        /// The output y_t.
        case output

        static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }
    }

    /// The formula, e.g. `h_t = tanh(W_hh h_t-1 + W_ih x_t + b)`.
    var formula: String
    /// The selected unit's numbers, starting with `=` (or nil), e.g. `= tanh(0.68) = 0.591`.
    var numbers: String?
    /// What it is.
    var role: Role
}

/// The selected layer's equations, generated from the model: exactly the terms the layer has, in the
/// lecture notes' order, each with the selected unit's numbers read from the trace. Pure formatting:
/// every number is a recorded value (pre-activation, gate, state, gradient, Jacobian norm).
enum Equations {
    /// The no-break space that keeps a weight and its vector (`W_hh h_t-1`) on one line.
    static let glue = "\u{00A0}"
    /// The notation line: the screen's names against the lecture notes' and Goodfellow's.
    static let notation =
        "notes: W_h\(glue)=\(glue)W_hh, W_x\(glue)=\(glue)W_ih, W_y\(glue)=\(glue)W_hy; Goodfellow: W,\(glue)U,\(glue)V"

    static func n(_ x: Double) -> String { Format.number(x, digits: 3) }
    static func p(_ x: Double) -> String { x < 0 ? "(\(n(x)))" : n(x) }
    static func term(_ weight: String, _ vector: String) -> String { weight + glue + vector }

    /// The symbols of a step relative to t for a layer's direction: the previous state and a later one.
    struct Time {
        var reverse: Bool
        /// `t-1`, or `t+1` for a reverse layer.
        var previous: String { reverse ? "t+1" : "t-1" }
        /// `t+1`, or `t-1` for a reverse layer.
        var next: String { reverse ? "t-1" : "t+1" }
        /// `t-k`, or `t+k` for a reverse layer.
        func back(_ k: Int) -> String { reverse ? "t+\(k)" : "t-\(k)" }
        /// `t+k`, or `t-k` for a reverse layer.
        func ahead(_ k: Int) -> String { reverse ? "t-\(k)" : "t+\(k)" }
    }

    /// Every equation of `layer` at `step` for unit `u` (0-based), in the notes' order: the cell's (``cell(_:layer:step:unit:)``),
    /// the definitions of its input terms (``terms(_:layer:)``), the notation, then backward the gradient's and the output's.
    static func of(_ s: RevealedTrace, layer: LayerTrace<Double>, step: StepTrace<Double>, unit u: Int) -> [Equation] {
        let terms = terms(s.trace, layer: layer)
        var out = cell(terms, layer: layer, step: step, unit: u)
        out += terms.definitions
        out.append(Equation(formula: notation, role: .notation))
        if s.phase == .backward {
            out += backward(s, layer: layer, step: step, unit: u, time: terms.time)
            out += weightSum(s, layer: layer, step: step, terms: terms)
        }
        if let y = output(s, layer: layer) { out.append(y) }
        return out
    }

    /// A layer's input terms and what they need defined, as its parameters show them.
    struct Terms {
        /// The model's shape.
        var spec: ModelSpec
        /// The layer's time words (`t-1`, or `t+1` for a reverse layer).
        var time: Time
        /// The previous state's name, `h_t-1`.
        var previous: String
        /// What the recurrent weights multiply: the previous state, or the transition MLP's output.
        var recurrentInput: String
        /// The input terms in the notes' order: x_t, skip, shortcut, conditioning, feedback.
        var inputs: [String] = []
        /// The definitions of the terms (the layer below, x̃_t, ŷ_t-1, s_t-1, h_0, C, the reverse direction).
        var definitions: [Equation] = []
    }

    /// The input terms of `layer` in the notes' order (x_t, skip, (transition MLP in the recurrence), shortcut,
    /// conditioning, feedback) and their definitions.
    static func terms(_ trace: Trace<Double>, layer: LayerTrace<Double>) -> Terms {
        let spec = trace.spec
        let names = Set(trace.parameterNames)
        // PyTorch's name of one of this layer's parameters, as `LayerLayout.name` spells it.
        let suffix = "_l\(layer.layer)" + (layer.reverse ? "_reverse" : "")
        let name = { (base: String) in layer.segment + base + suffix }
        let has = { (base: String) in names.contains(name(base)) }
        let time = Time(reverse: layer.reverse)
        let prev = "h_" + time.previous
        let decoder = layer.segment == "decoder."
        let vector = decoder ? "C" : "v"
        let transition = (0..<16).filter { names.contains(name("transition") + ".\($0).weight") }.count
        var t = Terms(
            spec: spec, time: time, previous: prev, recurrentInput: transition > 0 ? "s_" + time.previous : prev)
        if has("weight_ih") {
            if layer.layer > 0 {
                let below = "h_t(l\(layer.layer - 1))"
                t.inputs.append(term("W_ih", below))
                let joined = spec.bidirectional && !decoder ? " (both directions joined)" : ""
                t.definitions.append(Equation(formula: "\(below): the layer below at t\(joined)", role: .definition))
            } else if !decoder && spec.deep.input > 0 {
                t.inputs.append(term("W_ih", "x̃_t"))
                t.definitions.append(
                    Equation(
                        formula: "x̃_t = tanh(W_in x_t + b_in), \(spec.deep.input) tanh layer(s)",
                        role: .definition))
            } else {
                t.inputs.append(term("W_ih", "x_t"))
            }
        }
        if let k = spec.skip { t.inputs.append(term("W_skip", "h_" + time.back(k))) }
        if has("weight_shortcut") { t.inputs.append(term("W_shortcut", prev)) }
        if has("weight_cond") { t.inputs.append(term("W_cond", vector)) }
        if has("weight_fb") {
            t.inputs.append(term("W_fb", "ŷ_t-1"))
            let what =
                spec.feedback == .teacherForcing
                ? "one-hot of the target at t-1 (teacher forcing)"
                : "one-hot of the model's own choice, argmax y_t-1"
            t.definitions.append(
                Equation(formula: "ŷ_t-1: \(what), a constant (no gradient); ŷ_0 = 0", role: .definition))
        }
        if transition > 0 {
            let inner =
                transition == 1
                ? "tanh(W_1\(glue)\(prev) + b_1)"
                : "tanh(W_\(transition) … tanh(W_1\(glue)\(prev) + b_1) …)"
            t.definitions.append(Equation(formula: "s_\(time.previous) = \(inner), the transition MLP", role: .input))
        }
        if names.contains(name("init") + ".weight") {
            let initial = layer.reverse ? "h_T+1" : "h_0"
            t.definitions.append(Equation(formula: "\(initial) = tanh(W_init \(vector) + b_init)", role: .definition))
        }
        if decoder {
            let c = spec.bidirectional ? "[h→_T ∣ h←_1] of the encoder's top layer" : "h_T of the encoder's top layer"
            t.definitions.append(Equation(formula: "C = \(c)", role: .definition))
        }
        if layer.reverse {
            t.definitions.append(
                Equation(
                    formula: "reverse direction: runs t = T…1, so h_t+1 comes before h_t",
                    role: .definition))
        }
        return t
    }

    /// The cell's own equations for unit `u` at `step`, formula and numbers: the state's (RNN), the gates' and
    /// states' (LSTM, GRU).
    static func cell(_ terms: Terms, layer: LayerTrace<Double>, step: StepTrace<Double>, unit u: Int) -> [Equation] {
        let (spec, time, prev, recurrentInput, inputs) = (
            terms.spec, terms.time, terms.previous, terms.recurrentInput, terms.inputs
        )
        var out: [Equation] = []
        let pre = step.preactivation.row(0)
        let h = step.hidden.row(0)
        let hs = layer.hiddenSize
        let hPrev = EquationView.previous(layer, step)
        func at(_ row: [Double], _ i: Int) -> Double { i < row.count ? row[i] : .nan }
        switch spec.cell {
        case .rnn:
            let act = spec.activation.rawValue
            let sum = ([term("W_hh", recurrentInput)] + inputs + ["b)"]).joined(separator: " + ")
            out.append(
                Equation(
                    formula: "h_t = \(act)(" + sum, numbers: "= \(act)(\(n(at(pre, u)))) = \(n(at(h, u)))",
                    role: .state))
        case .lstm:
            let g = step.gates.map { $0.row(0) }
            let sum = ([term("W_hh", recurrentInput)] + inputs + ["b"]).joined(separator: " + ")
            out.append(Equation(formula: "a_t = \(sum), blocks i f g o", role: .input))
            for (k, (name, f)) in [("i", "σ"), ("f", "σ"), ("g", "tanh"), ("o", "σ")].enumerated() where k < g.count {
                out.append(
                    Equation(
                        formula: "\(name) = \(f)(a_\(name))",
                        numbers: "= \(f)(\(n(at(pre, k * hs + u)))) = \(n(at(g[k], u)))", role: .gate))
            }
            if g.count == 4 {
                let cPrev = at(hPrev.c ?? [], u)
                let c = at(step.cell?.row(0) ?? [], u)
                out.append(
                    Equation(
                        formula: "c_t = f⊙c_\(time.previous) + i⊙g",
                        numbers: "= \(n(g[1][u]))×\(p(cPrev)) + \(n(g[0][u]))×\(p(g[2][u])) = \(n(c))",
                        role: .state))
                out.append(
                    Equation(
                        formula: "h_t = o⊙tanh(c_t)", numbers: "= \(n(g[3][u]))×tanh(\(n(c))) = \(n(at(h, u)))",
                        role: .state))
            }
        case .gru:
            let g = step.gates.map { $0.row(0) }
            let sum = (inputs + ["b_ih"]).joined(separator: " + ")
            out.append(Equation(formula: "a_t = \(sum), blocks r z n", role: .input))
            let r = term("W_hr", recurrentInput), z = term("W_hz", recurrentInput), nn = term("W_hn", recurrentInput)
            if g.count == 3 {
                out.append(
                    Equation(
                        formula: "r = σ(a_r + \(r) + b_hr)", numbers: "= σ(\(n(at(pre, u)))) = \(n(g[0][u]))",
                        role: .gate))
                out.append(
                    Equation(
                        formula: "z = σ(a_z + \(z) + b_hz)", numbers: "= σ(\(n(at(pre, hs + u)))) = \(n(g[1][u]))",
                        role: .gate))
                out.append(
                    Equation(
                        formula: "n = tanh(a_n + r⊙(\(nn) + b_hn))",
                        numbers: "= tanh(\(n(at(pre, 2 * hs + u)))) = \(n(g[2][u]))", role: .gate))
                let hp = at(hPrev.h, u)
                out.append(
                    Equation(
                        formula: "h_t = (1−z)⊙n + z⊙\(prev)",
                        numbers: "= \(n(1 - g[1][u]))×\(p(g[2][u])) + \(n(g[1][u]))×\(p(hp)) = \(n(at(h, u)))",
                        role: .state))
                out.append(
                    Equation(
                        formula: "notes' figure: h_t = (1−z')⊙\(prev) + z'⊙ĥ_t with z' = 1−z, ĥ_t = n",
                        numbers: "z' = \(n(1 - g[1][u]))", role: .notation))
            }
        }
        return out
    }

    /// How the gradient reaches h_t (and c_t): the sum over every later use of the state, with the unit's value.
    static func backward(
        _ s: RevealedTrace, layer: LayerTrace<Double>, step: StepTrace<Double>, unit u: Int,
        time: Time
    ) -> [Equation] {
        let spec = s.trace.spec
        let top = layer.layer == spec.layerCount - 1
        var uses: [String] = []
        if top && spec.writesOutputs(segment: layer.segment) {
            uses.append("∂L_t/∂h_t")
        } else if !top {
            uses.append("(∂h_t(l\(layer.layer + 1))/∂h_t)ᵀ\(glue)∂L/∂h_t(l\(layer.layer + 1))")
        }
        // The layer's last step in its direction has no later state: its sum has no term through one. Only that
        // step of the encoder's top layer is C (C = h_T); an earlier step reaches C through h_t+1 alone.
        let last = layer.reverse ? layer.startColumn : layer.startColumn + layer.steps.count - 1
        let isLast = step.column == last
        let within = { (k: Int) in layer.reverse ? step.column - k >= last : step.column + k <= last }
        if layer.segment == "encoder." && top && isLast { uses.append("(∂C/∂h_t)ᵀ\(glue)∂L/∂C") }
        if !isLast { uses.append("(∂h_\(time.next)/∂h_t)ᵀ\(glue)∂L/∂h_\(time.next)") }
        if let k = spec.skip, within(k) {
            uses.append("(∂h_\(time.ahead(k))/∂h_t)ᵀ\(glue)∂L/∂h_\(time.ahead(k))")
        }
        if spec.cell == .lstm && !isLast { uses.append("(∂c_\(time.next)/∂h_t)ᵀ\(glue)∂L/∂c_\(time.next)") }
        let dh = step.hiddenGradient.row(0)
        // An open question about the gradients masks their values (the formulas stay).
        let masked = s.reveal.hidesGradients
        var out = [
            Equation(
                formula: "∂L/∂h_t = " + uses.joined(separator: " + "),
                numbers: masked
                    ? "values \(Reveal.mask)"
                    : "= \(n(u < dh.count ? dh[u] : .nan)), ‖∂L/∂h_t‖\(glue)=\(glue)\(n(step.hiddenGradientNorm))",
                role: .backward)
        ]
        if spec.cell == .lstm, let dc = step.cellGradient?.row(0) {
            out.append(
                Equation(
                    formula: "∂L/∂c_t = ∂L/∂h_t⊙o⊙(1−tanh²c_t)"
                        + (isLast ? "" : " + f_\(time.next)⊙∂L/∂c_\(time.next)"),
                    numbers: masked ? nil : "= \(n(u < dc.count ? dc[u] : .nan))", role: .backward))
        }
        let norm =
            s.trace.options.recordJacobians
            ? " = \(n(step.jacobianNorm))" : " not recorded for a model this large"
        var jacobian = Equation(formula: "‖∂h_t/∂h_\(time.previous)‖" + norm, role: .jacobian)
        jacobian.numbers = boundLine(s, layer: layer)
        out.append(jacobian)
        return out
    }

    /// The notes' sum ∂L/∂W_hh = Σ_t δ_t h_t-1ᵀ (δ_t the gradient at the step's pre-activation), read from the engine's
    /// record (`LayerTrace.recurrentTermNorms`, `recurrentSumNorms`): first each step's ‖δ_t h_t-1ᵀ‖ as far as the
    /// gradient has arrived (`·` before, this step's in brackets), then the sum the backward sweep has reached at this
    /// step and, once it has reached them all, the whole sum ‖∂L/∂W_hh‖. Masked as every gradient value while a
    /// question about the gradients is open.
    static func weightSum(
        _ s: RevealedTrace, layer: LayerTrace<Double>, step: StepTrace<Double>, terms: Terms
    ) -> [Equation] {
        let count = layer.steps.count
        guard layer.recurrentTermNorms.count == count, layer.recurrentSumNorms.count == count, count > 0 else {
            return []
        }
        let i = step.column - layer.startColumn
        let term = "δ_t" + glue + terms.recurrentInput + "ᵀ"
        let formula = "∂L/∂W_hh = Σ_t \(term), ‖·‖\(glue)by\(glue)step:"
        guard !s.reveal.hidesGradients else {
            return [Equation(formula: formula, numbers: "values \(Reveal.mask)", role: .weightSum)]
        }
        // At most 12 steps, around this one, so a long sequence keeps its line.
        let first = max(0, min(count - 12, i - 6))
        var row = (first..<min(count, first + 12)).map { k -> String in
            let value = s.reveal.gradientArrived(column: layer.startColumn + k)
                ? Format.number(layer.recurrentTermNorms[k], digits: 2) : "·"
            return k == i ? "[\(k + 1):\(value)]" : "\(k + 1):\(value)"
        }
        if first > 0 { row.insert("…", at: 0) }
        if first + 12 < count { row.append("…") }
        let delta = "δ_t\(glue)=\(glue)" + (s.trace.spec.cell == .gru ? "∂L/∂(W_hh\(glue)h\(glue)+\(glue)b_hh)" : "∂L/∂a_t")
        // The first step the backward sweep reaches last holds the whole sum.
        let whole = layer.reverse ? count - 1 : 0
        var sums: [String] = []
        if layer.recurrentSumNorms.indices.contains(i), s.reveal.gradientArrived(column: step.column) {
            sums.append("‖Σ\(glue)so\(glue)far‖\(glue)=\(glue)\(n(layer.recurrentSumNorms[i]))")
        }
        if s.reveal.gradientArrived(column: layer.startColumn + whole) {
            sums.append("‖Σ_t‖\(glue)=\(glue)‖∂L/∂W_hh‖\(glue)=\(glue)\(n(layer.recurrentSumNorms[whole]))")
        }
        return [
            Equation(formula: formula, numbers: row.joined(separator: " "), role: .weightSum),
            Equation(
                formula: delta, numbers: sums.isEmpty ? nil : sums.joined(separator: ", "), role: .weightSum)
        ]
    }

    /// The bound under the Jacobian norm, or nil (kept in its own function: where bounds are shown is
    /// decided with the gradient panel).
    /// Pascanu's bound on the one-step Jacobian, `≤ max|f'|·σmax(W_hh)` (max|f'| = 1, or ¼ for sigmoid), only for a
    /// plain Elman layer, where it holds (the lab's `ElmanFactor`); nil for every other layer.
    static func boundLine(_ s: RevealedTrace, layer: LayerTrace<Double>) -> String? {
        guard let e = s.elmanFactor(of: layer) else { return nil }
        let sigma = Format.number(e.sigma, digits: 3)
        if e.gamma == 1 { return "  ≤ σmax(W_hh) = \(sigma)" }
        return "  ≤ ¼·σmax(W_hh) = ¼×\(sigma) = \(Format.number(e.factor, digits: 3))"
    }

    /// The output equation, for a layer that feeds the output (the top layer of a segment that writes one);
    /// for an encoder's top layer, the context C it hands to the decoder.
    static func output(_ s: RevealedTrace, layer: LayerTrace<Double>) -> Equation? {
        let spec = s.trace.spec
        guard layer.layer == spec.layerCount - 1 else { return nil }
        if layer.segment == "encoder." {
            let c = spec.bidirectional ? "C = [h→_T ∣ h←_1]" : "C = h_T"
            return Equation(formula: "no output: \(c), the context for the decoder", role: .output)
        }
        let state = spec.bidirectional && layer.segment != "decoder." ? "[h→_t ∣ h←_t]" : "h_t"
        if spec.deep.output > 0 {
            return Equation(
                formula: "y_t = W_hy u_t + b_y, u_t = tanh(W_out \(state) + b_out), \(spec.deep.output) tanh layer(s)",
                role: .output)
        }
        return Equation(formula: "y_t = W_hy\(glue)\(state) + b_y", role: .output)
    }

    // MARK: Layout

    /// One line of the laid-out equations.
    struct Line: Equatable, Sendable {
        /// The text, at most the width it was laid out for.
        var text: String
        /// Whether it holds numbers (drawn plainly) rather than a formula (drawn as a title).
        var numbers: Bool
    }

    /// The lines of `equations` within `width × height`: each formula, then its numbers indented, wrapped
    /// between whole terms; when the rows are too few, whole equations are dropped (the least important
    /// first: by role, the backward ones kept first) and a marker `… N more` says how many. Never cuts a token: a single term wider than the
    /// line ends in `…`. `firstPrefix` goes before the first line shown (the unit, in the inspector).
    static func layout(_ equations: [Equation], width: Int, height: Int, firstPrefix: String = "") -> [Line] {
        guard width > 4, height > 0 else { return [] }
        // Each equation is wrapped once (as the first shown, with the prefix, and otherwise): the dropping below
        // tries many combinations of the same equations.
        var wrapped: [Int: [Line]] = [:]
        func lines(_ i: Int, first: Bool) -> [Line] {
            let key = first && !firstPrefix.isEmpty ? -1 - i : i
            if let l = wrapped[key] { return l }
            let e = equations[i]
            var l = wrap((first ? firstPrefix : "") + e.formula, width: width, indent: 4).map {
                Line(text: $0, numbers: false)
            }
            if let numbers = e.numbers {
                l += wrap("    " + numbers.trimmingLeadingSpaces, width: width, indent: 6).map {
                    Line(text: $0, numbers: true)
                }
            }
            wrapped[key] = l
            return l
        }
        func shown(_ kept: [Int]) -> [Line] {
            kept.enumerated().flatMap { lines($0.element, first: $0.offset == 0) }
        }
        let everything = shown(Array(equations.indices))
        if everything.count <= height { return everything }
        return dropped(equations, width: width, height: height, shown: shown)
    }

    /// Every line of `equations` at `width`, none dropped: what ``layout(_:width:height:firstPrefix:)`` returns
    /// whenever these fit in its height.
    static func all(_ equations: [Equation], width: Int, firstPrefix: String = "") -> [Line] {
        layout(equations, width: width, height: .max, firstPrefix: firstPrefix)
    }

    /// The lines of the equations kept in `height` rows, the least important dropped, with the marker.
    private static func dropped(_ equations: [Equation], width: Int, height: Int, shown: ([Int]) -> [Line]) -> [Line] {
        // Keep by importance (the backward equations first, then the role's order, then the notes' order)
        // within `budget` rows, and say how many were dropped.
        let rank = { (i: Int) in (equations[i].role == .backward ? -1 : equations[i].role.rawValue, i) }
        let order = equations.indices.sorted { rank($0) < rank($1) }
        for budget in [height, height - 1] where budget > 0 {
            var kept: [Int] = []
            for i in order where shown((kept + [i]).sorted()).count <= budget { kept = (kept + [i]).sorted() }
            var lines = shown(kept)
            let d = equations.count - kept.count
            let marker = "… \(d) more"
            if let last = lines.last, last.text.count + 2 + marker.count <= width {
                lines[lines.count - 1].text += "  " + marker
                return lines
            }
            if lines.count < height && marker.count <= width {
                return lines + [Line(text: marker, numbers: true)]
            }
        }
        return [Line(text: "…", numbers: true)]
    }

    /// `text` over lines of `width`, broken at spaces (never at a no-break space, and never just after an
    /// operator, which moves to the next line with its term), continuation lines indented by `indent`.
    /// A token wider than a line is shortened and ends in `…`.
    static func wrap(_ text: String, width: Int, indent: Int) -> [String] {
        let key = WrapKey(text: text, width: width, indent: indent)
        if let lines = wrapped.withLock({ $0[key] }) { return lines }
        let lines = wrapAnew(text, width: width, indent: indent)
        wrapped.withLock { cache in
            if cache.count >= 2048 { cache.removeAll(keepingCapacity: true) }
            cache[key] = lines
        }
        return lines
    }

    /// What `wrap` was asked: the formulas are the same frame after frame, only their numbers change.
    private struct WrapKey: Hashable {
        var text: String
        var width: Int
        var indent: Int
    }

    /// The lines `wrap` returned, by what it was asked (at most 2048, then it starts again): a pure function's results.
    private static let wrapped = Monitor<[WrapKey: [String]]>([:])

    /// `wrap`, computed.
    private static func wrapAnew(_ text: String, width: Int, indent: Int) -> [String] {
        let lead = text.prefix { $0 == " " }
        var tokens: [String] = []
        for word in text.dropFirst(lead.count).split(separator: " ").map(String.init) {
            if let last = tokens.last, ["+", "=", "−", "-", "≤", "×"].contains(last) {
                tokens[tokens.count - 1] = last + glue + word
            } else {
                tokens.append(word)
            }
        }
        // The line's length and whether it is still only spaces are kept as it grows (tokens hold no plain space).
        var out: [String] = []
        var line = String(lead)
        var count = lead.count, blank = true
        let padCount = min(indent, width / 2)
        let pad = String(repeating: " ", count: padCount)
        for token in tokens {
            let tokenCount = token.count
            if !blank && count + 1 + tokenCount > width {
                out.append(line)
                (line, count, blank) = (pad, padCount, true)
            }
            let sep = blank ? 0 : 1
            var t = token, tCount = tokenCount
            if count + sep + tCount > width {
                t = String(t.prefix(max(1, width - count - sep - 1))) + "…"
                tCount = t.count
            }
            if sep == 1 { line += " " }
            line += t
            count += sep + tCount
            blank = false
        }
        if !blank { out.append(line) }
        return out.map(unglued)
    }

    /// `text` with every no-break space (`glue`) a plain space, in pure Swift: Foundation's
    /// `replacingOccurrences` took a tenth of the UI thread's time per frame.
    static func unglued(_ text: String) -> String {
        let nbsp: Unicode.Scalar = "\u{00A0}"
        guard text.unicodeScalars.contains(nbsp) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == nbsp ? " " : $0 }))
    }
}

extension String {
    /// The string without its leading spaces.
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}

extension ModelSpec {
    /// Whether the layers of `segment` feed an output (every segment but the encoder).
    func writesOutputs(segment: String) -> Bool { segment != "encoder." }
}
