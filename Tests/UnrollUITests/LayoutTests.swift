import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// The text of screen line `y` between columns `from` and `to` (exclusive).
private func span(_ lines: [String], y: Int, from: Int, to: Int) -> String {
    guard lines.indices.contains(y) else { return "" }
    let row = Array(lines[y])
    return String(row[max(0, from)..<min(row.count, max(from, to))])
}

/// The sessions the layout test renders: forward at step 1, and backward at the first step of the backward phase.
private func phases(_ lesson: Lesson) throws -> [(String, Session)] {
    let forward = try Session(lesson: lesson)
    var backward = forward
    for _ in 0..<backward.columns { backward.handle(.stepForward) }
    return [("forward", forward), ("backward", backward)]
}

@Test(
    "Every step-through lesson at 80x24, 120x40 and 200x60, both phases, Unicode and ASCII: no cut word or model-line part, every gradient step shown or a scroll marker, and at 200x60 no more than 3 rows below the graph blank in every panel",
    arguments: Lesson.builtin.filter { $0.training == nil }.map(\.name))
func layoutsFit(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    var labelsRead = 0
    for (phase, s) in try phases(lesson) {
        #expect(s.phase == (phase == "forward" ? .forward : .backward))
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            for theme in [Theme(colorMode: .color256, glyphs: .unicode), Theme(colorMode: .monochrome, glyphs: .ascii)]
            {
                let at = "\(name) \(phase) \(w)x\(h) \(theme.glyphs)"
                let lines = Screen.render(s, theme: theme, width: w, height: h).lines()
                let layout = Screen.layout(width: w, height: h, session: s)
                // Words: the title, the input and target rows, the key hint.
                let (cut, checked) = cutWords(lines, session: s, lesson: lesson, theme: theme)
                #expect(cut.isEmpty && checked > 0, "\(at): \(cut)")
                // The model line: whole parts, separated by " · " (in Unicode: ASCII spells some symbols out).
                let parts = Set(HeaderView.modelLine(s).components(separatedBy: " · "))
                let shown =
                    theme.glyphs == .unicode
                    ? lines[1].trimmingCharacters(in: .whitespaces).components(separatedBy: " · ") : []
                for part in shown where !part.isEmpty {
                    #expect(parts.contains(part), "\(at): model line part '\(part)' is cut")
                }
                if !layout.gradients.isEmpty, layout.gradients.height >= 6, s.gradientSeries != nil {
                    labelsRead += try expectEverySteps(lines, session: s, rect: layout.gradients, at: at) ? 1 : 0
                }
                if w == 200 && !layout.inspector.isEmpty && InspectorView.selection(s.revealedTrace) != nil {
                    // Rows of the band below the graph where the inspector, the equations and the weights all show nothing.
                    let panels = [layout.inspector, layout.equations, layout.weights].filter { !$0.isEmpty }
                    let blank = (layout.graph.maxY + 1..<layout.status.y - 1).filter { y in
                        panels.allSatisfy {
                            span(lines, y: y, from: $0.x + 1, to: $0.maxX - 1).allSatisfy { $0 == " " }
                        }
                    }
                    #expect(blank.count <= 3, "\(at): \(blank.count) blank rows below the graph: \(blank)")
                }
            }
        }
    }
    // A lesson that shows the gradient panel has it wide enough for its step labels at some size (200x60 at least).
    if lesson.display.panels.contains(.gradients) {
        #expect(labelsRead > 0, "\(name): no layout showed the gradient panel's step labels unscrolled")
    } else {
        #expect(labelsRead == 0, "\(name): its panels \(lesson.display.panels) have no gradient panel")
    }
}

/// The gradient panel's step labels (the line above its two text lines): the first and last step of the selected layer
/// (the layer the panel charts) are labelled (or carry the selection's arrow), the numbers increase and stay in range, unless a scroll marker
/// says steps are out of view; and the marker appears only when one column per step and series cannot fit.
/// Returns whether the labels were read (false when a scroll marker stands in for them).
/// - Precondition: the panel is at least 6 rows high and the session has a gradient series.
private func expectEverySteps(_ lines: [String], session s: Session, rect: Rect, at: String) throws -> Bool {
    let series = try #require(s.gradientSeries, "\(at): no gradient series")
    try #require(!rect.isEmpty && rect.height >= 6, "\(at): the gradient panel is \(rect.width)x\(rect.height)")
    // The layer the panel charts: the selected one, or at an encoder step the encoder on the selected row.
    let charted = s.gradientPanel.selectedLayer
    let layer = try #require(s.trace.layers.indices.contains(charted) ? s.trace.layers[charted] : nil)
    let row = span(lines, y: rect.maxY - 4, from: rect.x + 1, to: rect.maxX - 1)
    let scrolled = row.contains("◀") || row.contains("▶") || row.contains("<") || row.contains(">")
    let perStep = 1 + (series.cell == nil ? 0 : 1) + (series.comparison == nil ? 0 : 1)
    let fits = layer.steps.count * perStep <= rect.width - 2 - 6
    #expect(
        scrolled != fits, "\(at): \(layer.steps.count) steps, \(fits ? "room for all" : "no room"), labels '\(row)'")
    if scrolled { return false }
    let numbers = row.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
    #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "\(at): labels out of order '\(row)'")
    let arrow = row.contains("↑") || row.contains("^")
    let labelled = Set(numbers).union(arrow ? [s.inspectedColumn + 1] : [])
    let first = layer.startColumn + 1, last = layer.startColumn + layer.steps.count
    #expect(
        labelled.contains(first) && labelled.contains(last) && numbers.allSatisfy { (first...last).contains($0) },
        "\(at): steps \(first)–\(last), labels '\(row)'")
    return true
}

@Test(
    "Unit labels under a node: a tick and the number at each unit's first cell, for every unit or none",
    arguments: [
        (8, 16, GlyphSet.unicode, "╵1╵2╵3╵4╵5╵6╵7╵8" as String?),
        (8, 12, .unicode, nil),
        (8, 8, .unicode, nil),
        (4, 10, .ascii, "'1 '2'3 '4"),
        (10, 20, .unicode, nil),
        (10, 30, .unicode, "╵1 ╵2 ╵3 ╵4 ╵5 ╵6 ╵7 ╵8 ╵9 ╵10")
    ] as [(Int, Int, GlyphSet, String?)])
func unitLabels(_ units: Int, _ width: Int, _ glyphs: GlyphSet, _ expected: String?) {
    #expect(GraphView.unitLabels(units: units, width: width, glyphs: glyphs) == expected)
}

@Test("At 200x60 the graph's nodes grow past 4 lines, name their units, and a click on the units line selects the node")
func tallNodes() throws {
    let s = try Session(lesson: try #require(Lesson.builtin(named: "memory")))
    let layout = Screen.layout(width: 200, height: 60, session: s)
    let v = GraphView.verticalLayout(GraphView.rows(s.trace).count, skip: s.trace.spec.skip != nil, layout.graph)
    #expect(v.nodeHeight > 4 && v.outputHeight <= 4)
    let lines = Screen.render(s, theme: Theme(colorMode: .color256, glyphs: .unicode), width: 200, height: 60).lines()
    let y = try #require(v.nodes.first) + v.nodeHeight - 1
    #expect(lines[y].contains("╵1"))
    let g = GraphView.geometry(s.revealedTrace, layout.graph)
    let hit = try #require(GraphView.hit(s.revealedTrace, layout.graph, x: g.x(0, in: layout.graph) + 2, y: y))
    #expect(hit.column == 0 && hit.layer == 0)
}

@Test(
    "Clipping is visible: after x on an exploding gradient, a warning line in the gradient panel and the header give ‖g‖ before → after"
)
func clippingVisible() throws {
    var s = try Session(lesson: try #require(Lesson.builtin(named: "exploding")))
    for _ in 0..<s.columns { s.handle(.stepForward) }
    let theme = Theme(colorMode: .color256, glyphs: .unicode)
    let before = Screen.render(s, theme: theme, width: 120, height: 40)
    #expect(!before.lines().joined().contains("clipped"))
    s.handle(.toggleClip)
    try #require(s.trace.clip.clipped)
    let after = Screen.render(s, theme: theme, width: 120, height: 40)
    let lines = after.lines()
    let layout = Screen.layout(width: 120, height: 40, session: s)
    // Independently of the report: the global norm of the unclipped gradients, and the threshold 1 after clipping.
    let norm = s.trace.gradients.map { $0.storage.map { $0 * $0 }.reduce(0, +) }.reduce(0, +).squareRoot()
    let expected = "clipped ‖g‖ \(Format.number(norm, digits: 2))→1"
    let y = layout.gradients.y + 1
    #expect(span(lines, y: y, from: layout.gradients.x + 1, to: layout.gradients.maxX - 1).hasPrefix(expected))
    #expect(after.cells[y * 120 + layout.gradients.x + 1].style == theme.warning)
    #expect(lines[1].contains(expected))
}
