import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// Predict-then-reveal in the step-through, on the vanishing lesson: its question sits at backward step 12
/// (timeline position 12 of 24), "where will ‖∂L/∂h‖ be smallest?", choices step 1, 5, 11, the same; right: 1.
@Suite("Predict-then-reveal questions")
struct QuestionTests {
    /// A session on vanishing that asks its questions, after `actions`.
    static func asking(_ actions: [Action]) throws -> Session {
        var s = try Session(lesson: try #require(Lesson.builtin(named: "vanishing")), asksQuestions: true)
        for a in actions { s.handle(a) }
        return s
    }
    /// From the start to the question: End (forward step 12), then → into the backward phase.
    static let toQuestion: [Action] = [.last, .stepForward]

    @Test("Reaching the question holds → and space: the next bar stays hidden, then a second press reveals unanswered")
    func heldThenRevealed() throws {
        var s = try Self.asking(Self.toQuestion)
        #expect(s.position == 12 && s.phase == .backward && s.step == 11)
        let q = try #require(s.openQuestion)
        #expect(q.choices == ["step 1", "step 5", "step 11", "the same at every step"])
        // The question asks about the gradients: none is shown until it is answered (step 12's would set the axis).
        #expect(q.reveals == .gradient && s.reveal.hidesGradients && !s.gradientArrived(column: 11))
        s.handle(.stepForward)
        #expect(s.position == 12 && !s.gradientArrived(column: 10))
        #expect(s.notice == "answer with 1–4 (or press space/→ again to reveal without answering)")
        s.handle(.stepForward)
        #expect(s.position == 12 && s.openQuestion == nil)
        #expect(s.notice == "the answer: 1) step 1; → goes on")
        // Revealed: the gradient has arrived at step 12 only; step 11's bar comes with the next step.
        #expect(s.gradientArrived(column: 11) && !s.gradientArrived(column: 10))
        s.handle(.stepForward)
        #expect(s.position == 13 && s.gradientArrived(column: 10))
    }

    @Test("Play stops at the question and space does not play past it until it is answered")
    func playHeld() throws {
        var s = try Self.asking([.last])
        s.handle(.togglePlay)
        #expect(s.playing)
        s.handle(.tick)
        #expect(s.position == 12 && !s.playing)
        s.handle(.togglePlay)
        #expect(!s.playing && s.position == 12 && s.openQuestion != nil)
        s.handle(.answer(0))
        s.handle(.togglePlay)
        #expect(s.playing)
        s.handle(.tick)
        #expect(s.position == 13)
    }

    @Test("A right answer is marked right; the next → goes on")
    func rightAnswer() throws {
        var s = try Self.asking(Self.toQuestion + [.answer(0)])
        #expect(s.notice == "right: 1) step 1; → goes on")
        let index = try #require(s.questionHere).index
        #expect(s.answers[index] == .some(0))
        let text = Screen.render(s, theme: colour, width: 120, height: 40).lines().joined(separator: "\n")
        #expect(text.contains("1) step 1 [right: your answer]"))
        #expect(text.contains("Why: Each step back multiplies it by at most σ_max(W_hh) = 0.6"))
        s.handle(.answer(2))
        #expect(s.notice == "already answered: → goes on" && s.answers[index] == .some(0))
        s.handle(.stepForward)
        #expect(s.position == 13)
    }

    @Test("A wrong answer marks the chosen and the right choice and says why")
    func wrongAnswer() throws {
        let s = try Self.asking(Self.toQuestion + [.answer(2)])
        #expect(s.notice == "not quite: the answer is 1) step 1; → goes on")
        let lines = Screen.render(s, theme: colour, width: 120, height: 40).lines()
        #expect(lines.contains { $0.contains("1) step 1 [right]") })
        #expect(lines.contains { $0.contains("3) step 11 [your answer]") })
        #expect(!lines.contains { $0.contains("2) step 5 [") })
    }

    @Test("1–4 with no question, or past the choices, say so and change nothing")
    func answerKeysElsewhere() throws {
        var s = try Self.asking([])
        s.handle(.answer(0))
        #expect(s.notice == "1–4 answer a question of the narration: there is none at this step" && s.answers.isEmpty)
        let exploding = try #require(Lesson.builtin(named: "exploding"))
        var e = try Session(lesson: exploding, asksQuestions: true)
        e.handle(.last)
        e.handle(.stepForward)
        let q = try #require(e.openQuestion)
        #expect(q.choices.count == 3)
        e.handle(.answer(3))
        #expect(e.notice == "this question has 3 choices: answer with 1–3" && e.answers.isEmpty)
    }

    @Test("The keys 1–4 answer; docs/keys.md lists them (checked by the keys.md test)")
    func keys() {
        for n in 1...4 { #expect(KeyMap.action(for: .character(Character("\(n)"))) == .answer(n - 1)) }
        // 5–9 are digits of a step number after g (`Session+Controls`); at a question they say how many choices it has.
        #expect(KeyMap.action(for: .character("5")) == .answer(4))
    }

    @Test("Without asksQuestions (renders, benchmarks) the timeline never holds and the caption shows its text alone")
    func notAsked() throws {
        var s = try Session(lesson: try #require(Lesson.builtin(named: "vanishing")))
        s.handle(.last)
        s.handle(.stepForward)
        s.handle(.stepForward)
        #expect(s.position == 13 && s.questionHere == nil)
    }

    @Test(
        "The question fits whole at 80x24 and 200x60, before and after the answer, and the graph keeps its rows",
        arguments: [(80, 24), (120, 40), (200, 60)])
    func fits(_ size: (Int, Int)) throws {
        let (w, h) = size
        for name in ["vanishing", "exploding", "sigmoid", "relu", "lstm", "gru", "skip", "truncated"] {
            let lesson = try #require(Lesson.builtin(named: name))
            var s = try Session(lesson: lesson, asksQuestions: true)
            let target = try #require(lesson.captions.first { $0.question != nil })
            let position = target.phase == .forward ? target.step : 2 * s.columns - 1 - target.step
            for _ in 0..<position { s.handle(.stepForward) }
            let q = try #require(s.openQuestion, "\(name)")
            for answered in [false, true] {
                if answered { s.handle(.answer(q.answer)) }
                let text = Screen.render(s, theme: colour, width: w, height: h).lines().joined(separator: "\n")
                for choice in q.choices { #expect(text.contains(choice), "\(name) \(w)x\(h): choice \(choice)") }
                #expect(
                    text.contains(String(q.text.split(separator: " ").prefix(3).joined(separator: " "))),
                    "\(name) \(w)x\(h)")
                #expect(text.contains("step \(target.step + 1)/\(s.columns)"), "\(name) \(w)x\(h): the header")
                let layout = Screen.layout(width: w, height: h, session: s)
                #expect(layout.graph.height >= GraphView.compactHeight(s.trace), "\(name) \(w)x\(h)")
                #expect(layout.gradients.height > 0 && layout.gradients.maxY <= h - 1, "\(name) \(w)x\(h)")
                var presenting = s
                presenting.handle(.togglePresenter)
                let p = Screen.layout(width: w, height: h, session: presenting)
                #expect(
                    p.graph.height >= GraphView.compactHeight(s.trace) && p.gradients.height > 0,
                    "\(name) \(w)x\(h) presenter")
                let shown = Screen.render(presenting, theme: colour, width: w, height: h).lines().joined(
                    separator: "\n")
                #expect(shown.contains(q.choices[q.answer]), "\(name) \(w)x\(h) presenter")
            }
        }
    }

    @Test("A screen with a question, answered wrong, matches its snapshot (80x24, ASCII)")
    func snapshot() throws {
        let asked = try Self.asking(Self.toQuestion)
        expectSnapshot(
            Screen.render(asked, theme: mono, width: 80, height: 24).lines(), named: "question-vanishing-asked-80x24")
        var s = asked
        s.handle(.answer(1))
        let canvas = Screen.render(s, theme: mono, width: 80, height: 24)
        expectSnapshot(canvas.lines(), named: "question-vanishing-wrong-80x24")
        #expect(canvas.lines().allSatisfy { $0.allSatisfy(\.isASCII) })
    }
}
