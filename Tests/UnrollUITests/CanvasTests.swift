import Testing

@testable import UnrollUI

@Suite("Canvas drawing")
struct CanvasTests {
    struct PutCase: Sendable, CustomStringConvertible {
        var text: String
        var x: Int
        var y: Int
        var clip: Rect?
        var expected: [String]
        var returned: Int
        var description: String { "\(text)@(\(x),\(y)) clip \(clip?.description ?? "nil")" }
    }

    static let putCases: [PutCase] = [
        PutCase(text: "abc", x: 1, y: 0, clip: nil, expected: [".abc..", "......"], returned: 4),
        PutCase(text: "abcdef", x: 3, y: 1, clip: nil, expected: ["......", "...abc"], returned: 9),
        PutCase(text: "abcdef", x: -2, y: 0, clip: nil, expected: ["cdef..", "......"], returned: 4),
        PutCase(text: "abc", x: 0, y: 2, clip: nil, expected: ["......", "......"], returned: 3),
        PutCase(text: "abc", x: 0, y: -1, clip: nil, expected: ["......", "......"], returned: 3),
        PutCase(
            text: "abcdef", x: 0, y: 0, clip: Rect(x: 2, y: 0, width: 2, height: 1),
            expected: ["..cd..", "......"], returned: 6),
        PutCase(
            text: "abcdef", x: 0, y: 1, clip: Rect(x: 2, y: 0, width: 2, height: 1),
            expected: ["......", "......"], returned: 6),
        PutCase(
            text: "abcdef", x: 4, y: 0, clip: Rect(x: 3, y: 0, width: 10, height: 5),
            expected: ["....ab", "......"], returned: 10),
        PutCase(text: "a\nb\u{1B}", x: 0, y: 0, clip: nil, expected: ["a?b?..", "......"], returned: 4),
        PutCase(text: "→↑", x: 4, y: 1, clip: nil, expected: ["......", "....→↑"], returned: 6)
    ]

    @Test("put clips to the canvas and the clip rectangle", arguments: putCases)
    func putClips(_ c: PutCase) {
        var canvas = Canvas(width: 6, height: 2, filledWith: Cell("."))
        let end = canvas.put(c.text, x: c.x, y: c.y, clip: c.clip)
        #expect(canvas.lines() == c.expected)
        #expect(end == c.returned)
    }

    @Test func putAppliesStyleOnlyToWrittenCells() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("hi", x: 1, y: 0, style: Style(foreground: .red, attributes: .bold))
        #expect(canvas.styledLines() == [" {r/- B}hi{}  "])
    }

    @Test func fillClipsToCanvas() {
        var canvas = Canvas(width: 4, height: 3, filledWith: Cell("."))
        canvas.fill(Rect(x: 2, y: 1, width: 5, height: 5), with: Cell("#", style: Style(background: .blue)))
        #expect(canvas.lines() == ["....", "..##", "..##"])
        #expect(canvas.styledLines() == ["....", "..{-/b}##", "..{-/b}##"])
    }

    @Test func cellAccessOutsideIsNilAndSetIsIgnored() {
        var canvas = Canvas(width: 2, height: 2)
        canvas.set(Cell("x"), x: 2, y: 0)
        canvas.set(Cell("y"), x: -1, y: 1)
        canvas.set(Cell("z"), x: 1, y: 1)
        #expect(canvas.cell(x: 2, y: 0) == nil)
        #expect(canvas.cell(x: 0, y: -1) == nil)
        #expect(canvas.cell(x: 1, y: 1) == Cell("z"))
        #expect(canvas.lines() == ["  ", " z"])
    }

    @Test func negativeSizeIsEmpty() {
        let canvas = Canvas(width: -3, height: 2)
        #expect(canvas.width == 0)
        #expect(canvas.lines() == ["", ""])
    }

    @Test func styledLinesEscapesBraces() {
        var canvas = Canvas(width: 4, height: 1)
        canvas.put("{a}", x: 0, y: 0)
        canvas.set(Cell("x", style: Style(background: .indexed(231))), x: 3, y: 0)
        #expect(canvas.styledLines() == ["{{a}{-/231}x"])
    }
}

@Suite("Box drawing")
struct BoxTests {
    struct BoxCase: Sendable, CustomStringConvertible {
        var glyphs: GlyphSet
        var rect: Rect
        var title: String?
        var expected: [String]
        var description: String { "\(glyphs) \(rect) \(title ?? "-")" }
    }

    static let cases: [BoxCase] = [
        BoxCase(
            glyphs: .unicode, rect: Rect(x: 0, y: 0, width: 6, height: 3), title: nil,
            expected: ["┌────┐..", "│....│..", "└────┘..", "........"]),
        BoxCase(
            glyphs: .ascii, rect: Rect(x: 0, y: 0, width: 6, height: 3), title: nil,
            expected: ["+----+..", "|....|..", "+----+..", "........"]),
        BoxCase(
            glyphs: .unicode, rect: Rect(x: 1, y: 0, width: 7, height: 4), title: "h",
            expected: [".┌ h ──┐", ".│.....│", ".│.....│", ".└─────┘"]),
        BoxCase(
            glyphs: .ascii, rect: Rect(x: 0, y: 1, width: 6, height: 3), title: "weights",
            expected: ["........", "+ wei+..", "|....|..", "+----+.."]),
        BoxCase(
            glyphs: .unicode, rect: Rect(x: 5, y: 2, width: 6, height: 6), title: nil,
            expected: ["........", "........", ".....┌──", ".....│.."]),
        BoxCase(
            glyphs: .ascii, rect: Rect(x: -2, y: -1, width: 5, height: 3), title: nil,
            expected: ["..|.....", "--+.....", "........", "........"]),
        BoxCase(
            glyphs: .unicode, rect: Rect(x: 0, y: 0, width: 2, height: 2), title: "x",
            expected: ["┌┐......", "└┘......", "........", "........"]),
        BoxCase(
            glyphs: .unicode, rect: Rect(x: 0, y: 0, width: 1, height: 3), title: nil,
            expected: ["........", "........", "........", "........"])
    ]

    @Test("boxes in both glyph sets", arguments: cases)
    func box(_ c: BoxCase) {
        var canvas = Canvas(width: 8, height: 4, filledWith: Cell("."))
        canvas.drawBox(c.rect, glyphs: c.glyphs, title: c.title)
        #expect(canvas.lines() == c.expected)
    }

    @Test func boxStyleIsApplied() {
        var canvas = Canvas(width: 3, height: 2)
        canvas.drawBox(canvas.bounds, glyphs: .ascii, style: Style(foreground: .cyan))
        #expect(canvas.styledLines() == ["{c/-}+-+", "{c/-}+-+"])
    }
}

@Suite("Rect")
struct RectTests {
    @Test(arguments: [
        (
            Rect(x: 0, y: 0, width: 4, height: 4), Rect(x: 2, y: 1, width: 4, height: 2),
            Rect(x: 2, y: 1, width: 2, height: 2)
        ),
        (
            Rect(x: 0, y: 0, width: 2, height: 2), Rect(x: 3, y: 3, width: 2, height: 2),
            Rect(x: 3, y: 3, width: 0, height: 0)
        ),
        (
            Rect(x: -1, y: -1, width: 3, height: 3), Rect(x: 0, y: 0, width: 10, height: 10),
            Rect(x: 0, y: 0, width: 2, height: 2)
        )
    ])
    func intersection(a: Rect, b: Rect, expected: Rect) {
        #expect(a.intersection(b) == expected)
        #expect(b.intersection(a) == expected)
    }

    @Test func insetNeverGoesNegative() {
        #expect(Rect(x: 1, y: 1, width: 5, height: 3).insetBy(dx: 1, dy: 1) == Rect(x: 2, y: 2, width: 3, height: 1))
        #expect(Rect(x: 0, y: 0, width: 1, height: 1).insetBy(dx: 1, dy: 1).isEmpty)
        #expect(Rect(x: 0, y: 0, width: 3, height: 2).area == 6)
        #expect(Rect(x: 0, y: 0, width: -3, height: 2).area == 0)
    }
}
