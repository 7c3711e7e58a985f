import Testing
import UnrollEngine
import UnrollLessons
@testable import UnrollUI

// The weights panel (the handcalc lesson's), and choosing the unit the equations show (`.` `,` and a click
// on an inspector row).

/// The handcalc lesson's weights as scripts/make_handcalc_weights.py writes them, typed in again here.
private let handWeights: [String: [[Double]]] = [
    "weight_ih_l0": [[1, 0, 0, 0], [0, 1, -1, 0]],
    "weight_hh_l0": [[0.5, 0], [-2, 0.5]],
    "bias_ih_l0": [[0], [0.25]],
    "bias_hh_l0": [[0], [0]],
    "output.weight": [[0, 0], [-1, 1], [1, -1], [0, 0]],
    "output.bias": [[0], [0], [0], [0]],
]

private func handcalc() throws -> Lesson { try #require(Lesson.builtin(named: "handcalc")) }

@Test("The weights panel shows the handcalc lesson's six matrices, with the numbers of the model that ran")
func weightsPanelNumbers() throws {
    let s = try session(try handcalc())
    let blocks = try WeightsView.blocks(s).get()
    let titles = ["W_x = W_ih", "W_h = W_hh", "b_ih", "b_hh", "W_y = W_hy", "b_y"]
    let names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "output.weight", "output.bias"]
    #expect(blocks.map(\.title) == titles)
    for (block, name) in zip(blocks, names) {
        #expect(block.rows == handWeights[name], "\(name)")
        let m = try #require(s.run.model[name])
        #expect(block.rows.flatMap { $0 } == m.storage, "\(name): the panel's numbers are the model's")
    }
    let screen = Screen.render(s, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
    for row in ["[ 1 0  0 0 ]", "[ 0 1 -1 0 ]", "[ 0.5   0 ]", "[  -2 0.5 ]", "[    0 ]", "[ 0.25 ]",
                "[  0  0 ]", "[ -1  1 ]", "[  1 -1 ]"] {
        #expect(screen.contains(row), "the screen lacks \(row)")
    }
}

@Test("The weights panel at 80x24 and 120x40", arguments: [(80, 24), (120, 40)])
func weightsPanelSnapshot(_ size: (Int, Int)) throws {
    let s = try session(try handcalc(), [.stepForward])
    let canvas = Screen.render(s, theme: colour, width: size.0, height: size.1)
    expectSnapshot(canvas.lines(), named: "handcalc-forward-2-\(size.0)x\(size.1)")
}

@Test("A layer too large to read as numbers gets a one-line note")
func weightsPanelTooLarge() throws {
    var lesson = Lesson.defaultLesson
    lesson.display.panels = [.inspector, .weights]
    let s = try session(lesson)
    #expect(throws: WeightsView.Refusal.self) { try WeightsView.blocks(s).get() }
    let screen = Screen.render(s, theme: colour, width: 100, height: 30).lines().joined(separator: "\n")
    // The memory lesson: H = 6, six words (five and <eos>).
    #expect(screen.contains("W_ih 6×6, W_hh 6×6: too large to show"))
    #expect(screen.contains("(the panel shows H ≤ 4, inputs and outputs ≤ 8)"))
}
