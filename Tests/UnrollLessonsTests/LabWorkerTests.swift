import Foundation
import Testing
import UnrollEngine
import UnrollSupport

@testable import UnrollLessons

/// Counts the worker's wake-ups.
private final class WakeCounter: Sendable {
    let count = Monitor(0)
    func wake() { count.withLock { $0 += 1 } }
}

@Suite("The lab and its worker")
struct LabWorkerTests {
    private static let deadline: Duration = .seconds(60)

    @Test("A lab's settings start as the lesson's own, and each change is what the key promises")
    func settings() throws {
        var lab = Lab(lesson: .defaultLesson)
        #expect(
            lab.isLessonsOwn && lab.settings.cell == .rnn && lab.settings.skip == nil
                && lab.settings.recurrentScale == 1)
        lab.cycleCell()
        #expect(lab.current.cell == .lstm && lab.current.initialization.forgetBias == 1)
        lab.cycleCell()
        lab.cycleCell()
        #expect(lab.current.cell == .rnn && lab.isLessonsOwn)
        lab.toggleSkip()
        #expect(lab.current.skip == 3)
        lab.scaleRecurrent(by: 1.1)
        lab.scaleRecurrent(by: 1.1)
        #expect(abs(lab.settings.recurrentScale - 1.21) < 1e-12)
        lab.reseed()
        #expect(lab.current.seed == Lesson.defaultLesson.seed + 1 && !lab.isLessonsOwn)
    }

    @Test(
        "A lab's problems, its own weights checked once, are the lesson's problems checked in full, key after key",
        arguments: ["lstm", "handcalc", "sharing", "memory"])
    func problemsMatchTheFullCheck(_ name: String) throws {
        var lab = Lab(lesson: try #require(Lesson.builtin(named: name)))
        let changes: [(inout Lab) -> Void] = [
            { $0.scaleRecurrent(by: 1.5) }, { $0.toggleClipping() }, { $0.toggleSkipComparison() },
            { $0.cycleGradient(column: 1) }, { $0.cycleCell() }, { $0.restore() }, { $0.reseed() }
        ]
        #expect(lab.problems.isEmpty)
        for change in changes {
            change(&lab)
            #expect(lab.problems == lab.runnable.problems)
        }
    }

    @Test(
        "A lab stopped after its forward pass and finished gives the whole results bit for bit (Double and Float lessons)",
        arguments: ["memory", "nan"])
    func forwardNotWanted(_ name: String) throws {
        var lab = Lab(lesson: try #require(Lesson.builtin(named: name)))
        lab.scaleRecurrent(by: 1.2)
        let whole = try lab.compute()
        let pass = try lab.forward()
        #expect(pass.forwardResults.isForwardOnly && !whole.isForwardOnly)
        let staged = pass.finish()
        #expect(!staged.isForwardOnly)
        #expect(whole.trace.loss.bitPattern == staged.trace.loss.bitPattern)
        #expect(whole.trace.losses.map { $0?.bitPattern } == staged.trace.losses.map { $0?.bitPattern })
        #expect(
            whole.trace.layers.flatMap { $0.steps.map(\.hiddenGradientNorm.bitPattern) }
                == staged.trace.layers.flatMap { $0.steps.map(\.hiddenGradientNorm.bitPattern) })
    }

    @Test(
        "A lab cancelled (a newer key) stops at the next step, in its forward pass or its sweeps; one not cancelled is whole",
        arguments: ["memory", "nan", "lstm"])
    func cancelled(_ name: String) throws {
        var lab = Lab(lesson: try #require(Lesson.builtin(named: name)))
        lab.scaleRecurrent(by: 1.2)
        // The boundaries of the forward pass alone (its steps, and its Jacobian replays when it records them).
        let counted = Cancellation()
        _ = try lab.forward(cancellation: counted)
        let forward = counted.stepsPassed
        try #require(forward >= lab.runnable.tokens.count && forward > 2)
        let early = Cancellation(afterSteps: 1)
        #expect(throws: CancellationError.self) { _ = try lab.forward(cancellation: early) }
        #expect(early.stepsPassed == 2)
        // Past the forward pass, into the sweeps.
        let late = Cancellation(afterSteps: forward + 1)
        let pass = try lab.forward(cancellation: late)
        #expect(throws: CancellationError.self) { _ = try pass.finish(cancellation: late) }
        #expect(late.stepsPassed == forward + 2)
        let never = Cancellation()
        let whole = try lab.forward(cancellation: never).finish(cancellation: never)
        let plain = try lab.compute()
        #expect(!never.isCancelled && !whole.isForwardOnly)
        #expect(whole.trace.loss.bitPattern == plain.trace.loss.bitPattern)
        #expect(
            whole.gradients.map { $0.hidden.map(\.bitPattern) } == plain.gradients.map { $0.hidden.map(\.bitPattern) })
    }

    @Test("Weights that do not fit the lesson's model are refused by the lab, as by the lesson, after any key")
    func misfitWeightsRefused() throws {
        var lesson = try #require(Lesson.builtin(named: "lstm"))
        try #require(lesson.weights != nil)
        lesson.hiddenSizes = lesson.hiddenSizes.map { $0 + 1 }
        var lab = Lab(lesson: lesson)
        let full = lesson.problems
        #expect(full.count == 1 && full.first?.isEmpty == false)
        #expect(lab.problems == full)
        lab.scaleRecurrent(by: 2)
        lab.toggleClipping()
        #expect(lab.problems == lab.runnable.problems)
        #expect(lab.problems.first == full.first)
        #expect(throws: EngineError.self) { try lab.compute() }
    }

    @Test("compute: W_hh scaled by c scales the spectra by |c|, equal to LAPACK's on the scaled weights")
    func computeScales() throws {
        var lab = Lab(lesson: .defaultLesson)
        let base = try lab.compute()
        lab.scaleRecurrent(by: 1.5)
        let scaled = try lab.compute(reusing: base)
        let independent = try lab.current.trace(recurrentScale: 1.5).1.recurrent
        let a = try #require(scaled.trace.recurrent.first), b = try #require(independent.first)
        #expect(abs(a.spectralRadius - b.spectralRadius) <= 1e-9 * b.spectralRadius)
        #expect(abs(a.largestSingularValue - b.largestSingularValue) <= 1e-9 * b.largestSingularValue)
        #expect(
            abs(a.spectralRadius - 1.5 * (try #require(base.trace.recurrent.first)).spectralRadius) <= 1e-9
                * a.spectralRadius)
        #expect(scaled.comparison == nil, "no comparison unless asked for")
    }

    @Test("The worker computes in the background, wakes the caller, and hands over the newest result only")
    func newestWins() throws {
        let counter = WakeCounter()
        let worker = LabWorker(wake: counter.wake)
        defer { worker.stop() }
        var lab = Lab(lesson: .defaultLesson)
        var generations: [Int] = []
        for _ in 0..<3 {
            lab.scaleRecurrent(by: 2)
            generations.append(worker.submit(lab, previous: nil))
        }
        #expect(generations == [1, 2, 3])
        #expect(worker.waitUntilIdle(deadline: .now.advanced(by: Self.deadline)), "the worker did not finish in time")
        let outcome = try #require(worker.take())
        #expect(outcome.generation == 3)
        let results = try outcome.result.get()
        #expect(results.lab == lab && results.lab.settings.recurrentScale == 8)
        #expect(worker.take() == nil, "a result is handed over once")
        // The wake-up follows the result, outside the worker's lock: wait for it.
        let wakes = counter.count.wait(until: { $0 >= 1 }, deadline: .now.advanced(by: Self.deadline)) { $0 }
        #expect(wakes != nil && wakes ?? 0 <= 3, "woken \(wakes.map(String.init) ?? "never")")
    }

    @Test("A lab the engine refuses comes back as a failure with its problems")
    func failure() throws {
        let worker = LabWorker(wake: {})
        defer { worker.stop() }
        let bad = Lab(lesson: Lesson(name: "bad", title: "bad", hiddenSizes: [0], tokens: ["a", "b"]))
        worker.submit(bad, previous: nil)
        #expect(worker.waitUntilIdle(deadline: .now.advanced(by: Self.deadline)))
        let outcome = try #require(worker.take())
        guard case .failure(let error) = outcome.result else {
            Issue.record("a model with H = 0 was computed")
            return
        }
        #expect(error.problems.contains { $0.contains("hiddenSizes[0]") })
    }

    @Test("stop ends the thread; nothing submitted afterwards is computed")
    func stop() throws {
        let counter = WakeCounter()
        let worker = LabWorker(wake: counter.wake)
        worker.stop()
        worker.submit(Lab(lesson: .defaultLesson), previous: nil)
        #expect(!worker.waitUntilIdle(deadline: .now.advanced(by: .milliseconds(300))), "a stopped worker computed")
        let wakes = counter.count.withLock { $0 }
        #expect(worker.take() == nil && wakes == 0)
    }
}

extension LabWorker.Outcome: Equatable {
    public static func == (a: Self, b: Self) -> Bool { a.generation == b.generation }
}
