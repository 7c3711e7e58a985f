#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import UnrollLessons
import UnrollUI

/// The interactive loop: draw the session, wait for a key, the play timer or the lab worker, apply it, repeat.
///
/// Waiting blocks in `poll()`, so a paused session uses no CPU; while
/// playing, the wait times out once per step. A key that changes the model
/// hands the work to the session's ``LabWorker``; the worker wakes the loop
/// through ``TerminalSession/requestRedraw()`` when the results are ready, and
/// meanwhile every other key (stepping, scrolling, quitting) still works.
public enum TerminalApp {
    /// Runs the step-through on `lesson` until the user quits; the terminal is restored on return.
    /// The first results are computed before the terminal opens; every later change off the UI thread.
    /// - Throws: `TerminalError` when the terminal cannot be used, `EngineError` when a lesson cannot run and
    ///   `VersusSpecError` when the two models have different numbers of steps (both before the terminal opens).
    /// - Parameters:
    ///   - versus: a second model stepped in lockstep below the first (``PairSession``), with its own worker.
    ///   - display: colours, glyphs, theme, presenter mode and recording.
    public static func run(_ lesson: Lesson, versus: Lesson? = nil, display: DisplaySettings = DisplaySettings()) throws {
        let worker = LabWorker(wake: TerminalSession.requestRedraw, hold: debugHold())
        // Stopped last, after the terminal is restored: the process must not exit while the worker is inside OpenBLAS
        // (its exit handlers free the buffers a running product uses), so a computation in progress is waited for.
        defer { worker.stop() }
        var session = try Session(lesson: lesson, worker: worker, asksQuestions: true)
        if display.presenter { session.handle(.togglePresenter) }
        guard let versus else {
            try loop(session, display: display)
            return
        }
        let second = LabWorker(wake: TerminalSession.requestRedraw, hold: debugHold())
        defer { second.stop() }
        let pair = try PairSession(session, Session(lesson: versus, worker: second))
        try loop(pair, display: display)
    }

    /// The event loop over one session, a pair, or a class's presenter or follower.
    /// - Returns: the screen as it was when it quit.
    @discardableResult
    static func loop<S: SteppedScreen>(_ start: S, display: DisplaySettings) throws -> S {
        var session = start
        let terminal = try TerminalSession(colorMode: display.colorMode, glyphs: display.glyphs, mouse: true)
        defer { terminal.end() }
        let recorder = try display.record?(terminal.width, terminal.height)
        defer { recorder?.finish() }
        let crashAfterFirstFrame = getenv(debugCrashVariable).map { $0.pointee != 0 } ?? false
        var nextTick: ContinuousClock.Instant?
        var latency = LatencyLog()
        defer { latency?.close() }
        // After a model key, the redraw (not the loop) is held until the results come or a frame's time has passed,
        // so a small lesson's next frame is already the new model's; keys are read and handled meanwhile.
        var heldUntil: ContinuousClock.Instant?
        var (w, h) = (terminal.width, terminal.height)
        while true {
            let received = session.receive()
            session.sync()
            if session.wantsQuit { break }
            if let held = heldUntil, received || session.pending == nil || ContinuousClock.now >= held { heldUntil = nil }
            if heldUntil == nil {
                let drawStart = ContinuousClock.now
                let theme = terminal.theme(contrast: display.contrast)
                (w, h) = (terminal.width, terminal.height)
                let frame = session.frame(theme: theme, width: w, height: h)
                terminal.draw(frame)
                session.drawn()
                recorder?.record(frame)
                if received { latency?.frameDrawn(complete: session.pending == nil, since: drawStart) }
                if crashAfterFirstFrame {
                    fatalError("\(debugCrashVariable) is set: a deliberate runtime trap after the first frame")
                }
            }
            // Wake for the next play step, to say that a change is still computing, or to draw a held frame,
            // whichever comes first (the worker's results wake the loop at once).
            nextTick = session.playing ? (nextTick ?? .now.advanced(by: .milliseconds(session.tickInterval))) : nil
            let computingDue = session.pending.flatMap { session.showsComputing ? nil : $0.since.advanced(by: Session.computingNoticeDelay) }
            let due = [nextTick, computingDue, heldUntil].compactMap { $0 }.min()
            let timeout = due.map { Int(max(0, (ContinuousClock.now.duration(to: $0) / .milliseconds(1)).rounded(.up))) }
            guard let key = terminal.readKey(timeout: timeout) else {
                // A timeout, or the worker's (or a signal's) wake-up: act on whatever is due.
                if let computingDue, ContinuousClock.now >= computingDue { session.handle(.computingTimeout) }
                if let tick = nextTick, ContinuousClock.now >= tick {
                    session.handle(.tick)
                    nextTick = nil
                }
                continue
            }
            let keyRead = ContinuousClock.now
            if let action = session.action(for: key, width: w, height: h) {
                let generation = session.pending?.generation
                session.handle(action)
                if let now = session.pending?.generation, now != generation {
                    latency?.keyStarted(at: keyRead)
                    // Results within a frame's time come straight to the next frame, without the old model's redraw.
                    heldUntil = keyRead.advanced(by: Session.firstResultsWait)
                }
                if action == .togglePlay || action == .faster || action == .slower { nextTick = nil }
            }
        }
        return session
    }

    /// A hidden debugging hook: when this environment variable is set (to anything not empty),
    /// ``run(_:versus:display:)`` traps right after drawing the first frame,
    /// so tests can check that a Swift runtime trap restores the terminal and prints a report.
    public static let debugCrashVariable = "UNROLL_DEBUG_CRASH"

    /// A hidden test hook: with `UNROLL_DEBUG_HOLD_LAB=PATH` in the environment, the step-through's lab workers
    /// start no computation while a file exists at PATH (``LabWorker/init(wake:hold:)``). The first results are
    /// computed before the terminal opens, not by the worker, so the test creates the file after the first frame;
    /// a model key then stays "computing" until the test removes it, on a fast machine or a slow one.
    public static let debugHoldVariable = "UNROLL_DEBUG_HOLD_LAB"

    /// The hold ``debugHoldVariable`` asks for, or nil when it is unset or empty.
    static func debugHold() -> (@Sendable () -> Bool)? {
        guard let value = getenv(debugHoldVariable), value.pointee != 0 else { return nil }
        let path = String(cString: value)
        return { access(path, F_OK) == 0 }
    }

    /// The action for a key or click at a given screen size: a click on a graph node selects it, one on a unit's
    /// row of the inspector chooses the unit the equations show.
    public static func action(for key: Key, session: Session, width: Int, height: Int) -> Action? {
        if case .mouse(let event) = key { return ClickMap.action(for: event, session: session, width: width, height: height) }
        return KeyMap.action(for: key)
    }
}

/// What the event loop steps through: one ``Session``, or two side by side (``PairSession``).
protocol SteppedScreen {
    /// Set by `.quit`.
    var wantsQuit: Bool { get }
    /// Whether the timeline advances on its own.
    var playing: Bool { get }
    /// Milliseconds between steps while playing.
    var tickInterval: Int { get }
    /// The change being computed, if any.
    var pending: Session.PendingChange? { get }
    /// Whether the change being computed has been said to be computing.
    var showsComputing: Bool { get }
    /// Takes the workers' newest results.
    @discardableResult mutating func receive() -> Bool
    /// Applies an action.
    mutating func handle(_ action: Action)
    /// The screen at a size.
    func frame(theme: Theme, width: Int, height: Int) -> Canvas
    /// The action for a key or click at a size.
    func action(for key: Key, width: Int, height: Int) -> Action?
    /// Exchanges what is new with a class's room or presenter, once per turn of the loop (nothing outside a class).
    mutating func sync()
    /// Called after each frame is drawn.
    mutating func drawn()
}

extension SteppedScreen {
    mutating func sync() {}
    mutating func drawn() {}
}

extension Session: SteppedScreen {
    func frame(theme: Theme, width: Int, height: Int) -> Canvas { Screen.render(self, theme: theme, width: width, height: height) }
    func action(for key: Key, width: Int, height: Int) -> Action? {
        TerminalApp.action(for: key, session: self, width: width, height: height)
    }
}

extension PairSession: SteppedScreen {
    func frame(theme: Theme, width: Int, height: Int) -> Canvas { Screen.render(self, theme: theme, width: width, height: height) }
    /// Keys as in one session; clicks do nothing side by side (the layout is the pair's).
    func action(for key: Key, width: Int, height: Int) -> Action? {
        if case .mouse = key { return nil }
        return KeyMap.action(for: key)
    }
}
