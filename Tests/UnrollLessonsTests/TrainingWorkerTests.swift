import Foundation
import Testing
import UnrollEngine
import UnrollLessons
import UnrollSupport
import UnrollTraining

/// The two adding lessons cut down to a 4-unit model, batches of 2 and a few iterations, so each
/// test takes milliseconds; the LSTM computes in Float, the tanh RNN in Double.
private func tinyLessons(iterations: Int) throws -> [Lesson] {
    let lstm = try #require(Lesson.builtin(named: "train-adding-lstm"))
    let rnn = try #require(Lesson.builtin(named: "train-adding-rnn"))
    return [(lstm, Precision.float32), (rnn, .float64)].map { lesson, precision in
        var l = lesson
        l.hiddenSizes = [4]
        l.precision = precision
        l.training?.settings.batchSize = 2
        l.training?.settings.iterations = iterations
        return l
    }
}

/// A worker on the tiny lessons, not started, with a count of its `onChange` calls.
private struct Harness {
    let lessons: [Lesson]
    let worker: TrainingWorker
    let calls: Monitor<Int>

    init(iterations: Int = 4, paused: Bool = true) throws {
        lessons = try tinyLessons(iterations: iterations)
        let plan = try #require(lessons[0].training)
        let template = TrainingSnapshot(
            title: "tiny", task: plan.task.title, lossName: "MSE", baselineLoss: plan.task.baselineLoss,
            baselineLabel: plan.task.baselineLabel, optimizer: "Adam", batchSize: 2,
            iterations: iterations, runs: [])
        let calls = Monitor(0)
        self.calls = calls
        worker = TrainingWorker(
            runs: lessons.map { (label: $0.name, lesson: $0) }, template: template,
            control: TrainingControl(
                paused: paused, learningRate: plan.settings.learningRate,
                clipping: plan.settings.clipping)
        ) {
            calls.withLock { $0 += 1 }
        }
    }

    /// Changes the worker's control with `change`, then waits until it has done what the control asks.
    func ask(_ change: (inout TrainingControl) -> Void) throws -> TrainingSnapshot {
        var c = worker.control
        change(&c)
        worker.apply(c)
        return try settled()
    }

    /// The worker's snapshot once it has done what its control asks; fails the test after 30 s.
    func settled() throws -> TrainingSnapshot {
        try #require(worker.settled(before: .now + .seconds(30)), "the training worker did not settle within 30 s")
    }

    /// What a trainer of `lesson` measures in its first `n` iterations at the plan's settings,
    /// computed without the worker; `seedOffset` is added to the lesson's seed, as a restart does.
    func expected(
        _ lesson: Lesson, iterations n: Int, seedOffset: UInt64 = 0
    ) throws -> (model: Model<Double>, records: [IterationRecord]) {
        var l = lesson
        l.seed &+= seedOffset
        switch l.precision {
        case .float32:
            var t: Trainer<Float> = try #require(l.trainer())
            let model = t.model.converted(to: Double.self)
            return (model, try (0..<n).map { _ in try t.step() })
        case .float64:
            var t: Trainer<Double> = try #require(l.trainer())
            let model = t.model
            return (model, try (0..<n).map { _ in try t.step() })
        }
    }
}

@Suite("The training worker, on its own thread")
struct TrainingWorkerTests {
    @Test("Started paused, it runs no iteration, shows the initial weights' example and wakes the view")
    func startPaused() throws {
        let h = try Harness()
        h.worker.start()
        defer { h.worker.stop() }
        let s = try h.settled()
        #expect(s.state == .paused)
        try #require(s.runs.count == 2)
        for (run, lesson) in zip(s.runs, h.lessons) {
            #expect(run.points.isEmpty && run.exampleIteration == 0)
            let example = try #require(run.example)
            #expect(example.run.model == (try h.expected(lesson, iterations: 0)).model)
        }
        #expect(
            h.calls.wait(until: { $0 >= 1 }, deadline: .now + .seconds(30)) { $0 } != nil,
            "no onChange call within 30 s")
    }

    @Test("One step runs exactly one iteration of each model, the same as a Trainer's first, and shows its weights")
    func singleStep() throws {
        let h = try Harness()
        h.worker.start()
        defer { h.worker.stop() }
        _ = try h.settled()
        let s = try h.ask { $0.stepRequests += 1 }
        #expect(s.state == .paused)
        try #require(s.runs.count == 2)
        for (run, lesson) in zip(s.runs, h.lessons) {
            let want = try h.expected(lesson, iterations: 1).records
            #expect(run.points.map(\.iteration) == [1])
            #expect(run.points.map(\.loss) == want.map(\.loss))
            #expect(run.exampleIteration == 1)
            let example = try #require(run.example)
            #expect(
                example.run.model != (try h.expected(lesson, iterations: 0)).model,
                "the example still shows the initial weights")
        }
    }

    @Test("Resumed, it runs to the plan's count, the same iterations as a Trainer's, and finishes")
    func resumeToTheEnd() throws {
        let h = try Harness(iterations: 5)
        h.worker.start()
        defer { h.worker.stop() }
        _ = try h.settled()
        let s = try h.ask { $0.paused = false }
        #expect(s.state == .finished)
        try #require(s.runs.count == 2)
        for (run, lesson) in zip(s.runs, h.lessons) {
            let want = try h.expected(lesson, iterations: 5).records
            #expect(run.points.map(\.iteration) == [1, 2, 3, 4, 5])
            #expect(run.points.map(\.loss) == want.map(\.loss))
            #expect(run.points.map(\.normBefore) == want.map(\.gradientNormBefore))
            #expect(run.exampleIteration == 5)
        }
        // Finished: a step request runs nothing more.
        let again = try h.ask { $0.stepRequests += 1 }
        #expect(again.state == .finished && again.runs.map(\.points.count) == [5, 5])
    }

    @Test("A learning rate changed between iterations is the next iteration's")
    func liveLearningRate() throws {
        let h = try Harness()
        h.worker.start()
        defer { h.worker.stop() }
        _ = try h.settled()
        let first = try h.ask { $0.stepRequests += 1 }
        let s = try h.ask {
            $0.learningRate = 0.05
            $0.stepRequests += 1
        }
        let planRate = try #require(Lesson.builtin(named: "train-adding-lstm")?.training?.settings.learningRate)
        for (before, after) in zip(first.runs, s.runs) {
            #expect(before.points.map(\.learningRate) == [planRate])
            #expect(after.points.map(\.learningRate) == [planRate, 0.05])
        }
    }

    @Test("Clipping changed between iterations: the next update's norm is clipped to it, and unclipped when off")
    func liveClipping() throws {
        let h = try Harness()
        h.worker.start()
        defer { h.worker.stop() }
        _ = try h.settled()
        let clipped = try h.ask {
            $0.clipping = .norm(1e-4)
            $0.stepRequests += 1
        }
        for run in clipped.runs {
            let p = try #require(run.points.last)
            #expect(p.normBefore > 1e-4, "the gradient was already below the clip norm: the test shows nothing")
            #expect(abs(p.normAfter - 1e-4) <= 1e-4 * 1e-5)
        }
        let free = try h.ask {
            $0.clipping = .none
            $0.stepRequests += 1
        }
        for run in free.runs {
            let p = try #require(run.points.last)
            #expect(p.iteration == 2 && p.normAfter == p.normBefore)
        }
    }

    @Test("A restart starts the history again from fresh weights: the lesson's seed plus the restart count")
    func restart() throws {
        let h = try Harness()
        h.worker.start()
        defer { h.worker.stop() }
        _ = try h.settled()
        let trained = try h.ask { $0.stepRequests += 2 }
        #expect(trained.runs.map(\.points.count) == [2, 2])
        let s = try h.ask { $0.restarts += 1 }
        #expect(s.state == .paused)
        try #require(s.runs.count == 2)
        for (run, lesson) in zip(s.runs, h.lessons) {
            #expect(run.points.isEmpty && run.exampleIteration == 0)
            let example = try #require(run.example)
            #expect(example.run.model == (try h.expected(lesson, iterations: 0, seedOffset: 1)).model)
        }
        let one = try h.ask { $0.stepRequests += 1 }
        for (run, lesson) in zip(one.runs, h.lessons) {
            #expect(
                run.points.map(\.loss) == (try h.expected(lesson, iterations: 1, seedOffset: 1)).records.map(\.loss))
        }
    }

    @Test("Stop while training returns once the thread has ended; no snapshot or onChange call follows")
    func stopWhileTraining() throws {
        let h = try Harness(iterations: 1_000_000, paused: false)
        h.worker.start()
        let running = h.worker.snapshot(when: { ($0.runs.first?.points.count ?? 0) >= 2 }, before: .now + .seconds(30))
        try #require(running != nil, "no two iterations within 30 s")
        #expect(!h.worker.hasEnded)
        h.worker.stop()
        #expect(h.worker.hasEnded)
        let calls = h.calls.withLock { $0 }
        let last = h.worker.snapshot()
        var c = h.worker.control
        c.stepRequests += 1
        c.restarts += 1
        h.worker.apply(c)
        #expect(h.worker.settled(before: .now) == nil)
        #expect(h.worker.snapshot().runs.map(\.points.count) == last.runs.map(\.points.count))
        #expect(h.calls.withLock { $0 } == calls)
        let n = try #require(last.runs.first?.points.count)
        #expect(n >= 2 && n < 1_000_000)
    }

    @Test("A speed limit of 10 iterations a second: within 0.5 s at most 6 iterations run (a slower machine runs fewer)")
    func speedLimit() throws {
        let h = try Harness(iterations: 10_000)
        h.worker.start()
        defer { h.worker.stop() }
        _ = try h.settled()
        let started = ContinuousClock.now
        var c = h.worker.control
        c.paused = false
        c.iterationsPerSecond = 10
        h.worker.apply(c)
        Thread.sleep(forTimeInterval: 0.5)
        let elapsed = (ContinuousClock.now - started) / .seconds(1)
        let n = h.worker.snapshot().runs.first?.points.count ?? -1
        // One iteration at once, then one each 0.1 s: at most 1 + 10·elapsed.
        #expect(n >= 0 && Double(n) <= 1 + 10 * elapsed + 1e-9, "\(n) iterations in \(elapsed) s")
        c.paused = true
        h.worker.apply(c)
    }
}
