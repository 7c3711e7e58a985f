import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// The inspector's backward columns against the trace, read off the rendered text.
@Suite("Inspector")
struct InspectorTests {
    /// The numbers under the column titled `title`, one per unit row, as drawn (a number starts where its title
    /// starts); nil when there is no such column.
    static func column(_ title: String, in lines: [String], rows: Int) throws -> [String]? {
        // The heading is the first line with a "u" column.
        let headingIndex = try #require(
            lines.firstIndex { $0.contains(" u ") }, "no heading in\n\(lines.joined(separator: "\n"))")
        let heading = Array(lines[headingIndex])
        let titleChars = Array(title)
        guard
            let x = (0...(heading.count - titleChars.count)).first(where: {
                Array(heading[$0..<$0 + titleChars.count]) == titleChars
            })
        else { return nil }
        try #require(lines.count > headingIndex + rows)
        return try (1...rows).map { r in
            let line = Array(lines[headingIndex + r])
            try #require(line.count >= x + 5, "row \(r) too short: \(String(line))")
            return String(line[x..<x + 5]).trimmingCharacters(in: .whitespaces)
        }
    }

    /// How far a number drawn by the inspector (`+0.42`, `-1.50`, `+12.3`, `3e-05`) may be from the value.
    static func tolerance(_ shown: String) throws -> Double {
        if let e = shown.firstIndex(of: "e") {
            let exponent = try #require(Int(shown[shown.index(after: e)...]), "\(shown)")
            return 0.5 * pow(10, Double(exponent)) * 1.0001
        }
        let decimals = shown.split(separator: ".").dropFirst().first?.count ?? 0
        return 0.5 * pow(10, -Double(decimals)) * 1.0001
    }

    /// The value a drawn number stands for (`3e-05` is 3·10⁻⁵).
    static func value(_ shown: String) throws -> Double {
        try #require(Double(shown), "not a number: '\(shown)'")
    }

    @Test("LSTM, backward: the ∂L/∂c column is the trace's cell gradient at that step, not ∂L/∂h, which differs there")
    func lstmCellGradientColumn() throws {
        var s = try Session(lesson: try #require(Lesson.builtin(named: "lstm")))
        #expect(s.trace.spec.cell == .lstm)
        s.handle(.last)
        s.handle(.switchPhase)
        try #require(s.phase == .backward)
        let layerIndex = try #require(s.trace.layers.firstIndex { $0.label == "l0" })
        let layer = s.trace.layers[layerIndex]
        // A step in the middle: its cell gradient carries the later steps' losses back through the forget gate.
        let column = layer.startColumn + layer.steps.count / 2
        s.handle(.select(layer: layerIndex, column: column))
        try #require(s.isRevealed(layer: layer, column: column), "the backward phase at its end reveals every step")
        let step = try #require(layer.step(at: column))
        let h = layer.hiddenSize
        // Expected values: the engine's recorded gradients (the trace), independent of the view that draws them.
        let dc = try #require(step.cellGradient, "an LSTM step records ∂L/∂c").row(0)
        let dh = step.hiddenGradient.row(0)
        try #require(dc.count == h && dh.count == h)

        let theme = Theme(colorMode: .monochrome, glyphs: .unicode)
        var canvas = Canvas(width: 60, height: h + 4)
        InspectorView.render(
            s.revealedTrace, theme: theme, into: &canvas, Rect(x: 0, y: 0, width: 60, height: h + 4),
            withEquations: false)
        let lines = canvas.lines()
        let shownC = try #require(
            try Self.column("∂L/∂c", in: lines, rows: h), "no ∂L/∂c column:\n\(lines.joined(separator: "\n"))")
        let shownH = try #require(
            try Self.column("∂L/∂h", in: lines, rows: h), "no ∂L/∂h column:\n\(lines.joined(separator: "\n"))")
        for u in 0..<h {
            #expect(
                abs(try Self.value(shownC[u]) - dc[u]) <= (try Self.tolerance(shownC[u])),
                "unit \(u + 1): ∂L/∂c drawn \(shownC[u]), the trace has \(dc[u])")
            #expect(
                abs(try Self.value(shownH[u]) - dh[u]) <= (try Self.tolerance(shownH[u])),
                "unit \(u + 1): ∂L/∂h drawn \(shownH[u]), the trace has \(dh[u])")
        }
        // The two gradients differ at this step by more than the drawing rounds away, for some unit: a column
        // fed ∂L/∂h instead of ∂L/∂c fails above.
        let apart = try (0..<h).filter { u in
            abs(dc[u] - dh[u]) > 2 * (try Self.tolerance(shownC[u])) + 2 * (try Self.tolerance(shownH[u]))
        }
        try #require(
            !apart.isEmpty, "∂L/∂c and ∂L/∂h agree to the drawn precision at step \(column + 1): choose another step")
    }
}
