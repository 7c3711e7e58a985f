import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// A session on `lesson` after `actions`.
func session(_ lesson: Lesson = .defaultLesson, _ actions: [Action] = []) throws -> Session {
    var s = try Session(lesson: lesson)
    for a in actions { s.handle(a) }
    return s
}

let colour = Theme(colorMode: .color256, glyphs: .unicode)
let mono = Theme(colorMode: .monochrome, glyphs: .ascii)

struct ScreenCase: Sendable, CustomTestStringConvertible {
    var name: String
    /// The lesson; nil when a built-in lesson looked up by name is missing, which fails the test.
    var lesson: Lesson? = .defaultLesson
    var actions: [Action]
    var width: Int
    var height: Int
    var theme: Theme = colour
    var testDescription: String { name }
}

/// A 4-token GRU with two stacked bidirectional layers.
let bidirectionalLesson = Lesson(
    name: "bi", title: "Bidirectional: feeling under the weather", cell: .gru,
    hiddenSizes: [4, 4], bidirectional: true, tokens: ["feeling", "under", "the", "weather"])
/// A long sequence, to see scrolling.
let longLesson = Lesson(
    name: "long", title: "Two hundred steps", hiddenSizes: [4],
    tokens: (0..<200).map { ["a", "b", "c", "d"][$0 % 4] })
/// An encoder–decoder.
let seq2seqLesson = Lesson(
    name: "s2s", title: "Encoder-decoder", hiddenSizes: [5], configuration: .encoderDecoder,
    tokens: ["I", "went", "to", "Nepal"], targets: ["je", "suis", "allé"])

let screenCases: [ScreenCase] = [
    ScreenCase(name: "memory-forward-1-80x24", actions: [], width: 80, height: 24),
    ScreenCase(
        name: "memory-forward-4-100x30", actions: [.stepForward, .stepForward, .stepForward], width: 100, height: 30),
    ScreenCase(
        name: "memory-backward-3-100x30", actions: [.last, .switchPhase, .stepForward, .stepForward, .stepForward],
        width: 100, height: 30),
    ScreenCase(
        name: "lstm-forward-3-120x40", actions: [.cycleCell, .stepForward, .stepForward], width: 120, height: 40),
    ScreenCase(
        name: "gru-backward-80x24", actions: [.cycleCell, .cycleCell, .last, .switchPhase], width: 80, height: 24),
    ScreenCase(name: "skip-forward-5-100x30", actions: [.toggleSkip, .last, .stepBack], width: 100, height: 30),
    ScreenCase(
        name: "memory-backward-mono-ascii-80x24", actions: [.last, .switchPhase, .stepForward], width: 80, height: 24,
        theme: mono),
    ScreenCase(name: "too-small-60x20", actions: [], width: 60, height: 20),
    ScreenCase(name: "help-80x24", actions: [.toggleHelp], width: 80, height: 24),
    ScreenCase(name: "rolled-80x24", actions: [.toggleRolled, .stepForward], width: 80, height: 24),
    ScreenCase(
        name: "bidirectional-forward-2-100x30", lesson: bidirectionalLesson, actions: [.stepForward], width: 100,
        height: 30),
    ScreenCase(
        name: "long-step-150-80x24", lesson: longLesson, actions: Array(repeating: .stepForward, count: 149),
        width: 80, height: 24),
    ScreenCase(
        name: "seq2seq-backward-120x30", lesson: seq2seqLesson, actions: [.last, .switchPhase, .stepForward],
        width: 120, height: 30),
    ScreenCase(name: "deep-io-forward-1-120x40", lesson: Lesson.builtin(named: "deep-io"), actions: [], width: 120, height: 40),
    ScreenCase(
        name: "deep-io-backward-80x24", lesson: Lesson.builtin(named: "deep-io"),
        actions: [.answer(0), .last, .switchPhase], width: 80, height: 24),
    ScreenCase(
        name: "vanishing-backward-1-300x100", lesson: Lesson.builtin(named: "vanishing"),
        actions: [.last, .switchPhase, .last], width: 300, height: 100)
]

@Test("Screens match their committed text snapshots", arguments: screenCases)
func screenSnapshot(_ c: ScreenCase) throws {
    let s = try session(try #require(c.lesson), c.actions)
    let canvas = Screen.render(s, theme: c.theme, width: c.width, height: c.height)
    #expect(canvas.width == c.width && canvas.height == c.height)
    expectSnapshot(canvas.lines(), named: c.name)
    if c.theme.glyphs == .ascii { #expect(canvas.lines().allSatisfy { $0.allSatisfy(\.isASCII) }) }
}

@Test("The colour screen's styles: heatmap backgrounds forward, gradient colours backward")
func styledSnapshot() throws {
    let forward = Screen.render(
        try session(.defaultLesson, [.stepForward, .stepForward]), theme: colour, width: 80, height: 24)
    expectSnapshot(forward.styledLines(), named: "memory-forward-3-80x24-styled")
    let backward = Screen.render(
        try session(.defaultLesson, [.last, .switchPhase, .stepForward]), theme: colour, width: 80, height: 24)
    expectSnapshot(backward.styledLines(), named: "memory-backward-2-80x24-styled")
}

@Test("Monochrome screens carry no colour at all")
func monochromeHasNoColour() throws {
    let canvas = Screen.render(
        try session(.defaultLesson, [.last, .switchPhase]),
        theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: 100, height: 30)
    #expect(canvas.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
}
