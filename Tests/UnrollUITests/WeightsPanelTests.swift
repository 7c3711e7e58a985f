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
    "output.bias": [[0], [0], [0], [0]]
]

private func handcalc() throws -> Lesson { try #require(Lesson.builtin(named: "handcalc")) }

@Test("The weights panel shows the handcalc lesson's six matrices, with the numbers of the model that ran")
func weightsPanelNumbers() throws {
    let s = try session(try handcalc())
    let blocks = try WeightsView.blocks(s.revealedTrace).get()
    let titles = ["W_x = W_ih", "W_h = W_hh", "b_ih", "b_hh", "W_y = W_hy", "b_y"]
    let names = ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "output.weight", "output.bias"]
    #expect(blocks.map(\.title) == titles)
    for (block, name) in zip(blocks, names) {
        #expect(block.rows == handWeights[name], "\(name)")
        let m = try #require(s.run.model[name])
        #expect(block.rows.flatMap { $0 } == m.storage, "\(name): the panel's numbers are the model's")
    }
    let screen = Screen.render(s, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
    for row in [
        "[ 1 0  0 0 ]", "[ 0 1 -1 0 ]", "[ 0.5   0 ]", "[  -2 0.5 ]", "[    0 ]", "[ 0.25 ]",
        "[  0  0 ]", "[ -1  1 ]", "[  1 -1 ]"
    ] {
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
    #expect(throws: WeightsView.Refusal.self) { try WeightsView.blocks(s.revealedTrace).get() }
    let screen = Screen.render(s, theme: colour, width: 100, height: 30).lines().joined(separator: "\n")
    // The memory lesson: H = 6, nine words (eight and <eos>).
    #expect(screen.contains("W_ih 6×9, W_hh 6×6: too large to show"))
    #expect(screen.contains("(the panel shows H ≤ 4, inputs and outputs ≤ 8)"))
}

/// The unit with the largest |h_t| at a step of the first layer, read from the trace.
private func largestUnit(_ s: Session, column: Int) throws -> Int {
    let h = try #require(s.trace.layers.first?.steps[column].hidden.row(0))
    return try #require(h.indices.max { abs(h[$0]) < abs(h[$1]) })
}

@Test("Keys . and , choose the next and previous unit for the equations, from the one shown, wrapping round")
func unitKeys() throws {
    #expect(KeyMap.action(for: .character(".")) == .nextUnit && KeyMap.action(for: .character(">")) == .nextUnit)
    #expect(
        KeyMap.action(for: .character(",")) == .previousUnit && KeyMap.action(for: .character("<")) == .previousUnit)
    var s = try session(.defaultLesson, [.stepForward])
    let auto = try largestUnit(s, column: 1)
    #expect(s.selectedUnit == nil && s.shownUnit == auto)
    s.handle(.nextUnit)
    #expect(s.selectedUnit == (auto + 1) % 6 && s.notice == "equations: unit \((auto + 1) % 6 + 1) of 6")
    let screen = Screen.render(s, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
    #expect(screen.contains("Equations · unit \((auto + 1) % 6 + 1) of 6"))
    s.handle(.previousUnit)
    s.handle(.previousUnit)
    #expect(s.selectedUnit == (auto + 5) % 6)
    // The choice holds while stepping: the equations follow the unit, not the largest |h_t|.
    s.handle(.stepForward)
    #expect(s.shownUnit == (auto + 5) % 6)
}

@Test(
    "A click on a unit's row of the inspector chooses that unit; the heading and other rows do nothing",
    arguments: [(80, 24), (120, 40)])
func unitClick(_ size: (Int, Int)) throws {
    var s = try session(.defaultLesson, [.stepForward, .stepForward])
    let (w, h) = size
    let inspector = Screen.layout(width: w, height: h, session: s).inspector
    let lines = Screen.render(s, theme: colour, width: w, height: h).lines()
    // Unit 3's row, found on the screen: the line whose inspector cell starts with "│3".
    let row = try #require(
        lines.indices.first { y in
            let chars = Array(lines[y])
            return chars.count > inspector.x + 2 && String(chars[inspector.x...(inspector.x + 1)]) == "│3"
        })
    let click = { (x: Int, y: Int) in
        ClickMap.action(for: MouseEvent(x: x, y: y, button: .left), session: s, width: w, height: h)
    }
    #expect(click(inspector.x + 10, row) == .selectUnit(2))
    #expect(click(inspector.x + 10, inspector.y + 1) == nil, "the column headings")
    #expect(click(inspector.x + 10, inspector.y) == nil, "the border")
    #expect(
        ClickMap.action(for: MouseEvent(x: inspector.x + 10, y: row, button: .right), session: s, width: w, height: h)
            == nil)
    s.handle(.selectUnit(2))
    #expect(s.selectedUnit == 2 && s.shownUnit == 2)
    let screen = Screen.render(s, theme: colour, width: w, height: h).lines().joined(separator: "\n")
    #expect(screen.contains(w >= 120 ? "Equations · unit 3 of 6" : "unit 3: "))
    s.handle(.selectUnit(6))
    #expect(s.selectedUnit == 2, "unit 7 of 6 is refused")
}
