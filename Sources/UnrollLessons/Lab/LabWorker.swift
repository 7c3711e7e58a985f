import UnrollEngine
import UnrollSupport

/// Computes labs on a background thread, newest first, so the UI thread never runs the engine.
///
/// `submit` hands over a lab and returns at once; the worker computes it and
/// calls `wake` (the terminal's redraw request), and the UI thread collects
/// the result with `take`. Each lab's result comes in two stages under the same
/// generation: the forward pass alone (``LabResults/isForwardOnly``) as soon as it
/// is done (when it took at least `forwardStageMinimum`), then the whole; the
/// second replaces the first if it was not taken. A lab submitted while another is being computed
/// supersedes any not yet started and cancels the one running (``Cancellation``: it stops at its next time
/// step, so the new lab starts within one step); a result older than the newest submission
/// is dropped, so only the latest change reaches the screen. One `Monitor`
/// guards the mailbox; the thread sleeps in it while there is nothing to do.
public final class LabWorker: Sendable {
    /// A finished computation: the generation it was submitted as, and its results or the error.
    public struct Outcome: Sendable {
        /// The number `submit` returned for it.
        public var generation: Int
        /// The results, or why the lab could not run.
        public var result: Result<LabResults, EngineError>

        /// An outcome: `result` for the lab submitted as `generation`.
        public init(generation: Int, result: Result<LabResults, EngineError>) {
            self.generation = generation
            self.result = result
        }
    }

    private struct Mailbox {
        var next: (generation: Int, lab: Lab, previous: LabResults?)?
        var latest = 0
        var busy = false
        /// The running computation's cancellation (nil while idle).
        var running: Cancellation?
        var done: Outcome?
        var stopping = false
        var stopped = false
    }

    /// The shortest forward pass whose results are posted apart: below it the backward sweeps take about as
    /// long as drawing the forward stage would, so the whole is posted alone.
    public static let forwardStageMinimum: Duration = .milliseconds(1)

    private let mailbox = Monitor(Mailbox())
    private let wake: @Sendable () -> Void

    /// Starts the worker's thread; `wake` is called (on the worker's thread) after each result is ready.
    /// - Parameter hold: a test hook: while it returns true, the worker starts no computation (asked once a lab
    ///   is taken, then every 10 ms; `stop()` still ends the thread). The interactive view passes one only under
    ///   `UNROLL_DEBUG_HOLD_LAB`, so an end-to-end test sees "computing" for as long as it likes on any machine,
    ///   then lets the results come.
    public init(wake: @escaping @Sendable () -> Void, hold: (@Sendable () -> Bool)? = nil) {
        self.wake = wake
        let mailbox = self.mailbox
        Monitor<Mailbox>.startThread(name: "unroll-lab") { [wake] in
            Self.loop(mailbox, wake: wake, hold: hold)
        }
    }

    /// Hands `lab` over to be computed (reusing what it can of `previous`), superseding any lab not yet started
    /// and cancelling the one running.
    /// - Parameter generation: the number its outcome carries, chosen by the caller (a session numbers its own
    ///   changes); it must be larger than every earlier one. Nil: the next after the latest.
    /// - Returns: its generation.
    @discardableResult
    public func submit(_ lab: Lab, previous: LabResults?, generation: Int? = nil) -> Int {
        mailbox.withLock { m in
            m.latest = max(m.latest + 1, generation ?? 0)
            m.next = (m.latest, lab, previous)
            m.running?.cancel()
            return m.latest
        }
    }

    /// The newest finished result not yet taken, or nil; a result superseded by a later submission is never returned.
    public func take() -> Outcome? {
        mailbox.withLock { m in
            defer { m.done = nil }
            return m.done
        }
    }

    /// Waits until a result not yet taken is ready (either stage) or `deadline` passes; true when one is.
    /// - Note: for headless use (benchmarks, tests), never on the UI thread.
    public func waitForResult(deadline: ContinuousClock.Instant) -> Bool {
        mailbox.wait(until: { $0.done != nil }, deadline: deadline) { _ in true } ?? false
    }

    /// Waits until every submitted lab has finished or `deadline` passes; true when idle.
    /// - Note: for headless use (benchmarks, tests), never on the UI thread.
    public func waitUntilIdle(deadline: ContinuousClock.Instant) -> Bool {
        mailbox.wait(until: { !$0.busy && $0.next == nil }, deadline: deadline) { _ in true } ?? false
    }

    /// Ends the thread after the computation in progress, if any, and waits until it has ended.
    ///
    /// A program on its way out must call this: its exit handlers free OpenBLAS's buffers, which a product
    /// still running on the worker's thread would then use.
    public func stop() {
        mailbox.withLock { $0.stopping = true }
        mailbox.wait(until: \.stopped) { _ in }
    }

    deinit {
        mailbox.withLock { $0.stopping = true }
    }

    private static func loop(
        _ mailbox: Monitor<Mailbox>, wake: @escaping @Sendable () -> Void,
        hold: (@Sendable () -> Bool)?
    ) {
        while true {
            let job = mailbox.wait(until: { $0.next != nil || $0.stopping }) {
                m -> (generation: Int, lab: Lab, previous: LabResults?)? in
                guard !m.stopping, let job = m.next else {
                    m.stopped = true
                    return nil
                }
                m.next = nil
                m.busy = true
                return job
            }
            guard let job else { return }
            // Cancelled by the next `submit`; one taken after a newer submission is already superseded.
            let cancellation = Cancellation()
            mailbox.withLock { m in
                m.running = cancellation
                if job.generation != m.latest { cancellation.cancel() }
            }
            if let hold {
                // Held before computing: wait 10 ms at a time, or until `stop()`, which ends the thread.
                while hold() {
                    let stopped: Void? = mailbox.wait(until: \.stopping, deadline: .now.advanced(by: .milliseconds(10)))
                    { m in
                        m.stopped = true
                    }
                    if stopped != nil { return }
                }
            }
            let result: Result<LabResults, EngineError>
            let start = ContinuousClock.now
            do {
                let pass = try job.lab.forward(reusing: job.previous, cancellation: cancellation)
                // The forward stage, unless a newer lab is waiting: then this one stops here. A forward pass
                // quicker than `forwardStageMinimum` is not posted (nor made): the whole follows about as soon.
                if start.duration(to: .now) >= forwardStageMinimum {
                    let forward = pass.forwardResults
                    let current = mailbox.withLock { m -> Bool in
                        guard job.generation == m.latest, m.next == nil else { return false }
                        m.done = Outcome(generation: job.generation, result: .success(forward))
                        return true
                    }
                    guard current else {
                        mailbox.withLock { $0.busy = false; $0.running = nil }
                        continue
                    }
                    wake()
                }
                result = .success(try pass.finish(cancellation: cancellation))
            } catch is CancellationError {
                // Superseded: the newer lab is waiting; nothing is posted.
                mailbox.withLock { $0.busy = false; $0.running = nil }
                continue
            } catch let error as EngineError {
                result = .failure(error)
            } catch {
                result = .failure(EngineError(problems: ["\(error)"]))
            }
            let current = mailbox.withLock { m -> Bool in
                m.busy = false
                m.running = nil
                guard job.generation == m.latest else { return false }
                m.done = Outcome(generation: job.generation, result: result)
                return true
            }
            if current { wake() }
        }
    }
}
