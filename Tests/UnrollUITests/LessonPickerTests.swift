import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

// Issue 22, item 6: an in-app lesson picker, grouped by the topics of docs/teaching.md, so that changing lesson does
// not mean quitting.

private let unicode = Theme(colorMode: .color256, glyphs: .unicode)
private let ascii = Theme(colorMode: .monochrome, glyphs: .ascii)

/// A built-in lesson's session, as the interactive view opens it.
private func session(_ name: String) throws -> Session {
    try Session(lesson: try #require(Lesson.builtin(named: name)), asksQuestions: true)
}

/// The topics' headings as docs/teaching.md's lesson plan writes them ("### Topic" under "## Lesson plan"), read
/// from the file, not from LessonTopics.
private func teachingTopics() throws -> [String] {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let text = try String(contentsOf: root.appendingPathComponent("docs/teaching.md"), encoding: .utf8)
    return text.split(separator: "\n").map(String.init)
}

@Test("The picker lists every built-in lesson once, each under its topic, topic by topic in LessonTopics' order")
func pickerListsEveryLessonOnce() throws {
    let p = LessonPicker(current: "memory")
    #expect(p.entries.map(\.name).sorted() == Lesson.builtinNames.sorted())
    #expect(Set(p.entries.map(\.name)).count == p.entries.count)
    // Each topic's lessons are together (a topic never comes back once left).
    var seen: [String] = []
    for e in p.entries where seen.last != e.topic {
        #expect(!seen.contains(e.topic), "topic '\(e.topic)' comes back at '\(e.name)'")
        seen.append(e.topic)
    }
    let listed = LessonTopics.all.map(\.title)
    #expect(Array(seen.prefix(listed.count)) == Array(listed.filter(seen.contains)))
    // Every topic heading is one of docs/teaching.md's lines, so the picker groups as the teaching guide does.
    let lines = try teachingTopics()
    for topic in seen where topic != "Other lessons" {
        #expect(lines.contains { $0.contains(topic) }, "'\(topic)' is not in docs/teaching.md")
    }
    let trains = Set(Lesson.builtin.filter(\.opensTrainingView).map(\.name))
    #expect(Set(p.entries.filter(\.trains).map(\.name)) == trains)
    #expect(p.chosen?.name == "memory")
}

@Test("o opens the picker on the lesson on screen; j, k, → and ← move; Enter asks for the chosen lesson")
func pickerKeys() throws {
    var s = try session("memory")
    s.handle(.openLessons)
    let p = try #require(s.picker)
    let names = p.entries.map(\.name)
    let at = try #require(names.firstIndex(of: "memory"))
    #expect(p.selected == at)
    s.handle(.selectDown)
    s.handle(.selectDown)
    #expect(s.picker?.chosen?.name == names[at + 2])
    s.handle(.selectUp)
    #expect(s.picker?.chosen?.name == names[at + 1])
    // → goes to the first lesson of the next topic.
    s.handle(.stepForward)
    let next = try #require(p.entries.first { $0.topic != p.entries[at].topic })
    #expect(s.picker?.chosen?.name == next.name)
    // ← twice: the start of that topic is where it is, so back to the first lesson of the topic before.
    s.handle(.stepBack)
    #expect(s.picker?.chosen?.name == p.entries[0].name)
    // Other keys do nothing to the lesson underneath while the picker is open.
    let position = s.position
    s.handle(.last)
    s.handle(.cycleCell)
    #expect(s.position == position && s.current.cell == s.lesson.cell)
    s.handle(.first)
    s.handle(.selectDown)
    let chosen = try #require(s.picker?.chosen?.name)
    #expect(chosen != "memory")
    s.handle(.confirm)
    #expect(s.wantsLesson == chosen)
    #expect(!s.wantsQuit)
}

@Test("Esc and o close the picker; Enter on the lesson on screen closes it and says so; q quits from it")
func pickerCloses() throws {
    var s = try session("memory")
    s.handle(.openLessons)
    s.handle(.dismiss)
    #expect(s.picker == nil && s.wantsLesson == nil)
    s.handle(.openLessons)
    s.handle(.openLessons)
    #expect(s.picker == nil)
    s.handle(.openLessons)
    s.handle(.confirm)
    #expect(s.picker == nil && s.wantsLesson == nil)
    #expect(s.notice == "'memory' is the lesson on screen")
    s.handle(.openLessons)
    s.handle(.quit)
    #expect(s.wantsQuit)
}

@Test("Enter on a training lesson asks for it (the loop opens its training view); a notice shows on the picker's last line")
func pickerTrainingLesson() throws {
    var s = try session("memory")
    s.handle(.openLessons)
    s.handle(.last)
    let last = try #require(s.picker?.chosen)
    #expect(last.trains)
    s.handle(.confirm)
    #expect(s.wantsLesson == last.name)
    // Where it cannot open, the loop says why and the picker closes on the lesson before.
    s.stayed("'\(last.name)' cannot open: a reason")
    #expect(s.wantsLesson == nil && s.picker == nil && s.notice == "'\(last.name)' cannot open: a reason")
    s.handle(.openLessons)
    let screen = Screen.render(s, theme: unicode, width: 120, height: 40).lines().joined(separator: "\n")
    #expect(screen.contains(LessonPickerView.keys))
}

@Test("Side by side and in a class the lesson is fixed: o says so and opens nothing")
func pickerRefusedWhereTheLessonIsFixed() throws {
    var pair = try PairSession(session("memory"), session("memory"))
    pair.handle(.openLessons)
    #expect(pair.first.picker == nil && pair.first.notice?.contains("not side by side or in a class") == true)
    var presenter = PresenterSession(try session("memory"), code: "ABCD-EFGH", presenter: "t")
    presenter.handle(.openLessons)
    #expect(presenter.session.picker == nil && presenter.session.notice?.contains("in a class") == true)
}

@Test(
    "The picker at 80x24, 120x40 and 200x60, Unicode and ASCII: the chosen row in view and highlighted, every name whole, titles cut only at a word",
    arguments: [(80, 24), (120, 40), (200, 60)])
func pickerFits(size: (Int, Int)) throws {
    let (w, h) = size
    for theme in [unicode, ascii] {
        var s = try session("memory")
        s.handle(.openLessons)
        let entries = try #require(s.picker?.entries)
        #expect(!entries.isEmpty)
        for index in [0, entries.count / 2, entries.count - 1] {
            s.handle(.first)
            for _ in 0..<index { s.handle(.selectDown) }
            let chosen = try #require(s.picker?.chosen)
            #expect(chosen.name == entries[index].name)
            let whole = Screen.render(s, theme: theme, width: w, height: h)
            let box = LessonPickerView.box(try #require(s.picker), in: whole.bounds)
            #expect(box.width <= w - 2 && box.height <= h && box.width >= 44)
            let canvas = whole.cropped(to: box)
            let lines = canvas.lines()
            // The chosen lesson's row is on screen, drawn in the highlight.
            let row = try #require(
                lines.firstIndex { $0.contains(" \(chosen.name) ") }, "\(chosen.name) at \(w)x\(h)")
            let found = try #require(lines[row].range(of: " \(chosen.name) "))
            let column = lines[row].distance(from: lines[row].startIndex, to: found.lowerBound) + 1
            #expect(canvas.cell(x: column, y: row)?.style.attributes.contains(.reverse) == true, "\(lines[row])")
            // Every title is whole or cut after a whole word with "…".
            let texts = entries.flatMap { [$0.title, $0.topic, $0.name] } + [LessonPickerView.keys, "(training view)"]
            // In ASCII the titles' Greek letters are folded ('ρ' → 'p') as every text on that screen is.
            let source = Set(
                (texts + texts.map(Canvas.foldedASCII)).flatMap { $0.split(separator: " ").map(String.init) })
            #expect(midWordCuts(lines, source: source).isEmpty, "\(w)x\(h)")
        }
    }
}
