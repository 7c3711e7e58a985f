import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

@Test(
    "fitted keeps whole words and marks the cut; a word too long for the width is abbreviated with …",
    arguments: [
        ("Vanishing: I grew up in France", 30, "Vanishing: I grew up in France"),
        ("Vanishing: I grew up in France", 20, "Vanishing: I grew…"),
        ("Vanishing: I grew up in France", 12, "Vanishing:…"),
        ("France", 5, "Fran…"),
        ("France", 6, "France"),
        ("a b", 1, "…"),
        ("I grew up in France … fluent French", 24, "I grew up in France …")
    ] as [(String, Int, String)])
func fitted(_ text: String, _ width: Int, _ expected: String) {
    let out = Format.fitted(text, width: width)
    #expect(out == expected)
    #expect(out.count <= width)
}

@Test("fittingItems keeps whole items from the first")
func fittingItems() {
    #expect(
        Format.fittingItems(["←→ step", "space play", "q quit"], separator: "  ", width: 20) == "←→ step  space play")
    #expect(Format.fittingItems(["←→ step", "space play"], separator: "  ", width: 5) == "")
}

/// The words a screen line shows between spaces.
private func words(_ line: String) -> [String] { line.split(separator: " ").map(String.init) }

@Test(
    "Titles, input words, targets and the key hint are never cut mid-word, at 80x24, 120x40 and 200x60, in Unicode and ASCII",
    arguments: Lesson.builtin.filter { $0.training == nil }.map(\.name))
func noWordCut(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let base = try Session(lesson: lesson)
    var checked = 0
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        for theme in [Theme(colorMode: .color256, glyphs: .unicode), Theme(colorMode: .monochrome, glyphs: .ascii)] {
            var s = base
            for _ in 0..<(2 * s.columns - 1) { s.handle(.stepForward) } // the backward phase, all revealed
            let lines = Screen.render(s, theme: theme, width: w, height: h).lines()
            let (cut, n) = cutWords(lines, session: s, lesson: lesson, theme: theme)
            #expect(cut.isEmpty, "\(name) \(w)x\(h): \(cut)")
            checked += n
        }
    }
    #expect(checked > 0)
}

/// The words of the title, the input and target rows and the key hint on a rendered screen that are cut (neither
/// whole nor marked with "…"), and how many words were checked; shared by `noWordCut` and the layout test.
func cutWords(_ lines: [String], session s: Session, lesson: Lesson, theme: Theme) -> (cut: [String], checked: Int) {
    var cut: [String] = [], checked = 0
    let hint = StatusView.hint.components(separatedBy: "  ")
    // The title: whole words of the lesson's title, then "…" when cut.
    let titleWords = Set(words(lesson.title).map { theme.glyphs == .ascii ? Canvas.foldedASCII($0) : $0 })
    let shownTitle = (lines.first ?? "").dropFirst(" Unroll  ".count).components(separatedBy: "  ").first ?? ""
    for word in words(shownTitle) {
        if !(titleWords.contains(word) || word.hasSuffix("…") || word.hasSuffix("~")) {
            cut.append("title word '\(word)'")
        }
        checked += 1
    }
    // The input row: each word a token of the lesson or abbreviated with "…".
    let tokens = Set(s.run.inputLabels + s.run.targetLabels.compactMap { $0 } + ["0"])
        .map { theme.glyphs == .ascii ? Canvas.foldedASCII($0) : $0 }
    if let row = lines.first(where: { $0.hasPrefix("x_t ") }) {
        // Past the gutter's label, with the lead column blanked: a vector-to-sequence model draws v there, not a word.
        let lead = GraphView.hasLead(s.trace) ? GraphView.leadWidth : 0
        let chars = Array(row)
        let shown = chars.indices.map { i in
            i >= GraphView.gutter && i < GraphView.gutter + lead ? " " : chars[i]
        }
        for word in words(String(shown.dropFirst(4)))
        where !word.contains("▶") && !word.contains("◀")
            && !word.hasPrefix("<") && !word.allSatisfy({ $0.isNumber || $0 == ">" || $0 == "<" })
        {
            let clean = word.trimmingCharacters(in: CharacterSet(charactersIn: "┊|"))
            if !(tokens.contains(clean) || clean.hasSuffix("…") || clean.hasSuffix("~") || clean.isEmpty) {
                cut.append("input word '\(word)'")
            }
            checked += 1
        }
    }
    // The key hint: whole hints only.
    let status = (lines.last ?? "").trimmingCharacters(in: .whitespaces)
    let items =
        theme.glyphs == .ascii
        ? StatusView.hint.replacingOccurrences(of: "←→", with: "<- ->").replacingOccurrences(of: "↑↓", with: "up/dn")
            .components(separatedBy: "  ")
        : hint
    for item in status.components(separatedBy: "  ") where !item.isEmpty {
        if !items.contains(item) { cut.append("hint '\(item)'") }
        checked += 1
    }
    return (cut, checked)
}

@Test("The colour legend: values −1…+1 and probabilities forward, the gradient scale's own floor and ceiling backward")
func colourLegend() throws {
    var s = try Session(lesson: .defaultLesson)
    let theme = Theme(colorMode: .color256, glyphs: .unicode)
    let forward = Screen.render(s, theme: theme, width: 80, height: 24)
    let layout = Screen.layout(width: 80, height: 24, session: s)
    let border = forward.lines()[layout.inspector.maxY - 1]
    #expect(border.contains(" values -1 ") && border.contains(" +1 ") && border.contains(" p 0 "))
    // The 11 cells between -1 and +1 carry the diverging map's colours, most negative first.
    let start = try #require(border.range(of: "values -1 ")).upperBound
    let x = border.distance(from: border.startIndex, to: start)
    let cells = (0..<11).map { forward.cells[(layout.inspector.maxY - 1) * 80 + x + $0] }
    #expect(cells == (-5...5).map { theme.style(forSigned: Double($0) / 5) })
    for _ in 0..<(2 * s.columns - 1) { s.handle(.stepForward) }
    let scale = GradientScale(trace: s.trace)
    let backward = Screen.render(s, theme: theme, width: 80, height: 24).lines()[layout.inspector.maxY - 1]
    #expect(
        backward.contains("≤" + Format.number(scale.floor, digits: 1))
            && backward.contains("≥" + Format.number(scale.ceiling, digits: 1)))
    // Independently: the floor and ceiling are 10⁻⁴ and 10² times ‖∂L/∂h‖ at the last step of the top layer.
    let reference = try #require(s.trace.layers.last?.steps.last).hiddenGradient.storage.map { $0 * $0 }.reduce(0, +)
        .squareRoot()
    #expect(
        abs(scale.floor - reference * 1e-4) <= 1e-12 * reference
            && abs(scale.ceiling - reference * 1e2) <= 1e-9 * reference)
    let mono = Screen.render(s, theme: Theme(colorMode: .monochrome, glyphs: .ascii), width: 80, height: 24).lines()[
        layout.inspector.maxY - 1]
    #expect(mono.contains("|grad| <=") && mono.contains(" >="))
}

@Test(
    "The help overlay names the flags a teacher needs (side by side, presenter, projector) where there is room, and lists every key"
)
func helpFooter() throws {
    var s = try Session(lesson: .defaultLesson)
    s.handle(.toggleHelp)
    let wide = Screen.render(s, theme: Theme(colorMode: .color256, glyphs: .unicode), width: 120, height: 40).lines()
        .joined(separator: "\n")
    #expect(wide.contains("Side by side: unroll lesson NAME --versus lstm|gru|skip=3|LESSON"))
    #expect(wide.contains("Presenter: P or --presenter; projector colours: --theme projector"))
    for binding in KeyMap.bindings { #expect(wide.contains(binding.help), "help lacks: \(binding.help)") }
    // At 80x24 the keys need every line: all of them are still listed.
    let small = Screen.render(s, theme: Theme(colorMode: .color256, glyphs: .unicode), width: 80, height: 24).lines()
        .joined(separator: "\n")
    for binding in KeyMap.bindings { #expect(small.contains(binding.help), "help at 80x24 lacks: \(binding.help)") }
}
