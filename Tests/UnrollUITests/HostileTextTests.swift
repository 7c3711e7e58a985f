import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// A scenario whose every piece of text tries to reach the terminal: escape sequences (a window-title
/// change, clear screen, cursor moves, colours), BEL, C1 controls, DEL and bidirectional overrides.
private let hostile = #"""
    title: "Hello\e]0;pwned\a world\e[2J\e[1;1H"
    summary: "bell\a c1\u009b31m osc\u009d0;x\u009c end"
    input:
      tokens: ["\e[31mred\e[0m", "right\u202eto\u202cleft", "ok", "tab\there"]
    narration:
      - {phase: forward, step: 1, text: "step\u0007 one\x7f\e(0 \u2066iso\u2069 \ePqdcs\e\\"}
      - {phase: backward, step: 2, text: "\e[?1049lback"}
    """#

/// Whether `u` must never reach a terminal: C0 and C1 controls, DEL, bidirectional controls.
private func isUnsafe(_ u: Unicode.Scalar) -> Bool {
    u.value < 0x20 || (0x7F...0x9F).contains(u.value) || [0x061C, 0x200E, 0x200F].contains(u.value)
        || (0x202A...0x202E).contains(u.value) || (0x2066...0x2069).contains(u.value)
}

@Test("Text from a scenario is cleaned at load: escapes, controls and bidi overrides are gone")
func hostileTextCleaned() throws {
    let lesson = try Lesson(scenario: hostile, path: "hostile.yaml")
    #expect(lesson.title == "Hello world")
    #expect(lesson.summary == "bell c1 osc end")
    #expect(lesson.tokens == ["red", "righttoleft", "ok", "tab here"])
    #expect(lesson.captions.map(\.text) == ["step one iso ", "back"])
}

@Test(
    "No escape, control or bidi character from a scenario reaches the canvas or its ANSI text",
    arguments: [(120, 40), (80, 24)])
func hostileTextNeverReachesCanvas(width: Int, height: Int) throws {
    var s = try Session(lesson: Lesson(scenario: hostile, path: "hostile.yaml"))
    var frames: [Canvas] = []
    for action in [Action.stepForward, .last, .switchPhase, .stepForward, .toggleHelp] {
        s.handle(action)
        for theme in [Theme(colorMode: .color256, glyphs: .unicode), Theme(colorMode: .monochrome, glyphs: .ascii)] {
            frames.append(Screen.render(s, theme: theme, width: width, height: height))
        }
    }
    for frame in frames {
        let scalars = frame.cells.flatMap { $0.glyph.unicodeScalars }
        #expect(!scalars.contains(where: isUnsafe))
        let ansi = frame.ansi()
        #expect(
            !ansi.contains("\u{1B}]") && !ansi.contains("\u{07}") && !ansi.contains("\u{9B}")
                && !ansi.contains("\u{202E}"))
        #expect(!ansi.contains("\u{1B}[2J") && !ansi.contains("\u{1B}[?1049l"))
    }
    let header = String(frames[0].cells.prefix(width).map(\.glyph))
    #expect(header.contains("Hello world"))
}

@Test("Where NaN and Inf began is marked: ! beside the column in the graph, the step in the gradient panel")
func nonFiniteMarked() throws {
    let nan = try #require(Lesson.builtin(named: "nan"))
    var s = try Session(lesson: nan)
    let forward = try #require(s.trace.nonFiniteForwardColumn)
    let backward = try #require(s.trace.nonFiniteBackwardColumn)
    #expect((forward, backward) == (14, 3))
    func lines() -> [String] {
        let c = Screen.render(s, theme: Theme(colorMode: .monochrome, glyphs: .ascii), width: 200, height: 60)
        return (0..<c.height).map { y in String(c.cells[(y * c.width)..<((y + 1) * c.width)].map(\.glyph)) }
    }
    s.handle(.last)
    let targets = try #require(lines().first { $0.hasPrefix("target") })
    #expect(targets.filter { $0 == "!" }.count == 1, "one mark, at step 15: \(targets)")
    s.handle(.switchPhase)
    s.handle(.last)
    let back = lines()
    #expect(back.joined().contains("NaN/Inf from step 4 back"))
    #expect((try #require(back.first { $0.hasPrefix("target") })).filter { $0 == "!" }.count == 2)
}

@Test("A file name with escape sequences reaches neither the lesson's name nor the messages")
func hostileFileName() throws {
    let path = "/tmp/\u{1B}]0;pwned\u{07}evil\u{1B}[2J.yaml"
    #expect(try Lesson(scenario: "title: t\ninput: {tokens: a}\n", path: path).name == "evil")
    let error = try #require(throws: ScenarioError.self) { try Lesson(scenario: "title: t\n", path: path) }
    #expect(error.description == "/tmp/evil.yaml:1:1: missing key 'input' (the sentence, as input.tokens)")
}
