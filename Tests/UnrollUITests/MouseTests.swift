import Foundation
import Testing
import UnrollLessons

@testable import UnrollUI

/// ncurses's button bits as its curses.h defines them for mouse version 2 (ncurses 6):
/// `NCURSES_MOUSE_MASK(b, m) = m << ((b - 1) * 5)`, with RELEASED 01, PRESSED 02, CLICKED 04, DOUBLE_CLICKED 010,
/// and the modifiers and position report as buttons 6 (CTRL 01, SHIFT 02, ALT 04, REPORT_MOUSE_POSITION 010).
/// Written out here, not taken from the library, so the table is an independent statement of what the bits mean.
enum CursesBits {
    static func mask(_ button: UInt64, _ m: UInt64) -> UInt64 { m << ((button - 1) * 5) }
    static let released: UInt64 = 0o1, pressed: UInt64 = 0o2, clicked: UInt64 = 0o4, double: UInt64 = 0o10
    static let ctrl = mask(6, 0o1), shift = mask(6, 0o2), position = mask(6, 0o10)
    /// The masks `TerminalSession` builds from the library (`BUTTONn_PRESSED | BUTTONn_CLICKED`, wheel: PRESSED).
    static let masks = MouseMasks(
        left: mask(1, pressed | clicked), middle: mask(2, pressed | clicked),
        right: mask(3, pressed | clicked), wheelUp: mask(4, pressed), wheelDown: mask(5, pressed))
}

struct DecodeCase: Sendable, CustomTestStringConvertible {
    var what: String
    var state: UInt64
    var x = 12, y = 7
    var masks = CursesBits.masks
    var expected: MouseEvent.Button?
    var testDescription: String { what }
}

@Suite("Mouse")
struct MouseTests {
    static let decodeCases: [DecodeCase] = {
        typealias B = CursesBits
        return [
            DecodeCase(what: "left pressed", state: B.mask(1, B.pressed), expected: .left),
            DecodeCase(what: "left clicked", state: B.mask(1, B.clicked), expected: .left),
            DecodeCase(
                what: "left pressed with Ctrl and Shift", state: B.mask(1, B.pressed) | B.ctrl | B.shift,
                expected: .left),
            DecodeCase(what: "left released (a release is not a press)", state: B.mask(1, B.released), expected: nil),
            DecodeCase(what: "left double click (not asked for)", state: B.mask(1, B.double), expected: nil),
            DecodeCase(what: "middle pressed", state: B.mask(2, B.pressed), expected: .middle),
            DecodeCase(what: "right clicked", state: B.mask(3, B.clicked), expected: .right),
            DecodeCase(what: "wheel up", state: B.mask(4, B.pressed), expected: .wheelUp),
            DecodeCase(what: "wheel down", state: B.mask(5, B.pressed), expected: .wheelDown),
            DecodeCase(
                what: "wheel down where the library has no button 5", state: B.mask(5, B.pressed),
                masks: MouseMasks(
                    left: B.masks.left, middle: B.masks.middle, right: B.masks.right,
                    wheelUp: B.masks.wheelUp, wheelDown: 0), expected: nil),
            DecodeCase(what: "a motion report, no button", state: B.position, expected: nil),
            DecodeCase(what: "an empty state", state: 0, expected: nil),
            DecodeCase(what: "bits of no known button (high bits)", state: 1 << 40 | 1 << 31, expected: nil),
            DecodeCase(
                what: "left and right at once: left first", state: B.mask(1, B.pressed) | B.mask(3, B.pressed),
                expected: .left),
            DecodeCase(
                what: "left at a negative column (off the left edge)", state: B.mask(1, B.pressed), x: -1, expected: nil
            ),
            DecodeCase(
                what: "left at a negative row (off the top edge)", state: B.mask(1, B.pressed), y: -3, expected: nil),
            DecodeCase(what: "left at the origin", state: B.mask(1, B.pressed), x: 0, y: 0, expected: .left),
            DecodeCase(
                what: "left far off the bottom right (the screen decides)", state: B.mask(1, B.pressed), x: 9999,
                y: 9999,
                expected: .left)
        ]
    }()

    @Test(
        "A terminal's mouse report to an event: the button its bits name, at its cell, or nothing",
        arguments: decodeCases)
    func decode(_ c: DecodeCase) {
        let event = MouseEvent.decode(state: c.state, x: c.x, y: c.y, masks: c.masks)
        #expect(event == c.expected.map { MouseEvent(x: c.x, y: c.y, button: $0) })
    }

    /// The default lesson at 100 × 30, forward, two steps in.
    static func screen() throws -> (session: Session, lines: [String], width: Int, height: Int) {
        var s = try Session(lesson: .defaultLesson)
        s.handle(.stepForward)
        s.handle(.stepForward)
        let theme = Theme(colorMode: .monochrome, glyphs: .unicode)
        return (s, Screen.render(s, theme: theme, width: 100, height: 30).lines(), 100, 30)
    }

    /// Where each step's token is written in the graph's `x_t` row, and the first row of the hidden nodes
    /// (`h l0`), read off the rendered screen: where a student sees a step's node.
    static func nodes(_ lines: [String]) throws -> (xs: [Int], y: Int, inputRow: Int) {
        let inputRow = try #require(lines.firstIndex { $0.hasPrefix("x_t ") }, "\(lines.joined(separator: "\n"))")
        let nodeRow = try #require(lines.firstIndex { $0.hasPrefix("h l0 ") }, "\(lines.joined(separator: "\n"))")
        let chars = Array(lines[inputRow])
        var xs: [Int] = []
        for x in 3..<chars.count where chars[x] != " " && chars[x - 1] == " " { xs.append(x) }
        return (xs, nodeRow, inputRow)
    }

    @Test(
        "A left click on a step's node selects it; other buttons, the wheel and cells off the graph or the screen do nothing"
    )
    func clicks() throws {
        var (s, lines, w, h) = try Self.screen()
        let tokens = s.run.inputLabels
        let (xs, y, inputRow) = try Self.nodes(lines)
        try #require(xs.count == tokens.count && tokens.count == s.columns, "one token per step in\n\(lines[inputRow])")
        let action = { (s: Session, x: Int, y: Int, button: MouseEvent.Button) in
            ClickMap.action(for: MouseEvent(x: x, y: y, button: button), session: s, width: w, height: h)
        }
        for (column, x) in xs.enumerated() {
            #expect(action(s, x + 1, y, .left) == .select(layer: 0, column: column), "step \(column + 1) at x=\(x)")
        }
        let node = (x: xs[2] + 1, y: y)
        for button in [MouseEvent.Button.right, .middle, .wheelUp, .wheelDown] {
            #expect(action(s, node.x, node.y, button) == nil, "\(button)")
        }
        #expect(action(s, node.x, inputRow, .left) == nil, "the x_t row is a label, not a node")
        #expect(action(s, 0, y, .left) == nil, "the row's label")
        for (x, y) in [
            (-1, node.y), (node.x, -1), (w, node.y), (node.x, h), (w + 500, h + 500), (Int.max, Int.max), (Int.min, 0)
        ] {
            #expect(action(s, x, y, .left) == nil, "off the screen at (\(x), \(y))")
        }
        // A screen too small to draw, and the rolled view, have no nodes to click.
        #expect(
            ClickMap.action(
                for: MouseEvent(x: node.x, y: node.y, button: .left), session: s,
                width: Screen.minimumWidth - 1, height: h) == nil)
        s.handle(.toggleRolled)
        #expect(s.rolled)
        #expect(action(s, node.x, node.y, .left) == nil)
    }
}
