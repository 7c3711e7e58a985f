import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

@Suite("Two models side by side")
struct PairSessionTests {
    static func vanishing() throws -> Lesson { try #require(Lesson.builtin(named: "vanishing")) }

    /// vanishing beside its LSTM, as `--versus lstm` builds it.
    static func pair() throws -> PairSession {
        let v = try vanishing()
        let lstm = try #require(VersusSpec.cell(.lstm).applied(to: v))
        return try PairSession(Session(lesson: v), Session(lesson: lstm))
    }

    /// The per-step gradient norms and Jacobian norms of every layer.
    static func norms(_ t: Trace<Double>) -> [[Double]] {
        t.layers.flatMap { [$0.steps.map(\.hiddenGradientNorm), $0.steps.map(\.jacobianNorm)] }
    }

    @Test("Each model's trace is the one its lab computes alone: the lesson's, and the lesson after pressing c")
    func tracesAreIndependentLabs() throws {
        let p = try Self.pair()
        let alone = try Lab(lesson: Self.vanishing()).compute()
        var pressed = Lab(lesson: try Self.vanishing())
        pressed.cycleCell()
        let lstm = try pressed.compute()
        #expect(lstm.trace.spec.cell == .lstm)
        #expect(Self.norms(p.first.trace) == Self.norms(alone.trace))
        #expect(Self.norms(p.second.trace) == Self.norms(lstm.trace))
        #expect(Self.norms(p.first.trace) != Self.norms(p.second.trace))
        #expect(p.labels == ["RNN tanh", "LSTM"])
    }

    @Test("Keys act on both: steps, phase, the cell and W_hh; the second follows the first's position")
    func keysActOnBoth() throws {
        var p = try Self.pair()
        p.handle(.stepForward)
        p.handle(.stepForward)
        #expect(p.first.position == 2 && p.second.position == 2)
        p.handle(.switchPhase)
        #expect(p.first.phase == .backward && p.second.phase == .backward && p.second.step == p.first.step)
        p.handle(.nextCaption)
        #expect(p.second.position == p.first.position)
        p.handle(.select(layer: 0, column: 4))
        #expect(p.first.selectedColumn == 4 && p.second.selectedColumn == 4)
        p.handle(.scaleUp)
        #expect(abs(p.first.recurrentScale - 1.1) < 1e-12 && abs(p.second.recurrentScale - 1.1) < 1e-12)
        p.handle(.cycleCell)
        // RNN → LSTM above, LSTM → GRU below.
        #expect(p.first.trace.spec.cell == .lstm && p.second.trace.spec.cell == .gru)
        #expect(p.labels == ["LSTM", "GRU"])
        p.handle(.restore)
        #expect(p.first.trace.spec.cell == .rnn && p.second.trace.spec.cell == .lstm)
        #expect(p.first.recurrentScale == 1 && p.second.recurrentScale == 1)
    }

    @Test("Two lessons with different numbers of steps are refused, naming both counts")
    func differentColumnsRefused() throws {
        let v = try Self.vanishing()
        let d = Lesson.defaultLesson
        let error = #expect(throws: VersusSpecError.self) { try PairSession(Session(lesson: v), Session(lesson: d)) }
        #expect(error?.message.contains("12 steps") == true && error?.message.contains("6") == true)
    }

    @Test("At 120x40 in the backward phase: both graphs under their labels, and one gradient panel with both series")
    func snapshot() throws {
        var p = try Self.pair()
        p.handle(.switchPhase)
        p.handle(.first)
        for _ in 0..<4 { p.handle(.stepForward) }
        let canvas = Screen.render(p, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: 120, height: 40)
        let lines = canvas.lines()
        #expect(lines.contains { $0.hasPrefix(" ▲ RNN tanh: the inspector") })
        #expect(lines.contains { $0.hasPrefix(" ▼ LSTM") })
        #expect(lines.filter { $0.hasPrefix("x_t") }.count == 2)
        // The gradient panel: the right quarter, from the first line below the graphs.
        let (layout, _, _) = Screen.pairLayout(width: 120, height: 40, pair: p)
        let panel = lines[layout.gradients.y..<layout.gradients.maxY].map { String($0.dropFirst(layout.gradients.x)) }
        #expect(panel.contains { $0.contains("█ RNN tanh  ▒ LSTM") })
        #expect(panel.contains { $0.contains("█") && $0.contains("▒") && !$0.contains("RNN") })
        // The legend line: both models' norms at the inspected step, as their traces hold them.
        let t = p.first.inspectedColumn
        let a = Format.number(p.first.trace.layers[0].steps[t].lastLossGradientNorm, digits: 2)
        let b = Format.number(p.second.trace.layers[0].steps[t].lastLossGradientNorm, digits: 2)
        #expect(panel.contains { $0.contains("t=\(t + 1)  █ \(a)  ▒ \(b)") })
        expectSnapshot(lines, named: "versus-vanishing-lstm-120x40")
        // In ASCII the labels' marks are ^ and v, never a folded "?".
        let ascii = Screen.render(p, theme: Theme(colorMode: .monochrome, glyphs: .ascii), width: 120, height: 40)
            .lines()
        #expect(
            ascii.contains { $0.hasPrefix(" ^ RNN tanh: the inspector") } && ascii.contains { $0.hasPrefix(" v LSTM") })
    }
}
