import Foundation
import UnrollEngine
import UnrollLessons
import UnrollTerminal
import UnrollTraining
import UnrollUI

/// One model being trained in the view, in its precision.
protocol TrainingContender: AnyObject {
    /// e.g. "LSTM, H = 32".
    var label: String { get }
    /// The iterations so far.
    var history: [IterationRecord] { get }
    /// Starts again from fresh weights: the lesson's seed plus `seed`.
    func restart(seed: UInt64)
    /// One iteration with the live learning rate and clipping.
    func step(learningRate: Double, clipping: Clipping) throws -> IterationRecord
    /// The fixed example unrolled with the current weights.
    func example() throws -> Session
}

/// A `Trainer` of one precision, and the lesson it came from (to start again and to label its example).
final class Contender<T: EngineScalar>: TrainingContender {
    let label: String
    let lesson: Lesson
    var trainer: Trainer<T>

    /// A contender for a training lesson, or nil when the lesson has no training section.
    init?(label: String, lesson: Lesson) {
        guard let trainer: Trainer<T> = lesson.trainer() else { return nil }
        self.label = label
        self.lesson = lesson
        self.trainer = trainer
    }

    var history: [IterationRecord] { trainer.history }

    func restart(seed: UInt64) {
        var fresh = lesson
        fresh.seed = lesson.seed &+ seed
        if let t: Trainer<T> = fresh.trainer() { trainer = t }
    }

    func step(learningRate: Double, clipping: Clipping) throws -> IterationRecord {
        trainer.settings.learningRate = learningRate
        trainer.settings.clipping = clipping
        return try trainer.step()
    }

    func example() throws -> Session {
        // The view shows no one-step Jacobians: skip their H vector–Jacobian products per step.
        var options = trainer.runOptions
        options.recordJacobians = false
        let trace = try Engine.run(model: trainer.model, sample: trainer.example, options: options)
        let labels = trainer.task.labels(of: trainer.example)
        let run = LessonRun<Double>(model: trainer.model.converted(), sample: trainer.example.converted(),
                                    options: options, inputLabels: labels.inputs, targetLabels: labels.targets,
                                    vocabulary: trainer.task.classNames)
        return Session(lesson: lesson, run: run, trace: trace.converted())
    }
}

/// Runs the contenders' iterations on one background thread, alternating between them so both
/// get the same number, and publishes snapshots for the training view.
///
/// The UI thread calls `snapshot()` and `apply(_:)`; everything else happens on the worker thread.
/// A condition variable parks the thread while paused or finished, so an idle view costs no CPU.
final class TrainingWorker: TrainingDriver, @unchecked Sendable {
    private let condition = NSCondition()
    // Guarded by `condition`:
    private var control: TrainingControl
    private var published: TrainingSnapshot
    private var stopping = false
    private var thread: Thread?

    // Worker thread only:
    private let contenders: [TrainingContender]
    private let template: TrainingSnapshot
    private var examples: [Session?]
    private var exampleIterations: [Int]
    private var lastExample = ContinuousClock.now
    private var lastRedraw = ContinuousClock.now
    private var rates: [(at: ContinuousClock.Instant, iteration: Int)] = []

    /// Time between example recomputations while training runs.
    static let exampleInterval: Duration = .milliseconds(250)
    /// Time between redraw requests while training runs.
    static let redrawInterval: Duration = .milliseconds(100)

    init(contenders: [TrainingContender], template: TrainingSnapshot, control: TrainingControl) {
        self.contenders = contenders
        self.template = template
        self.control = control
        self.examples = contenders.map { try? $0.example() }
        self.exampleIterations = contenders.map { _ in 0 }
        self.published = template
        self.published = makeSnapshot(state: control.paused ? .paused : .running)
    }

    func start() {
        let t = Thread { [self] in loop() }
        t.name = "unroll-training"
        t.stackSize = 8 << 20
        thread = t
        t.start()
    }

    func snapshot() -> TrainingSnapshot {
        condition.lock(); defer { condition.unlock() }
        return published
    }

    func apply(_ control: TrainingControl) {
        condition.lock()
        self.control = control
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        while thread?.isFinished == false { usleep(1000) }
    }

    private func loop() {
        var seenSteps = 0, seenRestarts = 0
        while true {
            condition.lock()
            let c = control
            if stopping { condition.unlock(); return }
            condition.unlock()

            if c.restarts > seenRestarts {
                seenRestarts = c.restarts
                for x in contenders { x.restart(seed: UInt64(seenRestarts)) }
                examples = contenders.map { try? $0.example() }
                exampleIterations = contenders.map { _ in 0 }
                rates = []
                publish(state: c.paused ? .paused : .running, redraw: true)
                continue
            }
            let done = contenders.allSatisfy { $0.history.count >= template.iterations }
            let wantsStep = c.stepRequests > seenSteps
            if done || (c.paused && !wantsStep) {
                seenSteps = c.stepRequests
                refreshExamples()
                publish(state: done ? .finished : .paused, redraw: true)
                park(while: { $0 == c })
                continue
            }
            if wantsStep { seenSteps += 1 }
            do {
                for x in contenders where x.history.count < template.iterations {
                    _ = try x.step(learningRate: c.learningRate, clipping: c.clipping)
                }
            } catch {
                publish(state: .failed("training stopped: \(error)"), redraw: true)
                park(while: { $0.restarts == c.restarts })
                continue
            }
            let now = ContinuousClock.now
            if wantsStep || now - lastExample >= Self.exampleInterval { refreshExamples() }
            publish(state: wantsStep ? .paused : .running, redraw: wantsStep || now - lastRedraw >= Self.redrawInterval)
        }
    }

    /// Waits until the control changes from what `unchanged` accepts, or until stopped.
    private func park(while unchanged: (TrainingControl) -> Bool) {
        condition.lock()
        while !stopping && unchanged(control) { condition.wait() }
        condition.unlock()
    }

    private func refreshExamples() {
        for (i, x) in contenders.enumerated() where exampleIterations[i] != x.history.count || examples[i] == nil {
            examples[i] = try? x.example()
            exampleIterations[i] = x.history.count
        }
        lastExample = .now
    }

    private func makeSnapshot(state: TrainingSnapshot.State) -> TrainingSnapshot {
        var s = template
        s.state = state
        let n = contenders.first?.history.count ?? 0
        let now = ContinuousClock.now
        rates.append((now, n))
        while let first = rates.first, now - first.at > .seconds(2), rates.count > 2 { rates.removeFirst() }
        var rate = 0.0
        if let first = rates.first, n > first.iteration {
            let dt = (now - first.at) / .seconds(1)
            rate = dt > 0 ? Double(n - first.iteration) / dt : 0
        }
        s.runs = contenders.enumerated().map { i, x in
            TrainingSnapshot.Run(
                label: x.label,
                points: x.history.map { .init(iteration: $0.iteration, loss: $0.loss, accuracy: $0.accuracy,
                                              normBefore: $0.gradientNormBefore, normAfter: $0.gradientNormAfter) },
                example: examples[i], exampleIteration: exampleIterations[i],
                iterationsPerSecond: state == .running ? rate : 0, seconds: x.history.last?.seconds ?? 0)
        }
        return s
    }

    private func publish(state: TrainingSnapshot.State, redraw: Bool) {
        let s = makeSnapshot(state: state)
        condition.lock()
        published = s
        condition.unlock()
        if redraw {
            lastRedraw = .now
            TerminalSession.requestRedraw()
        }
    }
}
