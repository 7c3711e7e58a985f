import Foundation
import UnrollClass
import UnrollLessons
import UnrollUI

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How a follower's class ended, for the command's message and exit status.
public enum ClassOutcome: Sendable, Equatable {
    /// The student quit (`q`).
    case quit
    /// The presenter ended the class (exit 0).
    case presenterEnded
    /// The connection was lost, or the presenter sent what this unroll refuses (exit 1), with why.
    case lost(String)
    /// The room dropped this student (the presenter removed them, or they broke the protocol; exit 1), with why.
    case dropped(String)
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
    /// - Parameter results: where the answers are kept: written whenever a question is revealed, at `R` and when
    ///   the class ends (also on SIGTERM or SIGHUP).
    /// - Returns: every question's answers when the class ended.
    @discardableResult
    public static func present(
        _ lesson: Lesson, sent: ClassLesson, room options: RoomOptions, presenterName: String,
        opened: (JoinCode, String) -> Void, display: DisplaySettings = DisplaySettings(),
        results: ResultsFile? = nil
    ) throws -> [QuestionResult] {
        let worker = LabWorker(wake: TerminalSession.requestRedraw)
        defer { worker.stop() }
        var session = try Session(lesson: lesson, asksQuestions: true)
        if display.presenter { session.handle(.togglePresenter) }
        let room = try ClassRoom(options: options, lesson: sent.encoded(), wake: TerminalSession.requestRedraw)
        defer { room.close() }
        opened(room.code, room.address)
        let screen = PresenterSession(session, code: room.code.description, presenter: presenterName)
        // SIGTERM and SIGHUP end the loop like `q`: the room says goodbye and is removed, then the process dies by
        // the signal as it would have (docs/reliability.md, "Threat model").
        TerminalSignals.defersTermination.store(true, ordering: .releasing)
        defer { TerminalSignals.defersTermination.store(false, ordering: .releasing) }
        _ = try loop(
            screen, workers: [worker], link: RoomLink(room: room, log: FrameLog.fromEnvironment(), results: results),
            display: display)
        let final = room.results
        results?.update(final.map(\.asked))
        let signal = TerminalSignals.terminationRequested.load(ordering: .acquiring)
        if signal != 0 {
            room.close()
            worker.stop()
            TerminalSignals.reraise(signal, chain: false)
        }
        return final
    }

    /// Runs a class's follower (`unroll join`) on a joined room: follows the presenter's state, at the student's
    /// own size and theme, until the student quits or the class ends.
    /// - Parameter lesson: the lesson the room sent (``ClassLesson/lesson(from:limit:)``), already checked against
    ///   the memory limit: nothing of it is built before this.
    /// - Returns: how the class ended for this student.
    /// - Throws: `TerminalError` when the terminal cannot be used, `EngineError` when the lesson cannot run (all
    ///   before the terminal opens).
    public static func follow(
        _ connection: ClassFollower, lesson: Lesson, code: JoinCode,
        display: DisplaySettings = DisplaySettings()
    ) throws -> ClassOutcome {
        let worker = LabWorker(wake: TerminalSession.requestRedraw)
        defer { worker.stop() }
        let session = try Session(lesson: lesson, asksQuestions: true)
        var screen = FollowerSession(session, code: code.description, presenter: connection.presenter)
        let link = FollowerLink(connection: connection, log: FrameLog.fromEnvironment())
        // The state already there is taken before the terminal opens (a class that has ended is said at once).
        for event in link.incoming(for: screen.session) {
            for case .compute(let job) in screen.handle(event) {
                worker.submit(job.lab, previous: job.previous, generation: job.generation)
            }
        }
        if let end = link.outcome { return end }
        _ = try loop(screen, workers: [worker], link: link, display: display)
        connection.leave()
        return link.outcome ?? .quit
    }
}

/// A class's screen in the event loop (presenter or student): one ``Session`` on screen, held by what drives it;
/// what is read from the session alone is read here once for both.
protocol ClassScreen: SteppedScreen {
    /// The session on screen.
    var session: Session { get }
}

extension ClassScreen {
    var shown: Session { session }
    var wantsQuit: Bool { session.wantsQuit }
    /// A class keeps its lesson: the session in it opens no picker (``Session/opensLessons``).
    var wantsLesson: String? { nil }
    var playing: Bool { session.playing }
    var tickInterval: Int { session.tickInterval }
    var pending: Session.PendingChange? { session.pending }
    var showsComputing: Bool { session.showsComputing }
    var resultsShown: Int { session.resultsShown }
    func frame(theme: Theme, width: Int, height: Int) -> Canvas {
        Screen.render(session, theme: theme, width: width, height: height)
    }
    func action(for key: Key, width: Int, height: Int) -> Action? {
        TerminalApp.action(for: key, session: session, width: width, height: height)
    }
}

extension PresenterSession: ClassScreen {
    /// The session's screen, with the seat list over it while shown.
    func frame(theme: Theme, width: Int, height: Int) -> Canvas { render(theme: theme, width: width, height: height) }
}
extension FollowerSession: ClassScreen {}

/// What the event loop owns of a class: the presenter's room or a student's connection. It turns what the class
/// sent into events and carries out the class's effects; it is used on the loop's thread alone.
class ClassLink {
    /// Set when the class ended for this user (a follower's; a presenter's class ends when the presenter quits).
    var outcome: ClassOutcome? { nil }
    /// What the class brought since the last turn, as events for the session `shown`.
    func incoming(for shown: Session) -> [Session.Event] { [] }
    /// Carries out an effect that is the class's (publish, open, close, answer); `shown` is the session on screen.
    func perform(_ effect: Session.Effect, shown: Session) {}
    /// Called after each frame is drawn.
    func drawn() {}
}

/// The presenter's room in the event loop: its counts come in once per turn, the state and questions go out.
final class RoomLink: ClassLink {
    let room: ClassRoom
    let log: FrameLog?
    /// Where the answers go: at each reveal and at `R`.
    let results: ResultsFile?
    /// What `R` did, for the status line of the next turn.
    private var told: [String] = []

    /// The link to `room`, logging each publication to `log` when given.
    init(room: ClassRoom, log: FrameLog?, results: ResultsFile? = nil) {
        self.room = room
        self.log = log
        self.results = results
    }

    /// Set when a SIGTERM or SIGHUP asked the presenter to end the class.
    override var outcome: ClassOutcome? {
        TerminalSignals.terminationRequested.load(ordering: .acquiring) != 0 ? .quit : nil
    }

    /// The room's counts now: the presenter answers with what the room must do, encoding its state once a turn.
    /// The seat list is read only while the presenter shows it.
    override func incoming(for shown: Session) -> [Session.Event] {
        let status = room.status
        let seats =
            shown.classBoard?.seatsShown == true
            ? room.seats.map { PresenterSession.Seat(id: $0.id, address: $0.address, name: $0.name, joined: $0.joined) }
            : []
        defer { told.removeAll() }
        return told.map(Session.Event.notice) + [
            .roomCounts(
                PresenterSession.Counts(
                    joined: status.joined, question: status.question,
                    answered: status.answered, histogram: status.histogram,
                    waitingFor: status.waitingFor, seats: seats))
        ]
    }

    /// Opens or closes the question, or publishes the state (returning at once; the room's thread sends it).
    override func perform(_ effect: Session.Effect, shown: Session) {
        switch effect {
        case .openQuestion(let id, let choices): room.openQuestion(id: id, choices: choices)
        case .closeQuestion:
            room.closeQuestion()
            results?.update(room.results.map(\.asked))
        case .writeResults:
            told.append(
                results?.write(room.results.map(\.asked)) ?? "answers not saved: this class keeps no results")
        case .publish(let data):
            log?.write("p\(shown.position)")
            room.publish(state: data)
        case .dropSeat(let id): room.drop(seat: id)
        case .compute, .answer, .saveFigure: break
        }
    }
}

/// A student's connection to the presenter's room in the event loop.
final class FollowerLink: ClassLink {
    let connection: ClassFollower
    let log: FrameLog?
    /// The sequence number of the newest state taken.
    private var seen: UInt64?
    /// Set when the class ended for this student.
    private var ended: ClassOutcome?
    /// The presenter's position in a state that arrived since the last frame (for the frame log).
    private var fresh: Int?
    /// Whether the student was told the presenter is silent.
    private var toldSilent = false

    /// The link to `connection`, logging each frame of a new state to `log` when given.
    init(connection: ClassFollower, log: FrameLog?) {
        self.connection = connection
        self.log = log
    }

    override var outcome: ClassOutcome? { ended }

    /// The newest state, decoded and validated (one the presenter should never send ends the class for this
    /// student), and whether the connection ended.
    override func incoming(for shown: Session) -> [Session.Event] {
        var events: [Session.Event] = []
        if let (sequence, data) = connection.latest, sequence != seen {
            seen = sequence
            do {
                let state = try ClassState.decode(data, for: shown, limit: ClassLimits.state)
                events.append(.classState(state))
                fresh = state.position
            } catch {
                ended = .lost("the presenter sent a state this unroll refuses: \(error)")
            }
        }
        if let silence = connection.silence {
            toldSilent = true
            events.append(
                .notice("the presenter is silent (\(Int(silence / .seconds(1))) s): rejoining…"))
        } else if toldSilent {
            toldSilent = false
            events.append(.notice("the presenter is back"))
        }
        switch connection.ended {
        case nil: break
        case .presenterEnded: ended = ended ?? .presenterEnded
        case .connectionLost(let why): ended = ended ?? .lost(ScenarioText.clean(why))
        case .dropped(let why): ended = ended ?? .dropped(ScenarioText.clean(why))
        }
        return events
    }

    /// Sends the student's answer.
    override func perform(_ effect: Session.Effect, shown: Session) {
        if case .answer(let question, let choice) = effect { connection.answer(question: question, choice: choice) }
    }

    /// Logs the frame drawn after a new state: the presenter's position.
    override func drawn() {
        guard let position = fresh else { return }
        fresh = nil
        log?.write("p\(position)")
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

extension QuestionResult {
    /// This question's answers as ``ClassResults`` (the results file and the end-of-class summary) take them.
    public var asked: ClassResults.Asked { ClassResults.Asked(caption: question, histogram: histogram, named: named) }
}
