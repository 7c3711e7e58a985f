import Testing
import UnrollLessons

@testable import UnrollUI

private let theme = Theme(colorMode: .color256, glyphs: .unicode)

@Test(
    "The equations panel drawn from the layout's measured lines equals the panel laid out anew, every lesson, both phases"
)
func equationsDraftDrawsTheSame() throws {
    var drafted = 0
    for lesson in Lesson.builtin where lesson.training == nil {
        for (width, height) in [(120, 40), (200, 60)] {
            for backward in [false, true] {
                var s = try Session(lesson: lesson)
                s.handle(.last)
                if backward { s.handle(.switchPhase) }
                let layout = Screen.layout(width: width, height: height, session: s)
                guard !layout.equations.isEmpty else { continue }
                var anew = Canvas(width: width, height: height), reused = anew
                EquationView.render(s.revealedTrace, theme: theme, into: &anew, layout.equations)
                EquationView.render(
                    s.revealedTrace, theme: theme, into: &reused, layout.equations, draft: layout.equationsDraft)
                #expect(reused == anew, "\(lesson.name) \(width)x\(height) \(backward ? "backward" : "forward")")
                // The whole screen, drawn with the draft, is the one drawn with a layout that has none.
                var bare = layout
                bare.equationsDraft = nil
                #expect(
                    Screen.render(s, theme: theme, width: width, height: height)
                        == Screen.render(s, theme: theme, width: width, height: height, layout: bare), "\(lesson.name)")
                if layout.equationsDraft?.width == layout.equations.width - 3 { drafted += 1 }
            }
        }
    }
    // The draft is made at the panel's width, not merely harmless: from 120 columns the equations have a panel of their own.
    #expect(drafted > 0)
    let s = try Session(lesson: .defaultLesson)
    let layout = Screen.layout(width: 200, height: 60, session: s)
    let draft = try #require(layout.equationsDraft)
    #expect(draft.width == layout.equations.width - 3 && !draft.lines.isEmpty)
}

@Test("A draft made at another width, or with more lines than the panel has rows, is not drawn")
func equationsDraftRefusedWhenItDoesNotFit() throws {
    let s = try Session(lesson: .defaultLesson)
    let rect = Rect(x: 0, y: 0, width: 60, height: 12)
    var anew = Canvas(width: 60, height: 12)
    EquationView.render(s.revealedTrace, theme: theme, into: &anew, rect)
    let wrong = [
        Screen.EquationsDraft(width: 40, lines: [Equations.Line(text: "wrong width", numbers: false)]),
        Screen.EquationsDraft(
            width: 57, lines: Array(repeating: Equations.Line(text: "too many", numbers: false), count: 11))
    ]
    for draft in wrong {
        var canvas = Canvas(width: 60, height: 12)
        EquationView.render(s.revealedTrace, theme: theme, into: &canvas, rect, draft: draft)
        #expect(canvas == anew)
    }
    // One that fits is drawn as given (which is how the reuse can be seen at all).
    var canvas = Canvas(width: 60, height: 12)
    EquationView.render(
        s.revealedTrace, theme: theme, into: &canvas, rect,
        draft: .init(width: 57, lines: [.init(text: "given", numbers: true)]))
    #expect(canvas.lines()[1] == "│ given" + String(repeating: " ", count: 52) + "│")
}

@Test("put(repeating:) writes what put(String(repeating:)) writes, clipped at every edge")
func putRepeating() {
    for (x, y, count) in [(0, 0, 5), (-3, 1, 6), (8, 2, 7), (2, 3, 0), (1, -1, 4), (1, 4, 4), (-2, 1, 20)] {
        var a = Canvas(width: 10, height: 4), b = a
        a.put(String(repeating: "·", count: count), x: x, y: y, style: Style(foreground: .red))
        b.put(repeating: "·", count: count, x: x, y: y, style: Style(foreground: .red))
        #expect(a == b, "\(x), \(y), \(count)")
    }
    var c = Canvas(width: 10, height: 4)
    c.put(repeating: "·", count: 3, x: 8, y: 1, style: .plain)
    #expect(c.lines()[1] == "        ··")
}

@Test("Equations.wrap gives the same lines when asked again (remembered) as the first time")
func wrapRemembered() {
    let text = "h_t = tanh(W_hh\u{00A0}h_t-1 + W_ih\u{00A0}x_t + b_ih + b_hh) = tanh(0.512) = 0.471"
    let first = Equations.wrap(text, width: 24, indent: 4)
    // Worked by hand: operators travel with their term, a no-break space never breaks, continuation indented by 4.
    #expect(
        first == ["h_t = tanh(W_hh h_t-1", "    + W_ih x_t + b_ih", "    + b_hh)", "    = tanh(0.512)", "    = 0.471"])
    #expect(Equations.wrap(text, width: 24, indent: 4) == first)
    #expect(Equations.wrap(text, width: 30, indent: 4) != first)
}

@Test(
    "diff: rows equal cell by cell but not byte by byte (two copies of a long grapheme) give no runs; a changed row gives its run"
)
func diffRowsEqualByValue() throws {
    let family = "👨\u{200D}👩\u{200D}👧\u{200D}👦" // 25 UTF-8 bytes: stored apart, so two copies differ in their bits
    var a = Canvas(width: 6, height: 3), b = a
    a.set(Cell(Character(String(family.unicodeScalars))), x: 1, y: 1)
    b.set(Cell(Character(String(String(family.reversed().reversed())))), x: 1, y: 1)
    #expect(b.diff(from: a).isEmpty)
    b.put("x", x: 4, y: 2)
    #expect(b.diff(from: a) == [CanvasRun(x: 4, y: 2, style: .plain, text: "x")])
}
