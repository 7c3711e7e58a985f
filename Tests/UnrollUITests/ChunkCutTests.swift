import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

// The truncated lesson: 10 steps in chunks of 4, cut before steps 5 and 9.

private func truncated(_ actions: [Action]) throws -> Session {
    try session(try #require(Lesson.builtin(named: "truncated")), actions)
}

/// The x of every `glyph` on a line.
private func positions(of glyph: Character, in line: String) -> [Int] {
    Array(line.enumerated().filter { $0.element == glyph }.map(\.offset))
}

@Test(
    "The graph draws a cut between steps 4|5 and 8|9 on every line, at 80 and 120 columns, Unicode and ASCII",
    arguments: [(80, 14), (120, 20)])
func graphDrawsCuts(_ width: Int, _ height: Int) throws {
    for (theme, glyph) in [(colour, Character("┊")), (mono, Character("|"))] {
        for actions in [[Action](), [.last, .switchPhase]] {
            let s = try truncated(actions)
            let rect = Rect(x: 0, y: 0, width: width, height: height)
            var canvas = Canvas(width: width, height: height)
            GraphView.render(s.revealedTrace, theme: theme, into: &canvas, rect)
            let lines = canvas.lines()
            // Independently of the drawing code: the gap just left of the first letter of 'France' and of 'fluent' (x_t line).
            let input = try #require(lines.last { $0.hasPrefix("x_t") })
            let france = try #require(input.range(of: "France")).lowerBound,
                fluent = try #require(input.range(of: "fluent")).lowerBound
            let expected = [
                input.distance(from: input.startIndex, to: france) - 1,
                input.distance(from: input.startIndex, to: fluent) - 1
            ]
            #expect(positions(of: glyph, in: input) == expected, "\(input)")
            let used = lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            for line in used where !line.hasPrefix("h l0") && !line.hasPrefix("∂h l0") && !line.hasPrefix("dh l0") {
                #expect(positions(of: glyph, in: line) == expected, "\(line)")
            }
            // The recurrent arrow into a cut: the state crosses it forward; backward, no arrow (no gradient crosses).
            let node = try #require(lines.first { $0.hasPrefix("h l0") || $0.hasPrefix("∂h l0") })
            let chars = Array(node)
            let arrow = String(chars[(expected[0] - 2)..<expected[0]])
            #expect(arrow == (s.phase == .forward ? (theme.glyphs == .unicode ? "─→" : "->") : "  "), "\(node)")
        }
    }
}

@Test("The gradient panel marks the cuts between the bars of steps 4|5 and 8|9; a lesson without truncation has none")
func gradientPanelDrawsCuts() throws {
    let s = try truncated([.last, .switchPhase])
    var canvas = Canvas(width: 40, height: 12)
    GradientView.render(s.gradientPanel, theme: colour, into: &canvas, Rect(x: 0, y: 0, width: 40, height: 12))
    let lines = canvas.lines()
    let labels = try #require(lines.first { $0.contains("1  2  3  4") }, "\(lines.joined(separator: "\n"))")
    // The gap just before the label (and bar) of step 5 and of step 9.
    let x5 = try #require(positions(of: "5", in: labels).first), x9 = try #require(positions(of: "9", in: labels).first)
    let chart = lines[1..<(lines.count - 4)]
    #expect(chart.count == 7)
    for line in chart { #expect(positions(of: "┊", in: line) == [x5 - 1, x9 - 1], "\(line)") }

    let plain = try session(.defaultLesson, [.last, .switchPhase])
    #expect(plain.trace.options.truncation == nil)
    var other = Canvas(width: 40, height: 12)
    GradientView.render(plain.gradientPanel, theme: colour, into: &other, Rect(x: 0, y: 0, width: 40, height: 12))
    var graph = Canvas(width: 80, height: 14)
    GraphView.render(plain.revealedTrace, theme: colour, into: &graph, Rect(x: 0, y: 0, width: 80, height: 14))
    #expect(!(other.lines() + graph.lines()).joined().contains("┊"))
}

@Test("The gradient panel's step numbers never touch the marks of steps out of view (\"10\" + \"190▶\" read as 10190)")
func stepLabelsKeepClearOfTheMarks() throws {
    // A long lesson (200 steps, the panel shows fewer), at its third step, and backward at its last, its first and
    // a middle one, so both marks show at some widths.
    let words = (0..<200).map { "w\($0 % 7)" }.joined(separator: " ")
    let lesson = try Lesson(
        scenario: "title: long\nmodel: {hidden_size: 3}\ninput: {tokens: \"\(words)\"}\n", path: "long.yaml")
    var checked = 0
    let actions: [[Action]] = [
        [.stepForward, .stepForward], [.switchPhase], [.switchPhase, .first],
        [.switchPhase] + Array(repeating: .stepBack, count: 60),
    ]
    for actions in actions {
        let s = try session(lesson, actions)
        for width in 22...44 {
            var canvas = Canvas(width: width, height: 12)
            let rect = Rect(x: 0, y: 0, width: width, height: 12)
            GradientView.render(s.gradientPanel, theme: colour, into: &canvas, rect)
            for line in canvas.lines() where line.contains("▶") || line.contains("◀") {
                let cells = Array(line)
                // Each mark's number counts steps out of view: together less than the 200 steps, each a token of
                // its own (before the fix, "20" ran into "180▶" as "2180▶").
                var outOfView = 0
                for (x, c) in cells.enumerated() where c == "▶" {
                    var start = x
                    while start > 0, cells[start - 1].isNumber { start -= 1 }
                    #expect(start < x && start > 0 && cells[start - 1] == " ", "width \(width): \(line)")
                    outOfView += Int(String(cells[start..<x])) ?? 1000
                    checked += 1
                }
                for (x, c) in cells.enumerated() where c == "◀" {
                    var end = x + 1
                    while end < cells.count, cells[end].isNumber { end += 1 }
                    #expect(end > x + 1 && end < cells.count && cells[end] == " ", "width \(width): \(line)")
                    outOfView += Int(String(cells[(x + 1)..<end])) ?? 1000
                    checked += 1
                }
                #expect(outOfView < 200, "width \(width): \(line)")
            }
        }
    }
    #expect(checked > 20, "the marks showed \(checked) times")
}

@Test("A lesson too large for the one-step Jacobians says they are not recorded, instead of showing NaN")
func unrecordedJacobiansAreSaidSo() throws {
    // Σ H²·T = 150² · 180 = 4.05·10⁶, over `jacobiansAreCheap`'s 4·10⁶.
    let words = (0..<180).map { "w\($0 % 7)" }.joined(separator: " ")
    let large = try Lesson(
        scenario: "title: large\nmodel: {hidden_size: 150}\ninput: {tokens: \"\(words)\"}\n", path: "large.yaml")
    #expect(!large.jacobiansAreCheap)
    // Forward (the inspector's norms) and backward (the equations' Jacobian line).
    let forward = try session(large, [.stepForward, .stepForward]), backward = try session(large, [.switchPhase])
    #expect(!forward.trace.options.recordJacobians)
    let screens = [forward, backward].map { Screen.render($0, theme: colour, width: 120, height: 40).lines() }
    for screen in screens { #expect(!screen.joined().contains("NaN"), "\(screen.joined(separator: "\n"))") }
    let equations = try #require(screens.last).joined(separator: "\n")
    // Wrapped at 120 columns after "model".
    #expect(
        equations.contains("‖∂h_t/∂h_t-1‖ not recorded for a model") && equations.contains(" this large "),
        "\(equations)")
    // A small lesson records them and shows the number.
    let small = try session(.defaultLesson, [.stepForward])
    let shown = Screen.render(small, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
    #expect(small.trace.options.recordJacobians && shown.contains("‖∂h_t/∂h_t-1‖="), "\(shown)")
}
