import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

// Issue 22, defect 4: captions, questions and the status line fit the rows there are, cut only at a word with "…".

/// The words of `text` between spaces.
private func words(_ text: String) -> [String] { text.split(separator: " ").map(String.init) }

/// The words on `lines` that are cut mid-word: a word that is not a whole word of `source` but a strict prefix of
/// one (with or without a trailing "…"), as "reac…" for "reach" or "0.008" for "0.00854".
func midWordCuts(_ lines: [String], source: Set<String>) -> [String] {
    var cut: [String] = []
    for line in lines {
        for shown in words(line) {
            let stem = shown.hasSuffix("…") ? String(shown.dropLast()) : shown
            // A "…" the text itself writes ("'… the sea'") is a whole word.
            guard !stem.isEmpty, !source.contains(stem), !source.contains(shown) else { continue }
            if source.contains(where: { $0.count > stem.count && $0.hasPrefix(stem) }) {
                cut.append("'\(shown)' in '\(line.trimmingCharacters(in: .whitespaces))'")
            }
        }
    }
    return cut
}

/// Every word the lesson's narration and the session's status line may show.
private func sourceWords(_ lesson: Lesson, _ s: Session) -> Set<String> {
    var text = [lesson.summary, CaptionView.staleMark, StatusView.hint, s.notice ?? "", "1) 2) 3) 4)"]
    for c in lesson.captions {
        text.append(c.text)
        if let q = c.question { text += [q.text, "Why: " + q.why] + q.choices }
    }
    if let q = s.openQuestion {
        // What the status line asks, written out here independently of StatusView.
        text.append("the class answers first: keys 1–\(q.choices.count) (→ twice reveals unanswered)")
    }
    return Set(text.flatMap(words))
}

@Test(
    "Every caption, question, its why and the status line of every lesson, both phases, at 80x24, 120x40 and 200x60: no word cut mid-word",
    arguments: Lesson.builtin.filter { $0.training == nil }.map(\.name))
func narrationFits(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    let theme = Theme(colorMode: .color256, glyphs: .unicode)
    var frames = 0
    for (w, h) in [(80, 24), (120, 40), (200, 60)] {
        var s = try Session(lesson: lesson, asksQuestions: true)
        let check = { (s: Session) in
            let canvas = Screen.render(s, theme: theme, width: w, height: h)
            let l = Screen.layout(width: w, height: h, session: s)
            let rows = canvas.lines()
            let shown = Array(rows[l.caption.y..<l.caption.maxY]) + [rows[l.status.y]]
            let cut = midWordCuts(shown, source: sourceWords(lesson, s))
            #expect(cut.isEmpty, "\(name) \(w)x\(h) \(s.phase) step \(s.step + 1): \(cut)")
            frames += 1
        }
        check(s)
        // Caption by caption through both phases; at a question, the frame asking, then the frame answered.
        var visited = 0
        while visited < 4 * s.columns {
            visited += 1
            if let q = s.openQuestion {
                s.handle(.answer(q.answer == 0 ? 1 : 0)) // a wrong answer shows the most: both marks and the why
                check(s)
            }
            let before = s.position
            s.handle(.nextCaption)
            if s.position == before { break }
            check(s)
        }
        #expect(visited < 4 * s.columns, "\(name): the walk through the captions did not end")
        // And a model key: the stale mark in front of every caption.
        s.handle(.first)
        s.handle(.toggleClip)
        check(s)
    }
    #expect(frames >= 9)
}

@Test("wrap cuts at a word with …: the issue's 80x24 caption, and a caption that ends where the rows do")
func wrapCutsAtWords() {
    let text = "Chunk 3: the losses at steps 9 and 10 reach h10 only within the chunk, never earlier steps"
    let two = CaptionView.wrap(text, width: 42, lines: 1)
    // Independently: the words that fit in 41 columns (one is left for "…").
    #expect(two == ["Chunk 3: the losses at steps 9 and 10…"])
    #expect(CaptionView.wrap("a b c", width: 10, lines: 1) == ["a b c"])
    #expect(CaptionView.wrap("alpha beta gamma", width: 11, lines: 1) == ["alpha beta…"])
    // A first line that fills the width: the cut mark takes the last word's place, never its last letter.
    #expect(CaptionView.wrap("alpha beta gamma", width: 10, lines: 1) == ["alpha…"])
    #expect(CaptionView.isCut(text, width: 42, lines: 1))
    #expect(!CaptionView.isCut("a b c", width: 10, lines: 1))
    #expect(midWordCuts(["the losses reac…"], source: ["reach", "losses", "the"]) == ["'reac…' in 'the losses reac…'"])
    #expect(midWordCuts(["‖∂L/∂h‖=0.008"], source: ["‖∂L/∂h‖=0.00854"]).count == 1)
}
