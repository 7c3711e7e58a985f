import Testing
import UnrollEngine
import UnrollLessons

@testable import UnrollUI

/// A model key's results in two stages: the forward pass at once, the gradients after.
@Suite("Two-stage results")
struct TwoStageTests {
    /// The forward-stage and the complete results of `lab`, computed here (as the worker does).
    static func stages(_ lab: Lab, previous: LabResults) throws -> (forward: LabResults, complete: LabResults) {
        let pass = try lab.forward(reusing: previous)
        return (pass.forwardResults, pass.finish())
    }

    @Test(
        "Forward phase: the forward pass is shown at once, frame for frame what the complete results show; the backward phase waits for the gradients"
    )
    func forwardPhase() throws {
        var s = try Session(lesson: .defaultLesson)
        s.handle(.stepForward)
        s.handle(.stepForward)
        let before = s.results
        _ = s.handle(.action(.scaleUp))
        let generation = try #require(s.pending?.generation)
        let (forward, complete) = try Self.stages(s.lab, previous: before)
        #expect(
            forward.isForwardOnly && !complete.isForwardOnly && forward.gradients.isEmpty && forward.comparison == nil)
        // The spectra of a scale change are the previous ones times 1.1: known in the first stage already.
        #expect(forward.trace.recurrent == complete.trace.recurrent && !forward.trace.recurrent.isEmpty)

        let took1 = s.receive(LabWorker.Outcome(generation: generation, result: .success(forward)))
        #expect(took1)
        #expect(s.isComputing && s.recurrentScale == 1.1 && s.step == 2 && s.phase == .forward)
        #expect(s.notice?.hasPrefix("W_hh × 1.1: spectral radius") == true)
        var whole = s
        let took2 = whole.receive(LabWorker.Outcome(generation: generation, result: .success(complete)))
        #expect(took2)
        #expect(!whole.isComputing)
        // The same numbers on every line but the gradient panel's (the rightmost box of the panels row), which
        // waits for the gradients: its axis and bound come from them. Nothing of the old model anywhere.
        let a = Screen.render(s, theme: mono, width: 120, height: 40).lines()
        let b = Screen.render(whole, theme: mono, width: 120, height: 40).lines()
        let row = try #require(b.firstIndex { $0.contains("|dL_6/dh_t| (log)") })
        let x = try #require(b[row].range(of: "++", options: .backwards)).upperBound
        let panel = b[row].distance(from: b[row].startIndex, to: x)
        #expect(a.count == b.count)
        for (i, (p, q)) in zip(a, b).enumerated() {
            if i < row || i == a.count - 1 {
                #expect(p == q, "line \(i)")
            } else {
                #expect(p.prefix(panel) == q.prefix(panel), "line \(i)")
            }
            if i > row && i < a.count - 2 {
                #expect(!p.dropFirst(panel).contains { $0.isNumber }, "no number in the waiting panel: \(p)")
            }
        }
        #expect(complete.trace.loss != before.trace.loss)
        #expect(
            a.contains { $0.contains("loss \(Format.number(complete.trace.loss))") },
            "the new model's loss in the header")
        s.handle(.computingTimeout)
        #expect(s.computingText?.hasPrefix("computing W_hh × 1.1: its forward pass is shown") == true)

        // Into the backward phase: held at the last forward step until the gradients arrive.
        for _ in 0..<s.columns { s.handle(.stepForward) }
        #expect(s.phase == .forward && s.step == s.columns - 1)
        #expect(s.notice == "the gradients of the new model are still being computed: the backward phase follows")
        let took3 = s.receive(LabWorker.Outcome(generation: generation, result: .success(complete)))
        #expect(took3)
        #expect(!s.isComputing && s.computingText == nil)
        s.handle(.stepForward)
        #expect(s.phase == .backward && s.step == s.columns - 1 && s.gradientArrived(column: s.columns - 1))
    }

    @Test(
        "Backward phase: the forward pass alone is not shown; the old model stays until the new one has its gradients")
    func backwardPhase() throws {
        var s = try Session(lesson: .defaultLesson)
        for _ in 0..<(s.columns + 1) { s.handle(.stepForward) }
        #expect(s.phase == .backward)
        let before = s.results
        _ = s.handle(.action(.scaleUp))
        let generation = try #require(s.pending?.generation)
        let (forward, complete) = try Self.stages(s.lab, previous: before)
        let took4 = s.receive(LabWorker.Outcome(generation: generation, result: .success(forward)))
        #expect(!took4)
        #expect(s.recurrentScale == 1 && s.trace.hasGradients && s.trace.loss == before.trace.loss && s.isComputing)
        let took5 = s.receive(LabWorker.Outcome(generation: generation, result: .success(complete)))
        #expect(took5)
        #expect(s.recurrentScale == 1.1 && s.phase == .backward && s.trace.loss == complete.trace.loss)
    }

    @Test("An outcome of an older generation is dropped")
    func olderDropped() throws {
        var s = try Session(lesson: .defaultLesson)
        let before = s.results
        _ = s.handle(.action(.scaleUp))
        let first = try #require(s.pending?.generation)
        let (forward, _) = try Self.stages(s.lab, previous: before)
        _ = s.handle(.action(.scaleUp))
        let took6 = s.receive(LabWorker.Outcome(generation: first, result: .success(forward)))
        #expect(!took6)
        #expect(s.recurrentScale == 1)
    }
}
