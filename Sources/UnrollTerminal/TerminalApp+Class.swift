#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import UnrollClass
import UnrollLessons
import UnrollUI

/// How a follower's class ended, for the command's message and exit status.
public enum ClassOutcome: Sendable, Equatable {
    /// The student quit (`q`).
    case quit
    /// The presenter ended the class (exit 0).
    case presenterEnded
    /// The connection was lost, or the presenter sent what this unroll refuses (exit 1), with why.
    case lost(String)
}

extension TerminalApp {
    /// Runs a class's presenter (`unroll present`): the step-through on `lesson`, its state published to a room
    /// opened with `options` after every change, the room's code and counts in the status line. The room closes
    /// (saying goodbye to every follower) when the presenter quits, before the terminal is restored.
    /// - Parameters:
    ///   - sent: the lesson as the followers receive it on joining.
    ///   - presenterName: the name the followers' status line shows.
    ///   - opened: called with the room's code and address once it listens, before the terminal opens.
    /// - Throws: `ClassError` when the room cannot open, as ``run(_:versus:display:)`` otherwise.
    public static func present(_ lesson: Lesson, sent: ClassLesson, room options: RoomOptions, presenterName: String,
                               opened: (JoinCode, String) -> Void, display: DisplaySettings = DisplaySettings()) throws {
        let worker = LabWorker(wake: TerminalSession.requestRedraw)
        defer { worker.stop() }
        var session = try Session(lesson: lesson, worker: worker, asksQuestions: true)
        if display.presenter { session.handle(.togglePresenter) }
        let room = try ClassRoom(options: options, lesson: sent.encoded(), wake: TerminalSession.requestRedraw)
        defer { room.close() }
        opened(room.code, room.address)
        let screen = PresentingScreen(presenter: PresenterSession(session, code: room.code.description, presenter: presenterName),
                                      room: room, log: FrameLog.fromEnvironment())
        _ = try loop(screen, display: display)
    }

    /// Runs a class's follower (`unroll join`) on a joined room: follows the presenter's state, at the student's
    /// own size and theme, until the student quits or the class ends.
    /// - Returns: how the class ended for this student.
    /// - Throws: `TerminalError` when the terminal cannot be used, `ClassStateError` when the lesson sent cannot be
    ///   read, `EngineError` when it cannot run (all before the terminal opens).
    public static func follow(_ connection: ClassFollower, code: JoinCode,
                              display: DisplaySettings = DisplaySettings()) throws -> ClassOutcome {
        let lesson = try ClassLesson.lesson(from: connection.lesson, limit: ClassLimits.lesson)
        let worker = LabWorker(wake: TerminalSession.requestRedraw)
        defer { worker.stop() }
        let session = try Session(lesson: lesson, worker: worker, asksQuestions: true)
        var screen = FollowingScreen(follower: FollowerSession(session, code: code.description), connection: connection,
                                     log: FrameLog.fromEnvironment())
        screen.sync()
        if let end = screen.outcome { return end }
        let last = try loop(screen, display: display)
        connection.leave()
        return last.outcome ?? .quit
    }
}

/// A class's screen in the event loop (presenter or student): one ``Session`` on screen, held by what drives it;
/// what is read from the session alone is read here once for both.
protocol ClassScreen: SteppedScreen {
    /// The session on screen.
    var shown: Session { get }
}

extension ClassScreen {
    var playing: Bool { shown.playing }
    var tickInterval: Int { shown.tickInterval }
    var pending: Session.PendingChange? { shown.pending }
    var showsComputing: Bool { shown.showsComputing }
    func frame(theme: Theme, width: Int, height: Int) -> Canvas {
        Screen.render(shown, theme: theme, width: width, height: height)
    }
    func action(for key: Key, width: Int, height: Int) -> Action? {
        TerminalApp.action(for: key, session: shown, width: width, height: height)
    }
}

/// The presenter's screen in the event loop: the session, and the room it publishes to.
struct PresentingScreen: ClassScreen {
    var presenter: PresenterSession
    let room: ClassRoom
    let log: FrameLog?

    var shown: Session { presenter.session }
    var wantsQuit: Bool { presenter.session.wantsQuit }
    @discardableResult mutating func receive() -> Bool { presenter.receive() }
    mutating func handle(_ action: Action) { presenter.handle(action) }

    /// Opens or closes the question as the screen asks, then takes the room's counts, and publishes the state when
    /// it changed (publishing returns at once).
    mutating func sync() {
        let first = presenter.outgoing()
        if let open = first.open { room.openQuestion(id: open.id, choices: open.choices) }
        if first.close { room.closeQuestion() }
        let status = room.status
        presenter.update(PresenterSession.Counts(joined: status.joined, question: status.question, answered: status.answered,
                                                 histogram: status.histogram, waitingFor: status.waitingFor))
        // The counts may change the state (the histogram of a question just revealed): the newest is sent.
        if let data = presenter.outgoing().publish ?? first.publish {
            log?.write("p\(presenter.session.position)")
            room.publish(state: data)
        }
    }
}

/// A student's screen in the event loop: the session, and the connection to the presenter's room.
struct FollowingScreen: ClassScreen {
    var follower: FollowerSession
    let connection: ClassFollower
    let log: FrameLog?
    /// The sequence number of the newest state taken.
    var seen: UInt64?
    /// Set when the class ended for this student.
    var outcome: ClassOutcome?
    /// Whether a new state arrived since the last frame (for the frame log).
    var fresh = false

    var shown: Session { follower.session }
    var wantsQuit: Bool { follower.session.wantsQuit || outcome != nil }
    @discardableResult mutating func receive() -> Bool { follower.receive() }
    mutating func handle(_ action: Action) { follower.handle(action) }

    /// Takes the newest state (validated: one the presenter should never send ends the class for this student),
    /// sends the student's answers, and notes whether the connection ended.
    mutating func sync() {
        if let (sequence, data) = connection.latest, sequence != seen {
            seen = sequence
            do {
                follower.receive(try ClassState.decode(data, for: follower.session, limit: ClassLimits.state))
                fresh = true
            } catch {
                outcome = .lost("the presenter sent a state this unroll refuses: \(error)")
            }
        }
        for a in follower.takeOutbox() { connection.answer(question: a.question, choice: a.choice) }
        switch connection.ended {
        case nil: break
        case .presenterEnded: outcome = outcome ?? .presenterEnded
        case .connectionLost(let why), .dropped(let why): outcome = outcome ?? .lost(ScenarioText.clean(why))
        }
    }

    /// Logs the frame drawn after a new state: the presenter's position.
    mutating func drawn() {
        guard fresh, let latest = follower.latest else { return }
        fresh = false
        log?.write("p\(latest.position)")
    }
}

/// A hidden measuring hook (`scripts/class_capacity.py`): with `UNROLL_CLASS_FRAME_LOG=FILE` set, a presenter
/// appends "TAG MONOTONIC_NS" when it publishes a state, and a follower when it has drawn the frame of a new state
/// (TAG is the presenter's timeline position, `p5`; the time is CLOCK_MONOTONIC, the same clock in every process).
final class FrameLog: @unchecked Sendable {
    /// The environment variable naming the log file.
    static let variable = "UNROLL_CLASS_FRAME_LOG"
    /// The file, opened for appending (used by the UI thread alone).
    private let file: UnsafeMutablePointer<FILE>

    private init(file: UnsafeMutablePointer<FILE>) { self.file = file }

    /// The log named by the environment, nil when the variable is unset or the file cannot be opened.
    static func fromEnvironment() -> FrameLog? {
        guard let path = getenv(variable), path.pointee != 0, let f = fopen(path, "a") else { return nil }
        return FrameLog(file: f)
    }

    /// Appends a line: the tag and the monotonic time now, in nanoseconds.
    func write(_ tag: String) {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        fputs("\(tag) \(Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec))\n", file)
        fflush(file)
    }

    deinit { fclose(file) }
}
