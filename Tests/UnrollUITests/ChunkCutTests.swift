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
