import UnrollEngine
import UnrollSupport
import UnrollTraining

/// Trains one training lesson, or two side by side, on a thread of its own, alternating between
/// the models so both get the same number of iterations, and publishes a ``TrainingSnapshot``
/// after every iteration for the training view. A characters task also writes samples on that thread
/// (`sampleEvery`, `sampleBudget`): what `unroll sample` prints for the same weights, prime, temperature and seed.
///
/// Any thread may call `snapshot()`, `apply(_:)` and `stop()`; the iterations and the examples are
/// computed on the worker's thread only. Everything the two sides share lives in one `Monitor`:
/// the thread parks on it while paused, finished or failed (an idle worker costs no CPU), reads
/// the control from it before every iteration, and marks itself ended there as its last act,
/// which is what `stop()` waits for.
public final class TrainingWorker: Sendable {
    /// Time between example recomputations while training runs.
    public static let exampleInterval: Duration = .milliseconds(250)
    /// Time between `onChange` calls while training runs (every change of state calls it at once).
    public static let redrawInterval: Duration = .milliseconds(100)
    /// Iterations between samples of a characters task while training runs (see `sampleSeconds`, `sampleBudget`).
    public static let sampleEvery = 100
    /// The longest time between samples while training runs, however slow the iterations.
    public static let sampleSeconds: Duration = .seconds(5)
    /// Samples wait until this many times what the last ones took has passed since them: they take at most
    /// 1/20 (5 %) of the training thread's time.
    public static let sampleBudget = 19
    /// Characters in a sample (after the prime); the view shows the whole words that fit.
    public static let sampleLength = 160
    /// Samples kept per model (the view shows as many as it has room for, newest first).
    public static let samplesKept = 24

    /// Whether the worker's thread has been started, and whether it has ended.
    enum ThreadState: Sendable {
        case notStarted, running, ended
    }

    /// What the worker's thread shares with its callers.
    struct Shared: Sendable {
        /// What the view asks for; the thread reads it before every iteration.
        var control: TrainingControl
        /// The latest snapshot.
        var published: TrainingSnapshot
        /// Set by `stop()`: the thread ends before its next iteration.
        var stopping = false
        /// Set by `start()`, and by the thread as its last act.
        var thread = ThreadState.notStarted
        /// The thread has published everything `control` asks for and waits for `control` to change.
        var settled = false
    }

    private let shared: Monitor<Shared>
    /// The thread's state before it starts (copied into the thread).
    private let loop: Loop

    /// A worker, not started, training `runs`.
    ///
    /// - Parameters:
    ///   - runs: each model's label and its training lesson (a lesson without `training` is left out).
    ///   - template: the title, task and settings every snapshot carries; the worker fills in its runs and state.
    ///   - control: what the worker does first (usually paused, at the plan's learning rate and clipping).
    ///   - onChange: called on the worker's thread after it publishes: at once on every change of state,
    ///     and at most every `redrawInterval` while training runs. The terminal passes `TerminalSession.requestRedraw`.
    /// - Precondition: every lesson's `problems` is empty.
    /// - Complexity: one forward and backward pass per model, for the examples of the first snapshot.
    public init(
        runs: [(label: String, lesson: Lesson)], template: TrainingSnapshot, control: TrainingControl,
        onChange: @escaping @Sendable () -> Void
    ) {
        var loop = Loop(
            contenders: runs.compactMap { $0.lesson.contender(label: $0.label) }, template: template,
            onChange: onChange)
        let first = loop.snapshot(state: control.paused ? .paused : .running)
        self.loop = loop
        shared = Monitor(Shared(control: control, published: first))
    }

    /// Starts the worker's thread; does nothing when it was started or stopped before.
    public func start() {
        let starts = shared.withLock { s -> Bool in
            guard s.thread == .notStarted && !s.stopping else { return false }
            s.thread = .running
            return true
        }
        guard starts else { return }
        let (shared, initial) = (shared, loop)
        Monitor<Shared>.startThread(name: "unroll-training") {
            var loop = initial
            loop.run(shared)
            shared.withLock { $0.thread = .ended }
        }
    }

    /// The latest state of training. Cheap: called once per frame.
    public func snapshot() -> TrainingSnapshot {
        shared.withLock { $0.published }
    }

    /// The control the worker follows now (the last one applied).
    public var control: TrainingControl {
        shared.withLock { $0.control }
    }

    /// Asks for `control`; the worker reads it before its next iteration, or wakes to it when idle.
    public func apply(_ control: TrainingControl) {
        shared.withLock { s in
            guard s.control != control else { return }
            s.control = control
            s.settled = false
        }
    }

    /// Stops the worker and waits for its thread to end (after the iteration under way, if any).
    /// After it returns, `onChange` is not called again.
    public func stop() {
        shared.withLock { $0.stopping = true }
        shared.wait(until: { $0.thread != .running }) { _ in }
    }

    /// Whether the worker's thread has ended.
    public var hasEnded: Bool {
        shared.withLock { $0.thread == .ended }
    }

    /// Waits until the worker has done everything its control asks for (it is paused, finished or
    /// failed, and waits for the control to change), or until `deadline`.
    /// - Returns: the snapshot it published then; nil at the deadline or when the worker has ended first.
    public func settled(before deadline: ContinuousClock.Instant) -> TrainingSnapshot? {
        shared.wait(until: { $0.settled || $0.thread == .ended }, deadline: deadline) {
            $0.settled ? $0.published : nil
        } ?? nil
    }

    /// Waits until a published snapshot satisfies `ready`, or until `deadline`.
    /// - Returns: that snapshot, or nil at the deadline.
    public func snapshot(
        when ready: (TrainingSnapshot) -> Bool, before deadline: ContinuousClock.Instant
    ) -> TrainingSnapshot? {
        shared.wait(until: { ready($0.published) }, deadline: deadline) { $0.published }
    }
}
