import Foundation
import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// Sessions as reducers: events in, effects out, with no thread and no worker; the test plays the event loop.
@Suite("Sessions are reducers")
struct ReducerTests {
    /// The labs among `effects`, in order.
    static func jobs(_ effects: [Session.Effect]) -> [Session.LabJob] {
        effects.compactMap { effect in
            if case .compute(let job) = effect { return job }
            return nil
        }
    }

    @Test("] from the key to the frame with the new numbers: one lab to compute, the old frame meanwhile, then the new")
    func scaleUpPath() throws {
        var s = try Session(lesson: .defaultLesson, asksQuestions: true)
        _ = s.handle(.action(.stepForward))
        let before = s.results
        let rho = try #require(before.trace.recurrent.first).spectralRadius
        let oldFrame = Screen.render(s, theme: mono, width: 120, height: 40).lines()

        let effects = s.handle(.action(.scaleUp))
        // The lab expected: the lesson's own with W_hh × 1.1, nothing else changed.
        var expected = Lab(lesson: .defaultLesson)
        expected.scaleRecurrent(by: 1.1)
        #expect(effects == [.compute(Session.LabJob(lab: expected, previous: before, generation: 1))])
        let job = try #require(Self.jobs(effects).first)
        #expect(job.previous?.trace.loss == before.trace.loss && job.model == 0)
        // Until the results come, the frame is the old model's, word for word.
        #expect(s.isComputing && Screen.render(s, theme: mono, width: 120, height: 40).lines() == oldFrame)
        #expect(s.handle(.computingDue).isEmpty)
        #expect(s.computingText?.hasPrefix("computing W_hh × 1.1") == true)

        // The loop's worker computes the lab (here, at once) and the outcome comes back as an event.
        let results = try job.lab.compute(reusing: job.previous)
        let outcome = LabWorker.Outcome(generation: job.generation, result: .success(results))
        #expect(s.handle(.labResult(outcome)).isEmpty)
        #expect(!s.isComputing && s.step == 1 && s.resultsShown == 1)
        let frame = Screen.render(s, theme: mono, width: 120, height: 40).lines()
        let status = try #require(frame.last)
        // Scaling W_hh by 1.1 scales its spectral radius by 1.1.
        #expect(status.contains("W_hh x 1.1: spectral radius \(Format.number(1.1 * rho, digits: 3))"), "\(status)")
        #expect(
            frame.contains { $0.contains("loss \(Format.number(results.trace.loss))") }, "the new loss in the header")
        #expect(results.trace.loss != before.trace.loss && frame != oldFrame)
    }

    @Test("An outcome of a change superseded by a later key is dropped; the later one is shown")
    func supersededDropped() throws {
        var s = try Session(lesson: .defaultLesson)
        let first = s.handle(.action(.scaleUp))
        let second = s.handle(.action(.scaleUp))
        #expect(first.count == 1 && second.count == 1, "each ] asks for one lab")
        let a = try #require(Self.jobs(first).first), b = try #require(Self.jobs(second).first)
        #expect(a.generation == 1 && b.generation == 2)
        #expect(abs(b.lab.settings.recurrentScale - 1.21) < 1e-12)
        _ = s.handle(.labResult(LabWorker.Outcome(generation: a.generation, result: .success(try a.lab.compute()))))
        #expect(s.isComputing && s.recurrentScale == 1 && s.resultsShown == 0)
        _ = s.handle(.labResult(LabWorker.Outcome(generation: b.generation, result: .success(try b.lab.compute()))))
        #expect(!s.isComputing && abs(s.recurrentScale - 1.21) < 1e-12)
    }

    @Test("A key that changes nothing of the model asks for nothing; a model that cannot run is refused with no effect")
    func noEffects() throws {
        var s = try Session(lesson: .defaultLesson)
        for action in [Action.stepForward, .stepBack, .toggleRolled, .toggleHelp, .selectUp, .faster] {
            #expect(s.handle(.action(action)).isEmpty, "\(action)")
        }
        #expect(s.handle(.playTick).isEmpty && s.handle(.resize(width: 80, height: 24)).isEmpty)
        #expect(!s.isComputing)
    }

    @Test("Side by side, a model key asks for both labs, the second's for model 1; each result goes to its model")
    func pairRoutes() throws {
        var p = try PairSession(try Session(lesson: .defaultLesson), try Session(lesson: .defaultLesson))
        let effects = p.handle(.action(.scaleUp))
        let jobs = Self.jobs(effects)
        #expect(jobs.map(\.model) == [0, 1] && effects.count == 2)
        let second = try #require(jobs.last)
        _ = p.handle(
            .labResult(
                LabWorker.Outcome(generation: second.generation, result: .success(try second.lab.compute())),
                model: 1))
        #expect(
            p.second.recurrentScale == 1.1 && p.first.recurrentScale == 1 && p.first.isComputing
                && !p.second.isComputing)
        #expect(p.handle(.action(.stepForward)).isEmpty && p.second.position == p.first.position)
    }

    @Test("A presenter publishes once per turn of the room's counts, only what changed; a key alone publishes nothing")
    func presenterPublishesOnCounts() throws {
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        var p = PresenterSession(
            try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD", presenter: "alice")
        let first = p.handle(.roomCounts(.init(joined: 1)))
        #expect(first == [.publish(p.state.encoded())])
        #expect(p.handle(.roomCounts(.init(joined: 1))).isEmpty, "nothing changed: nothing to publish")
        #expect(p.handle(.action(.stepForward)).isEmpty)
        let next = p.handle(.roomCounts(.init(joined: 1)))
        #expect(next == [.publish(p.state.encoded())] && p.state.position == 1)
    }

    @Test("A follower's answer at the presenter's open question is an effect: send this answer")
    func followerAnswers() throws {
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        var p = PresenterSession(
            try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD", presenter: "alice")
        p.handle(.last)
        p.handle(.stepForward)
        let q = try #require(p.session.questionHere).index
        var f = FollowerSession(try Session(lesson: lesson, asksQuestions: true), code: "7Q4K-M2XD")
        let state = try ClassState.decode(p.state.encoded(), for: f.session, limit: classStateLimit)
        #expect(f.handle(.classState(state)).isEmpty, "the presenter's model is the follower's: nothing to compute")
        #expect(f.handle(.action(.answer(1))) == [.answer(question: q, choice: 1)])
        #expect(f.handle(.action(.answer(2))).isEmpty, "one answer per question")
    }
}

@Test("A class state's bytes are version 2's: one flat object, sorted keys, the gradient's number (−2: the last loss)")
func classStateWire() throws {
    // Written by hand as version 2 writes it (the view's fields beside the model's): version 1's fields, and the
    // `w` and `i` keys' untrained and input, always written (a version-1 follower refuses the state by its version
    // instead of showing the trained model on the wrong sentence).
    let v2 =
        #"{"cell":"rnn","clipping":false,"comparesSkip":false,"gradient":-2,"histogram":[],"input":1,"layer":0,"#
        + #""lesson":"vanishing","position":5,"presenter":"alice","presenterEquations":false,"presenterInspector":false,"#
        + #""presenting":true,"revealed":[],"rolled":false,"scale":1.5,"seed":7,"untrained":true,"version":2}"#
    let state = try JSONDecoder().decode(ClassState.self, from: Data(v2.utf8))
    #expect(
        state.gradient == .last && state.position == 5 && state.presenting && state.view.column == nil
            && state.skip == nil && state.untrained && state.input == 1)
    #expect(String(decoding: state.encoded(), as: UTF8.self) == v2)
    // Version 1's bytes lack the two fields: refused by name, not read as the trained model.
    let v1 = v2.replacingOccurrences(of: #""input":1,"#, with: "").replacingOccurrences(of: #""untrained":true,"#, with: "")
        .replacingOccurrences(of: #""version":2"#, with: #""version":1"#)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(ClassState.self, from: Data(v1.utf8)) }
    var step = state
    step.gradient = .step(3)
    #expect(String(decoding: step.encoded(), as: UTF8.self).contains(#""gradient":3,"#))
    step.gradient = .total
    #expect(String(decoding: step.encoded(), as: UTF8.self).contains(#""gradient":-1,"#))
}

@Test("The training board is a reducer too: a key returns the control for the trainer, a snapshot returns nothing")
func trainingBoardReducer() throws {
    var board = TrainingBoard(
        snapshot: try trainingSnapshot(), control: .init(paused: false, learningRate: 0.01, clipping: .none))
    let effects = board.handle(.action(.togglePause))
    let control = try #require(
        effects.first.flatMap { effect -> TrainingControl? in
            switch effect {
            case .control(let c): return c
            case .stepThrough: return nil
            }
        })
    #expect(effects.count == 1 && control.paused && control.learningRate == 0.01)
    #expect(board.handle(.snapshot(try trainingSnapshot())).isEmpty)
}
