import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// The model's own choice at each column of the feedback lesson, read from the trace's outputs by a plain scan.
private func choices(_ s: Session) throws -> [String] {
    try (0..<s.columns).map { c in
        let y = try #require(s.trace.outputs[c]).row(0)
        var best = 0
        for j in y.indices where y[j] > y[best] { best = j }
        return s.run.vocabulary[best]
    }
}

private let themes: [(String, Theme)] = [
    ("colour", colour), ("no-colour", Theme(colorMode: .monochrome, glyphs: .unicode)), ("ascii", mono)
]

@Test(
    "The unrolled graph draws a dashed y_{t-1}→h_t edge into every step after the first, at every size and theme",
    arguments: [(80, 24), (120, 40), (200, 60)])
func dashedEdgesUnrolled(_ size: (Int, Int)) throws {
    for name in ["feedback", "teacher"] {
        let lesson = try #require(Lesson.builtin(named: name))
        for (themeName, theme) in themes {
            for phase in [[Action.stepForward, .stepForward], [.last, .switchPhase]] {
                let s = try session(lesson, phase)
                let lines = Screen.render(s, theme: theme, width: size.0, height: size.1).lines()
                let label = name == "teacher" ? "tgt_t-1" : "y_t-1"
                let i = try #require(lines.firstIndex { $0.hasPrefix(label) }, "\(name) \(themeName) \(size)")
                let below = try #require(lines.indices.contains(i + 1) ? lines[i + 1] : nil)
                #expect(below.hasPrefix("h l0") || below.hasPrefix("∂h l0") || below.hasPrefix("dh l0"), "\(below)")
                let head: Character = theme.glyphs == .unicode ? "↘" : "\\"
                #expect(lines[i].filter { $0 == head }.count == 5, "\(name) \(themeName) \(size): \(lines[i])")
                #expect(lines[i].contains(theme.glyphs == .unicode ? "╌" : "- "), "\(lines[i])")
            }
        }
    }
}

@Test(
    "Where every fed word fits, the revealed edges carry them: the model's own choices running free, the targets with teacher forcing"
)
func fedWordsOnTheEdges() throws {
    let free = try session(try #require(Lesson.builtin(named: "feedback")), [.stepForward, .stepForward])
    let own = try choices(free)
    let line = try #require(
        Screen.render(free, theme: colour, width: 120, height: 40).lines().first { $0.hasPrefix("y_t-1") })
    // Step 3 is showing: the edges into steps 2 and 3 carry the choices of steps 1 and 2; later ones no word yet.
    #expect(line.contains("╌\(own[0])╌") && line.contains("╌\(own[1])╌"), "\(line)")
    #expect(!line.contains("╌\(own[2])╌") || own[2] == own[0] || own[2] == own[1], "\(line)")
    let forced = try session(try #require(Lesson.builtin(named: "teacher")), [.stepForward, .stepForward])
    let tline = try #require(
        Screen.render(forced, theme: colour, width: 120, height: 40).lines().first { $0.hasPrefix("tgt_t-1") })
    #expect(tline.contains("╌les╌") && tline.contains("╌nuages╌"), "\(tline)")
    // At 80 columns 'nuages' cannot fit on an edge, so no word is written on any.
    let narrow = try #require(
        Screen.render(forced, theme: colour, width: 80, height: 24).lines().first { $0.hasPrefix("tgt_t-1") })
    #expect(!narrow.contains("les"), "\(narrow)")
}

@Test(
    "The rolled view draws the dashed loop from y_t into h_t with the word fed at this step",
    arguments: [(80, 24), (120, 40), (200, 60)])
func dashedLoopRolled(_ size: (Int, Int)) throws {
    let s = try session(try #require(Lesson.builtin(named: "feedback")), [.toggleRolled, .stepForward, .stepForward])
    let own = try choices(s)
    for (themeName, theme) in themes {
        let lines = Screen.render(s, theme: theme, width: size.0, height: size.1).lines()
        let uni = theme.glyphs == .unicode
        let top = try #require(lines.first { $0.contains(" y_t ") }, "\(themeName)")
        #expect(top.contains(uni ? "╭╌╌" : "+- -"), "\(top)")
        #expect(lines.contains { $0.contains(uni ? "╰╌╌╌╌╭─→" : "+- - +->") }, "\(themeName) \(size)")
        #expect(lines.contains { $0.contains("own guess '\(own[1])'") }, "\(themeName) \(size)")
    }
    let plain = Screen.render(
        try session(try #require(Lesson.builtin(named: "memory")), [.toggleRolled]),
        theme: colour, width: 80, height: 24
    ).lines()
    #expect(!plain.contains { $0.contains("╭╌") })
}
