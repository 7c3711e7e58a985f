import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// One architecture kind: a built-in lesson, the layer to read, and the terms its equations must and must not have.
struct EquationCase: Sendable, CustomTestStringConvertible {
    var name: String
    var lesson: String
    /// The label of the layer to select (`l0`, `l0_reverse`, `encoder.l0`, `decoder.l0`).
    var layer: String
    /// What the lesson's scenario says the model is, checked first so the expectations below stay about it.
    var architecture: @Sendable (Architecture) -> Bool
    var present: [String]
    var absent: [String]
    var testDescription: String { name }
}

/// Every optional term, so a case lists in `absent` whatever its layer does not have.
let optionalTerms = [
    "W_skip", "s_t-1", "W_shortcut", "W_cond", "W_fb", "W_init", "C =", "h_t+1", "reverse direction",
    "y_t =", "c_t =", "i = σ", "r = σ", "z'", "h_t(l0)", "x̃_t"
]

func absent(except kept: [String]) -> [String] { optionalTerms.filter { t in !kept.contains { $0.contains(t) } } }

let equationCases: [EquationCase] = {
    func c(
        _ name: String, _ lesson: String, _ layer: String, _ arch: @escaping @Sendable (Architecture) -> Bool,
        _ present: [String]
    ) -> EquationCase {
        EquationCase(
            name: name, lesson: lesson, layer: layer, architecture: arch, present: present,
            absent: absent(except: present))
    }
    return [
        c(
            "plain", "memory", "l0",
            { $0.cell == .rnn && $0.skip == nil && $0.deep == DeepTransition() && $0.feedback == .none },
            ["h_t = tanh(W_hh h_t-1 + W_ih x_t + b)", "y_t = W_hy h_t + b_y"]),
        c(
            "skip", "skip", "l0", { $0.skip == 3 },
            ["W_hh h_t-1 + W_ih x_t + W_skip h_t-3 + b)", "y_t ="]),
        c(
            "deep transition", "deep", "l0", { $0.deep.transition == 1 && !$0.deep.shortcut },
            ["h_t = tanh(W_hh s_t-1 + W_ih x_t + b)", "s_t-1 = tanh(W_1 h_t-1 + b_1)", "y_t ="]),
        c(
            "shortcut", "shortcut", "l0", { $0.deep.transition >= 1 && $0.deep.shortcut },
            ["(W_hh s_t-1 + W_ih x_t + W_shortcut h_t-1 + b)", "s_t-1 = ", "y_t ="]),
        c(
            "conditioning as input", "caption", "l0", { $0.conditioning == .input && $0.conditioningSize != nil },
            ["W_cond v + b)", "y_t ="]),
        c(
            "conditioning as initial state", "caption-h0", "l0", { $0.conditioning == .initialState },
            ["h_0 = tanh(W_init v + b_init)", "y_t ="]),
        c(
            "conditioning both ways", "caption-both", "l0", { $0.conditioning == .both },
            ["W_cond v + b)", "h_0 = tanh(W_init v + b_init)", "y_t ="]),
        c(
            "feedback", "feedback", "l0", { $0.feedback == .output },
            ["W_fb ŷ_t-1 + b)", "ŷ_t-1: one-hot of the model's own choice, argmax y_t-1", "y_t ="]),
        c(
            "teacher forcing", "teacher", "l0", { $0.feedback == .teacherForcing },
            ["W_fb ŷ_t-1 + b)", "ŷ_t-1: one-hot of the target at t-1 (teacher forcing)", "y_t ="]),
        c(
            "encoder", "seq2seq", "encoder.l0", { $0.configuration == .encoderDecoder && $0.hiddenSizes.count == 1 },
            ["h_t = tanh(W_hh h_t-1 + W_ih x_t + b)", "no output: C = h_T"]),
        c(
            "decoder", "seq2seq", "decoder.l0", { $0.configuration == .encoderDecoder && $0.conditioning == .input },
            ["W_cond C + b)", "C = h_T of the encoder's top layer", "y_t ="]),
        c(
            "reverse", "bidir", "l0_reverse", { $0.bidirectional && $0.hiddenSizes.count == 1 },
            ["(W_hh h_t+1 + W_ih x_t + b)", "reverse direction", "y_t = W_hy [h→_t ∣ h←_t] + b_y"]),
        c(
            "stacked middle layer", "stacked", "l1", { $0.hiddenSizes.count == 3 && !$0.bidirectional },
            ["h_t = tanh(W_hh h_t-1 + W_ih h_t(l0) + b)", "h_t(l0): the layer below at t"]),
        c(
            "LSTM", "lstm", "l0", { $0.cell == .lstm && $0.skip == nil },
            [
                "a_t = W_hh h_t-1 + W_ih x_t + b, blocks i f g o", "i = σ(a_i)", "f = σ(a_f)", "g = tanh(a_g)",
                "o = σ(a_o)",
                "c_t = f⊙c_t-1 + i⊙g", "h_t = o⊙tanh(c_t)", "y_t ="
            ]),
        c(
            "GRU", "gru", "l0", { $0.cell == .gru && $0.skip == nil },
            [
                "a_t = W_ih x_t + b_ih, blocks r z n", "r = σ(a_r + W_hr h_t-1 + b_hr)",
                "z = σ(a_z + W_hz h_t-1 + b_hz)",
                "n = tanh(a_n + r⊙(W_hn h_t-1 + b_hn))", "h_t = (1−z)⊙n + z⊙h_t-1",
                "notes' figure: h_t = (1−z')⊙h_t-1 + z'⊙ĥ_t with z' = 1−z", "y_t ="
            ])
    ]
}()

/// A session on a built-in lesson at the forward phase's last step, with the layer labelled `label` selected.
func equationSession(
    _ lesson: String, layer label: String, backward: Bool = false
) throws -> (Session, LayerTrace<Double>, StepTrace<Double>) {
    var s = try Session(lesson: try #require(Lesson.builtin(named: lesson)))
    s.handle(.last)
    if backward { s.handle(.switchPhase) }
    let index = try #require(s.trace.layers.firstIndex { $0.label == label })
    let layer = s.trace.layers[index]
    let column = layer.startColumn + layer.steps.count / 2
    s.handle(.select(layer: index, column: column))
    let (l, step) = try #require(InspectorView.selection(s.revealedTrace))
    #expect(l.label == label)
    return (s, l, step)
}

@Test("The equations have exactly the selected layer's terms, in the notes' order", arguments: equationCases)
func equationTerms(_ c: EquationCase) throws {
    let lesson = try #require(Lesson.builtin(named: c.lesson))
    #expect(
        c.architecture(lesson.architecture), "the lesson \(c.lesson) is no longer the architecture this case is about")
    let (s, layer, step) = try equationSession(c.lesson, layer: c.layer)
    let text = Equations.of(s.revealedTrace, layer: layer, step: step, unit: 0).map(\.formula)
        .joined(separator: "\n").replacingOccurrences(of: Equations.glue, with: " ")
    for term in c.present { #expect(text.contains(term), "missing \(term) in\n\(text)") }
    for term in c.absent { #expect(!text.contains(term), "unexpected \(term) in\n\(text)") }
    #expect(text.contains("notes: W_h = W_hh, W_x = W_ih, W_y = W_hy; Goodfellow: W, U, V"))
}

/// The number after the last `=` of a numbers line.
func result(_ line: String?) throws -> Double {
    let last = try #require(line?.components(separatedBy: "= ").last)
    return try #require(Double(last.trimmingCharacters(in: .whitespaces)))
}

@Test("The numbers are the trace's, and satisfy the equation they are printed under")
func equationNumbers() throws {
    // RNN: h_t = tanh(a_t), the unit with the largest |h_t|.
    do {
        let (s, layer, step) = try equationSession("memory", layer: "l0")
        let h = step.hidden.row(0), a = step.preactivation.row(0)
        let u = try #require(h.indices.max { abs(h[$0]) < abs(h[$1]) })
        let eq = try #require(
            Equations.of(s.revealedTrace, layer: layer, step: step, unit: u).first { $0.role == .state })
        #expect(eq.numbers == "= tanh(\(Format.number(a[u], digits: 3))) = \(Format.number(h[u], digits: 3))")
        #expect(abs(try result(eq.numbers) - tanh(a[u])) < 1e-3 * max(1, abs(h[u])))
    }
    // GRU: h_t = (1−z)⊙n + z⊙h_{t−1}, with h_{t−1} the previous step's state in the trace.
    do {
        let (s, layer, step) = try equationSession("gru", layer: "l0")
        let i = step.column - layer.startColumn
        let hPrev = layer.steps[i - 1].hidden.row(0)[1]
        let z = step.gates[1].row(0)[1], n = step.gates[2].row(0)[1]
        let eq = try #require(
            Equations.of(s.revealedTrace, layer: layer, step: step, unit: 1).first { $0.formula.hasPrefix("h_t") })
        #expect(abs(try result(eq.numbers) - ((1 - z) * n + z * hPrev)) < 1e-3)
        let note = try #require(
            Equations.of(s.revealedTrace, layer: layer, step: step, unit: 1).first {
                $0.formula.hasPrefix("notes' figure")
            })
        #expect(abs(try result(note.numbers) - (1 - z)) < 1e-3)
    }
    // LSTM: c_t = f⊙c_{t−1} + i⊙g, and ∂L/∂c_t in the backward phase is the trace's.
    do {
        let (s, layer, step) = try equationSession("lstm", layer: "l0", backward: true)
        let i = step.column - layer.startColumn
        let cPrev = try #require(layer.steps[i - 1].cell).row(0)[2]
        let g = step.gates.map { $0.row(0)[2] }
        let all = Equations.of(s.revealedTrace, layer: layer, step: step, unit: 2)
        let c = try #require(all.first { $0.formula.hasPrefix("c_t") })
        #expect(abs(try result(c.numbers) - (g[1] * cPrev + g[0] * g[2])) < 1e-3)
        let dc = try #require(all.first { $0.formula.hasPrefix("∂L/∂c_t") })
        let recorded = try #require(step.cellGradient).row(0)[2]
        #expect(abs(try result(dc.numbers) - recorded) < 5e-3 * abs(recorded) + 1e-12)
        let dh = try #require(all.first { $0.formula.hasPrefix("∂L/∂h_t") }?.numbers)
        #expect(dh.hasPrefix("= \(Format.number(step.hiddenGradient.row(0)[2], digits: 3)),"))
    }
}

/// Every token of `line` (split at spaces) is one of `tokens`, or the marker's, or ends in `…`.
func wholeTokens(_ line: String, _ tokens: Set<String>) -> Bool {
    line.split(separator: " ").allSatisfy {
        tokens.contains(String($0)) || $0.hasSuffix("…") || $0 == "…" || Int($0) != nil || $0 == "more"
    }
}

func balanced(_ text: String) -> Bool {
    var depth = 0
    for ch in text {
        if "([".contains(ch) { depth += 1 } else if ")]".contains(ch) { depth -= 1 }
        if depth < 0 { return false }
    }
    return depth == 0
}

@Test("At 80x24, 120x40 and 200x60, both phases, every lesson's equations fit whole: no token cut, brackets closed")
func equationsFitWhole() throws {
    var checked = 0, wrapped = 0, dropped = 0
    for lesson in Lesson.builtin where lesson.training == nil {
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            for backward in [false, true] {
                var s = try Session(lesson: lesson)
                s.handle(.last)
                if backward { s.handle(.switchPhase) }
                for index in s.trace.layers.indices {
                    let layer = s.trace.layers[index]
                    s.handle(.select(layer: index, column: layer.startColumn + layer.steps.count - 1))
                    guard let (l, step) = InspectorView.selection(s.revealedTrace) else { continue }
                    let screen = Screen.layout(width: width, height: height, session: s)
                    let lines: [Equations.Line], width: Int
                    if !screen.equations.isEmpty {
                        let inner = screen.equations.insetBy(dx: 1, dy: 1)
                        width = inner.width - 1
                        lines = EquationView.lines(
                            s.revealedTrace, step: step, layer: l, width: width, height: inner.height)
                    } else if lesson.display.panels.contains(.equations), !screen.inspector.isEmpty {
                        let inner = screen.inspector.insetBy(dx: 1, dy: 1)
                        width = inner.width
                        lines = InspectorView.equations(s.revealedTrace, step: step, layer: l, inner)
                    } else {
                        continue
                    }
                    let source = Equations.of(s.revealedTrace, layer: l, step: step, unit: EquationView.unit(step))
                    let tokens = Set(
                        source.flatMap { [$0.formula, $0.numbers ?? ""] }
                            .flatMap {
                                $0.replacingOccurrences(of: Equations.glue, with: " ").split(separator: " ").map(
                                    String.init)
                            }
                            + ["unit", "\(EquationView.unit(step) + 1):"])
                    let where_ = "\(lesson.name) \(width)x\(height) \(backward ? "backward" : "forward") \(l.label)"
                    try #require(!lines.isEmpty, "no equations in \(where_)")
                    for line in lines {
                        #expect(line.text.count <= width, "too wide in \(where_): \(line.text)")
                        #expect(wholeTokens(line.text, tokens), "a cut token in \(where_): \(line.text)")
                    }
                    // A formula line starts a group; its continuation and numbers lines are indented.
                    var groups: [String] = []
                    for line in lines where !line.text.hasPrefix("…") {
                        let text = line.text.components(separatedBy: "  …").first ?? line.text
                        if text.hasPrefix(" "), !groups.isEmpty {
                            groups[groups.count - 1] += " " + text
                        } else {
                            groups.append(text)
                        }
                    }
                    for g in groups { #expect(balanced(g), "unbalanced brackets in \(where_): \(g)") }
                    checked += 1
                    if lines.count > source.count + source.filter({ $0.numbers != nil }).count { wrapped += 1 }
                    if lines.contains(where: { $0.text.contains("  …") || $0.text.hasPrefix("…") }) { dropped += 1 }
                }
            }
        }
    }
    // The test must have met both narrow-width cases it guards.
    #expect(checked > 100 && wrapped > 0 && dropped > 0)
}

@Test("The header names the gate block whose ρ and σmax it shows for an LSTM or GRU")
func headerGateBlock() throws {
    for name in ["lstm", "gru"] {
        let s = try Session(lesson: try #require(Lesson.builtin(named: name)))
        let blocks = s.trace.recurrent.filter { $0.name.hasPrefix("weight_hh_l0[") }
        #expect(blocks.count == (name == "lstm" ? 4 : 3))
        let largest = try #require(blocks.max { $0.largestSingularValue < $1.largestSingularValue })
        let gate = largest.name.dropFirst("weight_hh_l0[".count).prefix(1)
        let line = HeaderView.modelLine(s)
        #expect(
            line.contains(
                "W_h\(gate) ρ=\(Format.number(largest.spectralRadius)) σmax=\(Format.number(largest.largestSingularValue)) (largest gate block)"
            ), "\(line)")
        #expect(!line.contains("W_hh ρ"))
    }
    let plain = try Session(lesson: .defaultLesson)
    #expect(HeaderView.modelLine(plain).contains("W_hh ρ="))
}
