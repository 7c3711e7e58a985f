import UnrollLessons
import UnrollUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one event loop: draw the screen, wait for a key, the play timer, a lab worker or a class, turn what came into
/// an event for the session, carry out the effects the session returns, repeat.
///
/// Waiting blocks in `poll()`, so a paused session uses no CPU; while
/// playing, the wait times out once per step. The loop owns the lab workers (one per model), the class's room or
/// connection (``ClassLink``), the recorder and the clock; the sessions own none of them. A key that changes the
/// model returns ``Session/Effect/compute(_:)``, which the loop hands to the model's ``LabWorker``; the worker wakes
/// the loop through ``TerminalSession/requestRedraw()`` when the results are ready, and the loop feeds them back as
/// ``Session/Event/labResult(_:model:)``. Meanwhile every other key (stepping, scrolling, quitting) still works.
public enum TerminalApp {
    /// Runs the step-through on `lesson` until the user quits; the terminal is restored on return.
    /// The first results are computed before the terminal opens; every later change off the UI thread.
    /// - Throws: `TerminalError` when the terminal cannot be used, `EngineError` when a lesson cannot run and
    ///   `VersusSpecError` when the two models have different numbers of steps (both before the terminal opens).
    /// - Parameters:
    ///   - versus: a second model stepped in lockstep below the first (``PairSession``), with its own worker.
    ///   - display: colours, glyphs, theme, presenter mode and recording.
    ///   - opening: what the command line checks of a lesson chosen in the picker (its memory limit); for a training
    ///     lesson it returns the training view's worker, not started (nil: the picker cannot open training lessons,
    ///     and says how to). An error it throws is said on the status line, and the lesson on screen stays.
    public static func run(
        _ lesson: Lesson, versus: Lesson? = nil, display: DisplaySettings = DisplaySettings(),
        opening: ((Lesson) throws -> TrainingWorker?)? = nil
    ) throws {
        var workers = [LabWorker(wake: TerminalSession.requestRedraw, hold: debugHold())]
        // Stopped last, after the terminal is restored: the process must not exit while a worker is inside OpenBLAS
        // (its exit handlers free the buffers a running product uses), so a computation in progress is waited for.
        defer { workers.forEach { $0.stop() } }
        var session = try firstSession(lesson, asksQuestions: true)
        if display.presenter { session.handle(.togglePresenter) }
        if let versus {
            workers.append(LabWorker(wake: TerminalSession.requestRedraw, hold: debugHold()))
            let pair = try PairSession(session, firstSession(versus, asksQuestions: false))
            try loop(pair, workers: workers, display: display)
            return
        }
        // One terminal (and one recording) for every lesson opened from the picker (`o`), each with a worker of its
        // own, so no result of the lesson before can reach the next.
        let front = try FrontEnd(display, mouse: true)
        defer { front.end() }
        while true {
            let end = try loop(session, workers: [workers[workers.count - 1]], display: display, front: front)
            guard let name = end.wantsLesson else { return }
            switch Self.opening(name, after: end, front: front, check: opening) {
            case .stepThrough(let next):
                session = next
                workers.append(LabWorker(wake: TerminalSession.requestRedraw, hold: debugHold()))
            case .training(let worker):
                // The training view has no picker: quitting it quits unroll.
                return try runTraining(worker, front: front)
            case .stayed(let before):
                session = before
            }
        }
    }

    /// A session on `lesson`, its first results computed before the terminal opens, with a line on standard error
    /// saying which pass is running (``FirstPassNotice``), taken back once they are done or have failed.
    static func firstSession(_ lesson: Lesson, asksQuestions: Bool) throws -> Session {
        let notice = FirstPassNotice(lesson)
        defer { notice.erase() }
        let hold = debugHold()
        return try Session(lesson: lesson, asksQuestions: asksQuestions) { stage in
            notice.stage(stage)
            while stage == .backward, let hold, hold() { usleep(10_000) }
        }
    }

    /// The session on the built-in lesson `name`, chosen in the picker of `before`: its first results computed here
    /// under a frame that says so (as at start, before the loop runs), in the presenter mode `before` was in. When it
    /// cannot open, `before` again, with the picker closed and the reason on its status line.
    static func opening(
        _ name: String, after before: Session, front: FrontEnd, check: ((Lesson) throws -> TrainingWorker?)?
    ) -> Opened {
        var shown = before
        shown.say("opening '\(name)'…")
        let (w, h) = (front.terminal.width, front.terminal.height)
        front.show(shown.frame(theme: front.theme, width: w, height: h))
        var stay = before
        do {
            guard let lesson = Lesson.builtin(named: name) else { throw LessonPickerError.noSuchLesson(name) }
            let worker = try check?(lesson)
            if lesson.opensTrainingView {
                if let worker { return .training(worker) }
                stay.stayed(LessonPickerError.trainingView(name).description)
                return .stayed(stay)
            }
            var next = try Session(lesson: lesson, asksQuestions: true)
            if before.presenting { next.handle(.togglePresenter) }
            return .stepThrough(next)
        } catch {
            stay.stayed("'\(name)' cannot open: \(error)")
            return .stayed(stay)
        }
    }

    /// What the picker's choice became: a step-through, the training view, or the lesson before, saying why.
    enum Opened {
        case stepThrough(Session)
        case training(TrainingWorker)
        case stayed(Session)
    }

    /// How long a change may compute before the loop tells the session (``Session/Event/computingDue``), so that
    /// the screen says it is computing. The loop keeps the clock; the session keeps none.
    public static let computingNoticeDelay: Duration = .milliseconds(50)

    /// How long the loop holds its redraw (never its keys), after a model key, for the first results before it
    /// redraws the old model: one frame at 60 Hz. Results back by then make the next frame the new model's, with no
    /// redraw of the old one before it (a small lesson's results take about a millisecond; the redraw would take as long).
    public static let firstResultsWait: Duration = .milliseconds(16)

    /// The event loop over one session, a pair, or a class's presenter or follower.
    /// - Parameters:
    ///   - workers: the lab worker of each model (``Session/LabJob/model`` indexes them).
    ///   - link: the class's room or connection, nil outside a class.
    /// - Returns: the screen as it was when it quit.
    @discardableResult
    ///   - front: the terminal to draw to, kept open on return; nil: one opened here and restored on return.
    static func loop<S: SteppedScreen>(
        _ start: S, workers: [LabWorker], link: ClassLink? = nil,
        display: DisplaySettings, front given: FrontEnd? = nil
    ) throws -> S {
        var screen = start
        let front = try given ?? FrontEnd(display, mouse: true)
        defer { if given == nil { front.end() } }
        let terminal = front.terminal
        let crashAfterFirstFrame = getenv(debugCrashVariable).map { $0.pointee != 0 } ?? false
        var nextTick: ContinuousClock.Instant?
        var latency = LatencyLog()
        defer { latency?.close() }
        // After a model key, the redraw (not the loop) is held until the results come or a frame's time has passed,
        // so a small lesson's next frame is already the new model's; keys are read and handled meanwhile.
        var heldUntil: ContinuousClock.Instant?
        // When the change now computing was first asked for (the session keeps no clock).
        var pendingSince: ContinuousClock.Instant?
        var (w, h) = (terminal.width, terminal.height)

        /// Applies an event and carries out its effects: labs to the workers, the rest to the class.
        func send(_ event: Session.Event) {
            for effect in screen.handle(event) {
                switch effect {
                case .compute(let job):
                    guard workers.indices.contains(job.model) else { continue }
                    workers[job.model].submit(job.lab, previous: job.previous, generation: job.generation)
                case .saveFigure(let name, let title):
                    let frame = screen.frame(theme: front.theme, width: w, height: h)
                    send(.notice(Figure.write(frame, name: name, title: title, palette: .of(front.theme))))
                default:
                    link?.perform(effect, shown: screen.shown)
                }
            }
            if screen.pending == nil { pendingSince = nil } else if pendingSince == nil { pendingSince = .now }
        }

        while true {
            let shownBefore = screen.resultsShown
            for (model, worker) in workers.enumerated() {
                if let outcome = worker.take() { send(.labResult(outcome, model: model)) }
            }
            let received = screen.resultsShown != shownBefore
            if let link {
                for event in link.incoming(for: screen.shown) { send(event) }
                if link.outcome != nil { break }
            }
            if screen.wantsQuit || screen.wantsLesson != nil { break }
            if let held = heldUntil, received || screen.pending == nil || ContinuousClock.now >= held {
                heldUntil = nil
            }
            if heldUntil == nil {
                let drawStart = ContinuousClock.now
                let theme = front.theme
                if (terminal.width, terminal.height) != (w, h) {
                    (w, h) = (terminal.width, terminal.height)
                    send(.resize(width: w, height: h))
                }
                let frame = screen.frame(theme: theme, width: w, height: h)
                front.show(frame)
                link?.drawn()
                if received { latency?.frameDrawn(complete: screen.pending == nil, since: drawStart) }
                if crashAfterFirstFrame {
                    fatalError("\(debugCrashVariable) is set: a deliberate runtime trap after the first frame")
                }
            }
            // Wake for the next play step, to say that a change is still computing, or to draw a held frame,
            // whichever comes first (the worker's results wake the loop at once).
            nextTick = screen.playing ? (nextTick ?? .now.advanced(by: .milliseconds(screen.tickInterval))) : nil
            let computingDue = screen.showsComputing ? nil : pendingSince?.advanced(by: computingNoticeDelay)
            let due = [nextTick, computingDue, heldUntil].compactMap { $0 }.min()
            let timeout = due.map {
                Int(max(0, (ContinuousClock.now.duration(to: $0) / .milliseconds(1)).rounded(.up)))
            }
            guard let key = terminal.readKey(timeout: timeout) else {
                // A timeout, or the worker's (or a signal's) wake-up: act on whatever is due.
                if let computingDue, ContinuousClock.now >= computingDue { send(.computingDue) }
                if let tick = nextTick, ContinuousClock.now >= tick {
                    send(.playTick)
                    nextTick = nil
                }
                continue
            }
            let keyRead = ContinuousClock.now
            if let action = screen.action(for: key, width: w, height: h) {
                let generation = screen.pending?.generation
                send(.action(action))
                if let now = screen.pending?.generation, now != generation {
                    latency?.keyStarted(at: keyRead)
                    // Results within a frame's time come straight to the next frame, without the old model's redraw.
                    heldUntil = keyRead.advanced(by: firstResultsWait)
                }
                if action == .togglePlay || action == .faster || action == .slower { nextTick = nil }
            }
        }
        return screen
    }

    /// A hidden debugging hook: when this environment variable is set (to anything not empty),
    /// ``run(_:versus:display:)`` traps right after drawing the first frame,
    /// so tests can check that a Swift runtime trap restores the terminal and prints a report.
    public static let debugCrashVariable = "UNROLL_DEBUG_CRASH"

    /// A hidden test hook: with `UNROLL_DEBUG_HOLD_LAB=PATH` in the environment, the step-through's lab workers
    /// start no computation while a file exists at PATH (``LabWorker/init(wake:hold:)``). The first results are
    /// computed before the terminal opens, not by the worker: a test that creates the file after the first frame
    /// sees a model key stay "computing" until it removes the file, on a fast machine or a slow one; one that creates
    /// it before the start sees the first pass held before its backward stage, with the line that says so.
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
        if case .mouse(let event) = key {
            return ClickMap.action(for: event, session: session, width: width, height: height)
        }
        return KeyMap.action(for: key)
    }
}

/// What the event loop steps through: one ``Session``, two side by side (``PairSession``), or a class's presenter
/// or follower; each a reducer over ``Session/Event``s.
protocol SteppedScreen: EventHandling {
    /// The session on screen (the first of a pair): what a class's link reads.
    var shown: Session { get }
    /// Set by `.quit`.
    var wantsQuit: Bool { get }
    /// The lesson chosen in the picker, to open in place of this one (only a lone session has a picker).
    var wantsLesson: String? { get }
    /// Whether the timeline advances on its own.
    var playing: Bool { get }
    /// Milliseconds between steps while playing.
    var tickInterval: Int { get }
    /// The change being computed, if any.
    var pending: Session.PendingChange? { get }
    /// Whether the change being computed has been said to be computing.
    var showsComputing: Bool { get }
    /// How many computed results have reached the screen (``Session/resultsShown``).
    var resultsShown: Int { get }
    /// The screen at a size.
    func frame(theme: Theme, width: Int, height: Int) -> Canvas
    /// The action for a key or click at a size.
    func action(for key: Key, width: Int, height: Int) -> Action?
}

extension Session: SteppedScreen {
    var shown: Session { self }
    func frame(theme: Theme, width: Int, height: Int) -> Canvas {
        Screen.render(self, theme: theme, width: width, height: height)
    }
    func action(for key: Key, width: Int, height: Int) -> Action? {
        TerminalApp.action(for: key, session: self, width: width, height: height)
    }
}

extension PairSession: SteppedScreen {
    var shown: Session { first }
    var wantsLesson: String? { nil }
    var resultsShown: Int { first.resultsShown + second.resultsShown }
    func frame(theme: Theme, width: Int, height: Int) -> Canvas {
        Screen.render(self, theme: theme, width: width, height: height)
    }
    /// Keys as in one session; clicks do nothing side by side (the layout is the pair's).
    func action(for key: Key, width: Int, height: Int) -> Action? {
        if case .mouse = key { return nil }
        return KeyMap.action(for: key)
    }
}
