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
    /// - Throws: `TerminalError` when the terminal cannot be used, `EngineError` when the lesson cannot run
    ///   (before the terminal opens).
    /// - Parameters:
    ///   - presenter: open in presenter mode (`--presenter`; `P` toggles it).
    ///   - record: a recorder that receives every frame drawn (`--record`).
    public static func run(_ lesson: Lesson, colorMode: ColorMode? = nil, glyphs: GlyphSet? = nil,
                           contrast: Theme.Contrast = .standard, presenter: Bool = false,
                           record: ((Int, Int) throws -> AsciicastRecorder)? = nil) throws {
        let worker = LabWorker(wake: TerminalSession.requestRedraw)
        // Stopped last, after the terminal is restored: the process must not exit while the worker is inside OpenBLAS
        // (its exit handlers free the buffers a running product uses), so a computation in progress is waited for.
        defer { worker.stop() }
        var session = try Session(lesson: lesson, worker: worker, asksQuestions: true)
        if presenter { session.handle(.togglePresenter) }
        let terminal = try TerminalSession(colorMode: colorMode, glyphs: glyphs, mouse: true)
        defer { terminal.end() }
        let recorder = try record?(terminal.width, terminal.height)
        defer { recorder?.finish() }
        let crashAfterFirstFrame = getenv(debugCrashVariable).map { $0.pointee != 0 } ?? false
        var nextTick: ContinuousClock.Instant?
        while !session.wantsQuit {
            session.receive()
            let theme = terminal.theme(contrast: contrast)
            let (w, h) = (terminal.width, terminal.height)
            let frame = Screen.render(session, theme: theme, width: w, height: h)
            terminal.draw(frame)
            recorder?.record(frame)
            if crashAfterFirstFrame {
                fatalError("\(debugCrashVariable) is set: a deliberate runtime trap after the first frame")
            }
            // Wake for the next play step, or to say that a change is still computing, whichever comes first.
            nextTick = session.playing ? (nextTick ?? .now.advanced(by: .milliseconds(session.tickInterval))) : nil
            let computingDue = session.pending.flatMap { session.showsComputing ? nil : $0.since.advanced(by: Session.computingNoticeDelay) }
            let due = [nextTick, computingDue].compactMap { $0 }.min()
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
            if let action = action(for: key, session: session, width: w, height: h) {
                session.handle(action)
                if action == .togglePlay || action == .faster || action == .slower { nextTick = nil }
            }
        }
    }

    /// A hidden debugging hook: when this environment variable is set (to anything not empty),
    /// ``run(_:colorMode:glyphs:contrast:presenter:record:)`` traps right after drawing the first frame,
    /// so tests can check that a Swift runtime trap restores the terminal and prints a report.
    public static let debugCrashVariable = "UNROLL_DEBUG_CRASH"

    /// The action for a key or click at a given screen size: a click on a graph node selects it, one on a unit's
    /// row of the inspector chooses the unit the equations show.
    public static func action(for key: Key, session: Session, width: Int, height: Int) -> Action? {
        if case .mouse(let event) = key { return ClickMap.action(for: event, session: session, width: width, height: height) }
        return KeyMap.action(for: key)
    }
}
