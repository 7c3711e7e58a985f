import Foundation
import Testing

@testable import UnrollUI

/// `Canvas.svg`: cells become text runs and shapes at 10 × 20 units a cell (hand-computed coordinates).
@Suite("A canvas as SVG")
struct SVGTests {
    @Test("Block elements are rectangles of the cell's part: full, lower half, lower eighths, left half, shades")
    func blocks() throws {
        var c = Canvas(width: 8, height: 2)
        c.put("█▄▁▌░▒▓", x: 1, y: 1, style: Style(foreground: .red))
        let svg = c.svg(title: "t")
        // █ at column 1, row 1: x 10, y 20, the whole 10 × 20 cell; red is xterm's #cd0000.
        #expect(svg.contains("<rect x=\"10\" y=\"20\" width=\"10\" height=\"20\" fill=\"#cd0000\"/>"))
        // ▄ at column 2: the lower half, from y 30.
        #expect(svg.contains("<rect x=\"20\" y=\"30\" width=\"10\" height=\"10\" fill=\"#cd0000\"/>"))
        // ▁ at column 3: the lower eighth, 2.5 high from y 37.5.
        #expect(svg.contains("<rect x=\"30\" y=\"37.5\" width=\"10\" height=\"2.5\" fill=\"#cd0000\"/>"))
        // ▌ at column 4: the left half, 5 wide.
        #expect(svg.contains("<rect x=\"40\" y=\"20\" width=\"5\" height=\"20\" fill=\"#cd0000\"/>"))
        // ░ ▒ ▓: the whole cell at a quarter, a half, three quarters.
        #expect(svg.contains("<rect x=\"50\" y=\"20\" width=\"10\" height=\"20\" fill=\"#cd0000\" fill-opacity=\"0.25\"/>"))
        #expect(svg.contains("<rect x=\"60\" y=\"20\" width=\"10\" height=\"20\" fill=\"#cd0000\" fill-opacity=\"0.5\"/>"))
        #expect(svg.contains("<rect x=\"70\" y=\"20\" width=\"10\" height=\"20\" fill=\"#cd0000\" fill-opacity=\"0.75\"/>"))
        #expect(!svg.contains("<text"), "no glyph of these is text")
    }

    @Test("Box-drawing lines run from the cell's centre to its sides, so borders join; dashed ones are dashed")
    func lines() throws {
        var c = Canvas(width: 4, height: 1)
        c.put("┌─╌┘", x: 0, y: 0)
        let svg = c.svg(title: "t")
        // ┌ at column 0: right from the centre (5, 10) to x 10, down from the centre to y 20.
        #expect(svg.contains("<path d=\"M5 10 H10 M5 10 V20\""))
        // ─ at column 1: from x 10 to x 20 at y 10.
        #expect(svg.contains("<path d=\"M10 10 H20\" stroke=\"#d0d0d0\""))
        #expect(svg.contains("<path d=\"M20 10 H30\" stroke=\"#d0d0d0\" stroke-width=\"1.5\" fill=\"none\" stroke-dasharray"))
        // ┘ at column 3: left from the centre to x 30, up to y 0.
        #expect(svg.contains("<path d=\"M30 10 H35 M35 0 V10\""))
    }

    @Test("Text runs stretch to their cells; a background, reverse, bold and dim are painted; markup is escaped")
    func text() throws {
        var c = Canvas(width: 20, height: 1)
        c.put("a<b>&", x: 0, y: 0, style: Style(foreground: .green, attributes: [.bold]))
        c.put("R", x: 10, y: 0, style: Style(foreground: .blue, attributes: [.reverse]))
        let svg = c.svg(title: "x</title><script>")
        #expect(svg.contains(">a&lt;b&gt;&amp;</text>"))
        #expect(svg.contains("x=\"0\" y=\"15\" textLength=\"50\" lengthAdjust=\"spacingAndGlyphs\" fill=\"#00cd00\""))
        #expect(svg.contains("font-weight=\"bold\""))
        // Reverse: the cell is filled with the foreground's colour and the glyph drawn in the background's.
        #expect(svg.contains("<rect x=\"100\" y=\"0\" width=\"10\" height=\"20\" fill=\"#1e90ff\"/>"))
        #expect(svg.contains("fill=\"#1c1c1c\">R</text>"))
        #expect(svg.contains("<title id=\"title\">x&lt;/title&gt;&lt;script&gt;</title>"))
    }

    @Test("xterm's 256 colours: the cube and the grey ramp", arguments: [
        (16, "#000000"), (21, "#0000ff"), (196, "#ff0000"), (231, "#ffffff"), (67, "#5f87af"), (232, "#080808"),
        (255, "#eeeeee")
    ])
    func xterm(index: Int, hex: String) {
        #expect(SVGPalette.dark.hex(.indexed(UInt8(index))) == hex)
    }

    @Test("Control characters, which XML forbids, become U+FFFD")
    func controls() {
        #expect(Canvas.escaped("a\u{1B}[2Jb\u{7}") == "a\u{FFFD}[2Jb\u{FFFD}")
    }

    @Test("A crop keeps the cells of the rectangle, clipped to the canvas")
    func crop() {
        var c = Canvas(width: 6, height: 3)
        c.put("abcdef", x: 0, y: 1)
        let r = c.cropped(to: Rect(x: 2, y: 1, width: 10, height: 1))
        #expect(r.width == 4 && r.height == 1 && r.lines() == ["cdef"])
    }
}
