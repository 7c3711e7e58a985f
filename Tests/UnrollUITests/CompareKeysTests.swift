import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// The `w` (untrained weights) and `i` (held-out input) keys as reducer paths (issue 21): the key, the lab to compute,
/// the frame once its results come back; `0` and `z` undo them; a class's followers get them.
@Suite("Keys w and i")
struct CompareKeysTests {
    /// Carries out a session's effects at once, as the event loop would with its worker.
    static func run(_ s: inout Session, _ action: Action) throws {
        for case .compute(let job) in s.handle(.action(action)) {
            let results = try job.lab.compute(reusing: job.previous)
            _ = s.handle(.labResult(LabWorker.Outcome(generation: job.generation, result: .success(results))))
        }
    }

    static func frame(_ s: Session, width: Int = 120, height: Int = 40) -> [String] {
        Screen.render(s, theme: mono, width: width, height: height).lines()
    }

    @Test("w: the header says untrained, the captions are dimmed, the loss is the initial model's; w, 0 and z undo it")
    func untrainedWeights() throws {
        let lesson = try #require(Lesson.builtin(named: "memory"))
        var s = try Session(lesson: lesson, asksQuestions: true)
        let trainedLoss = s.trace.loss
        // The initial model, independently: the lesson without its weights file, drawn from its own seed.
        var drawn = lesson
        drawn.weights = nil
        let initialLoss = try drawn.trace().1.loss
        try #require(abs(initialLoss - trainedLoss) > 1, "training changed the loss")

        let effects = s.handle(.action(.toggleWeights))
        var expected = Lab(lesson: lesson)
        expected.settings.untrained = true
        #expect(effects.count == 1 && ReducerTests.jobs(effects).first?.lab == expected)
        for case .compute(let job) in effects {
            let r = try job.lab.compute(reusing: job.previous)
            _ = s.handle(.labResult(LabWorker.Outcome(generation: job.generation, result: .success(r))))
        }
        #expect(abs(s.trace.loss - initialLoss) <= 1e-12 * initialLoss)
        #expect(!s.captionsHold)
        let f = Self.frame(s)
        #expect(f[1].contains("untrained (initial weights) . RNN tanh"), "\(f[1])")
        #expect(f.contains { $0.contains("[for the lesson's own model: press 0]") })
        #expect(f.last?.contains("untrained: the weights training started from (seed 1); w: trained again") == true)

        // z: back to the trained weights; z again: untrained; 0: trained; w twice: untrained, trained.
        try Self.run(&s, .undo)
        #expect(s.trace.loss == trainedLoss && s.captionsHold && !Self.frame(s)[1].contains("untrained"))
        try Self.run(&s, .undo)
        #expect(abs(s.trace.loss - initialLoss) <= 1e-12 * initialLoss)
        try Self.run(&s, .restore)
        #expect(s.trace.loss == trainedLoss && s.captionsHold && s.lab.isLessonsOwn)
        try Self.run(&s, .toggleWeights)
        try Self.run(&s, .toggleWeights)
        #expect(s.trace.loss == trainedLoss && s.lab.isLessonsOwn)
        #expect(s.notice?.hasPrefix("the trained weights again") == true)
    }

    @Test("w and i on a lesson without trained weights or held-out inputs say so and compute nothing")
    func nothingToCompare() throws {
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        try #require(lesson.weights == nil && lesson.heldOut.isEmpty)
        var s = try Session(lesson: lesson)
        #expect(s.handle(.action(.toggleWeights)).isEmpty)
        #expect(s.notice == "no trained weights in this lesson: its model is the initial one (seed \(lesson.seed))")
        #expect(s.handle(.action(.nextInput)).isEmpty)
        #expect(s.notice == "no held-out input in this lesson (input.held_out in its scenario)")
        #expect(s.lab.isLessonsOwn && !s.isComputing)
    }

    @Test("i: the held-out sentence, its own captions and a header that says it was never trained on; 0 and z return")
    func heldOutInput() throws {
        let lesson = try #require(Lesson.builtin(named: "teacher"))
        var s = try Session(lesson: lesson, asksQuestions: true)
        _ = s.handle(.action(.last))
        #expect(s.columns == 6 && s.step == 5)
        try Self.run(&s, .nextInput)
        // The held-out sentence has 5 steps: the last step is kept.
        #expect(s.input == 1 && s.columns == 5 && s.step == 4 && s.phase == .forward)
        #expect(s.run.inputLabels == ["the", "clouds", "in", "the", "sky"])
        #expect(s.captionsHold, "the trained model's captions for this input hold")
        #expect(s.caption?.text.hasPrefix("Step 4 is fed the true 'dans'") == true)
        let f = Self.frame(s)
        #expect(f[1].hasPrefix(" held-out input 2/2, never trained on . RNN tanh"), "\(f[1])")
        #expect(
            f.last?.contains("input 2 of 2, never trained on: 'the clouds in the sky'") == true)
        // n and p visit this input's captions only.
        _ = s.handle(.action(.first))
        #expect(s.caption == nil && s.captionArea.summary.hasPrefix("Held-out input 2 of 2: 'the clouds in the sky'"))
        _ = s.handle(.action(.nextCaption))
        #expect(s.step == 2 && s.caption?.inputIndex == 1)
        _ = s.handle(.action(.nextCaption))
        #expect(s.step == 4 && s.caption?.inputIndex == 1)

        // w on a held-out input: the untrained model reads it, marked twice.
        try Self.run(&s, .toggleWeights)
        let both = Self.frame(s, width: 80, height: 24)[1]
        #expect(both.hasPrefix(" untrained (initial weights) . held-out input 2/2, never trained on"), "\(both)")
        #expect(!s.captionsHold)
        // z undoes w alone; 0 brings back the lesson's own sentence and weights.
        try Self.run(&s, .undo)
        #expect(s.input == 1 && s.captionsHold && s.lab.settings.untrained == false)
        try Self.run(&s, .restore)
        #expect(s.input == 0 && s.columns == 6 && s.lab.isLessonsOwn)
        // i twice goes round: held-out, own.
        try Self.run(&s, .nextInput)
        try Self.run(&s, .nextInput)
        #expect(s.input == 0 && s.columns == 6 && s.notice?.hasPrefix("input 1 of 2: the lesson's own sentence") == true)
        try Self.run(&s, .undo)
        #expect(s.input == 1, "z undoes i")
    }

    @Test("A held-out input's captions are not the own sentence's: play stops only at those of the input shown")
    func playStopsAtInputCaptions() throws {
        let lesson = try #require(Lesson.builtin(named: "memory"))
        var s = try Session(lesson: lesson)
        try Self.run(&s, .nextInput)
        let stops = Set(lesson.captions.filter { $0.inputIndex == 1 && $0.phase == .forward }.map(\.step))
        try #require(stops == [2, 4])
        var paused: [Int] = []
        s.handle(.togglePlay)
        for _ in 0..<s.columns where s.phase == .forward {
            s.handle(.tick)
            if !s.playing {
                paused.append(s.step)
                s.handle(.togglePlay)
            }
        }
        #expect(Set(paused.filter { $0 < s.columns - 1 || stops.contains($0) }) == stops)
        // g n N counts this input's captions: caption 2 is the held-out sentence's second, at step 5.
        s.handle(.first)
        s.handle(.goTo)
        s.handle(.nextCaption)
        s.handle(.answer(1))
        #expect(s.phase == .forward && s.step == 4 && s.caption?.inputIndex == 1)
    }

    @Test("A class follower gets w and i: the presenter's untrained model on the held-out sentence, at its position")
    func followerGetsBoth() throws {
        let lesson = try #require(Lesson.builtin(named: "many2many"))
        var p = PresenterSession(try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD", presenter: "alice")
        p.handle(.nextInput)
        p.handle(.toggleWeights)
        p.handle(.stepForward)
        p.handle(.stepForward)
        let state = p.state
        #expect(state.untrained && state.input == 1 && state.position == 2)
        var f = FollowerSession(try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD")
        f.receive(try ClassState.decode(state.encoded(), for: f.session, limit: classStateLimit))
        #expect(f.session.results.lab.settings == p.session.results.lab.settings)
        #expect(f.session.trace.loss == p.session.trace.loss && f.session.position == 2)
        #expect(Self.frame(f.session)[1].hasPrefix(" untrained (initial weights) . held-out input 2/2"))
        // An input the lesson does not have is refused.
        var q = state
        q.input = 9
        #expect(throws: ClassStateError.self) { try ClassState.decode(q.encoded(), for: f.session, limit: classStateLimit) }
    }

    @Test("A follower on a held-out input of another length ends at the presenter's position once its results arrive")
    func followerRealignsOnAnotherLength() throws {
        let lesson = try #require(Lesson.builtin(named: "teacher"))
        var p = PresenterSession(try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD", presenter: "alice")
        p.handle(.last)
        p.handle(.nextInput)
        // The held-out sentence has 5 steps: backward step 5 is position 5 of 10.
        p.handle(.switchPhase)
        let state = p.state
        #expect(state.input == 1 && p.session.columns == 5 && state.position == 5 && p.session.phase == .backward)
        var f = FollowerSession(try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD")
        try #require(f.session.columns == 6)
        // Decoded against the follower's 6-step session: the state's position is checked against its 5-step input.
        let decoded = try ClassState.decode(state.encoded(), for: f.session, limit: classStateLimit)
        let effects = f.handle(.classState(decoded))
        // The loop's worker: the presenter's model computed, its outcome back as an event.
        var last: [Session.Effect] = []
        for case .compute(let job) in effects {
            let r = try job.lab.compute(reusing: job.previous)
            last = f.handle(.labResult(LabWorker.Outcome(generation: job.generation, result: .success(r))))
        }
        #expect(last.isEmpty && !f.session.isComputing)
        #expect(f.session.columns == 5 && f.session.position == 5 && f.session.phase == .backward && f.session.step == 4)
    }
}
