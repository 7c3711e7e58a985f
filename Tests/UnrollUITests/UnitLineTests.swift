import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

// Issue 26, item 3: the unit line, one unit's h_t over the text a character model reads (Karpathy, Johnson &
// Fei-Fei 2015), in colour and, under each line of text, in shade characters that carry the value without colour.

private let unitsText = Array(
    "Let me not to the marriage of true minds admit impediments. Love is not love which alters when it alteration finds, or bends with the remover to remove."
)

@Test("The unit line's text wraps after a space: every line fits, the lines give the text back, no word is split")
func unitLineWraps() throws {
    for width in [20, 37, 80, 120, 200] {
        let lines = UnitLineView.lines(unitsText, width: width)
        try #require(!lines.isEmpty)
        #expect(lines.map { String(unitsText[$0]) }.joined() == String(unitsText))
        for (i, r) in lines.enumerated() {
            #expect(r.count <= width)
            // A break falls after a space or at the end: never between two letters of a word (the longest is 12).
            if i < lines.count - 1 { #expect(unitsText[r.upperBound - 1] == " " || unitsText[r.upperBound] == " ") }
        }
    }
    // A word longer than the line is cut, the one case it must be.
    #expect(UnitLineView.lines(Array("abcdefgh ij"), width: 4).map(\.count) == [4, 4, 3])
}

/// The session of the units lesson after `steps` steps forward.
private func units(steps: Int) throws -> Session {
    var s = try Session(lesson: try #require(Lesson.builtin(named: "units")))
    for _ in 0..<steps { s.handle(.stepForward) }
    return s
}

@Test(
    "The units lesson's unit line at 80x24, 120x40 and 200x60, colour and NO_COLOR ASCII: the heading names the unit, the text shows in whole words, and the shade row under each revealed character carries the sign and size of h_t read from the trace",
    arguments: [(80, 24), (120, 40), (200, 60)])
func unitLineOnScreen(width: Int, height: Int) throws {
    let s = try units(steps: 29)
    let model = try #require(s.unitLine)
    #expect(model.unit == 10 && model.column == 29)
    let words = Set(String(unitsText).split(separator: " ").map(String.init))
    let h = s.trace.layers[0].steps.map { $0.hidden[0, 10] }
    for theme in [Theme(colorMode: .color256, glyphs: .unicode), Theme(colorMode: .monochrome, glyphs: .ascii)] {
        let layout = Screen.layout(width: width, height: height, session: s)
        try #require(layout.unitLine.height >= 3, "\(width)x\(height): \(layout.unitLine)")
        #expect(layout.graph.y >= layout.unitLine.maxY && layout.unitLine.y >= layout.caption.maxY)
        let lines = Screen.render(s, theme: theme, width: width, height: height).lines().map { Array($0) }
        let top = layout.unitLine.y
        #expect(String(lines[top]).hasPrefix("unit line: h_t of unit 11"), "\(String(lines[top]))")
        var checked = 0
        var y = top + 1
        while y + 1 < layout.unitLine.maxY {
            let text = String(lines[y]).trimmingCharacters(in: .whitespaces)
            for w in text.split(separator: " ") { #expect(words.contains(String(w)), "'\(w)' is cut at \(width)x\(height)") }
            // Where this line starts in the text: the unit line shows whole lines from the text's start here.
            guard let start = String(unitsText).range(of: text).map({ String(unitsText).distance(from: String(unitsText).startIndex, to: $0.lowerBound) })
            else {
                Issue.record("line '\(text)' is not in the text")
                break
            }
            for (i, shade) in lines[y + 1].enumerated() where start + i < h.count && start + i <= 29 && i < text.count {
                let v = h[start + i]
                if v > 0.6 { #expect("+#".contains(shade), "h = \(v): '\(shade)'") }
                if v < -0.6 { #expect("=-".contains(shade), "h = \(v): '\(shade)'") }
                if abs(v) < 0.05 { #expect(".·".contains(shade), "h = \(v): '\(shade)'") }
                checked += 1
            }
            y += 2
        }
        // The 30 characters read so far (steps 1 to 30) all carry a shade.
        #expect(checked == 30, "\(width)x\(height) \(theme.glyphs): \(checked) shades checked")
    }
}

@Test("'.' and ',' choose the unit the unit line shows, and a lesson without a text to step through has none")
func unitLineKeys() throws {
    var s = try units(steps: 3)
    s.handle(.nextUnit)
    #expect(s.unitLine?.unit == 11)
    for _ in 0..<7 { s.handle(.previousUnit) }
    #expect(s.unitLine?.unit == 4)
    #expect(try Session(lesson: try #require(Lesson.builtin(named: "lstm"))).unitLine == nil)
}
