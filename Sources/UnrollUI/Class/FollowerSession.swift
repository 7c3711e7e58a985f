import UnrollLessons

/// A student's session in a class (`unroll join`): a ``Session`` driven by the presenter's ``ClassState``s while
/// following, explored locally once the student presses a key that changes what is shown, and following again at
/// once with `f` (``Action/followPresenter``).
///
/// At a question the presenter has asked (and not yet revealed), `1`–`4` answer it for the room: the choice is
/// queued in `outbox` for the network (one answer per question; the room keeps the first) and shown as the
/// student's own; it never reveals the answer, which comes with the presenter's state.
public struct FollowerSession: Sendable, EventHandling {
    /// The session on screen.
    public private(set) var session: Session
    /// Whether the screen follows the presenter.
    public private(set) var following = true
    /// The room's join code, as the status line shows it.
    public let code: String
    /// The presenter's name as the connection verified it (`ClassFollower.presenter`: the socket owner's account
    /// over Unix, a name marked "(claimed)" over TCP); nil: the name in the presenter's state, which is only a claim.
    public let presenter: String?
    /// The presenter's newest state, nil before the first.
    public private(set) var latest: ClassState?
    /// The student's answers: caption index → choice (0-based).
    public private(set) var own: [Int: Int] = [:]
    /// Answers to send to the room, oldest first (``takeOutbox()``).
    public private(set) var outbox: [(question: Int, choice: Int)] = []

    /// A follower of the room `code` on `session` (the lesson the presenter sent), whose presenter the connection
    /// verified as `presenter` (shown instead of the name the presenter's states claim).
    public init(_ session: Session, code: String, presenter: String? = nil) {
        self.session = session
        self.session.opensLessons = false
        self.code = code
        self.presenter = presenter
        board()
    }

    /// Applies an event: the presenter's state (validated for this session) is shown while following; an action
    /// as ``apply(_:)`` says; the answers given are returned to be sent (``Session/Effect/answer(question:choice:)``).
    public mutating func handle(_ event: Session.Event) -> [Session.Effect] {
        var effects: [Session.Effect]
        switch event {
        case .classState(let state):
            latest = state
            effects = following ? session.follow(state, own: own) : []
            board()
        case .action(let action): effects = apply(action)
        case .playTick: effects = apply(.tick)
        case .computingDue: effects = apply(.computingTimeout)
        case .labResult:
            effects = session.handle(event)
            // A presenter's input of another length (`i`) came with a position the old trace could not hold: once
            // that input's results are on screen, the position is the presenter's again.
            if following, let latest, session.results.lab.settings.input == latest.input,
                session.position != latest.position || session.selectedColumn != latest.column
            {
                session.align(position: latest.position, column: latest.column)
            }
        case .roomCounts, .resize, .notice: effects = session.handle(event)
        }
        return effects + takeOutbox().map { .answer(question: $0.question, choice: $0.choice) }
    }

    /// Takes the presenter's newest state headlessly: a model change is computed at once.
    public mutating func receive(_ state: ClassState) { atOnce(.classState(state)) }

    /// Applies an action headlessly: a model change is computed at once, answers wait in the outbox.
    public mutating func handle(_ action: Action) { atOnce(.action(action)) }

    /// Applies an event headlessly (``EventHandling/handleAtOnce(_:)``), the answers kept in the outbox.
    private mutating func atOnce(_ event: Session.Event) {
        for case .answer(let question, let choice) in handleAtOnce(event) { outbox.append((question, choice)) }
    }

    /// Applies an action: `f` follows again, `1`–`4` at the presenter's open question answer it, a key that only
    /// shows help, quits or keeps time leaves following as it is, and any other leaves following to explore.
    private mutating func apply(_ action: Action) -> [Session.Effect] {
        defer { board() }
        switch action {
        case .followPresenter:
            following = true
            if let latest { return session.follow(latest, own: own) }
            session.say("waiting for the presenter's first state")
        case .toggleHelp, .dismiss, .quit, .computingTimeout, .tick, .saveFigure, .openLessons, .toggleSeats, .dropSeat,
            .writeResults:
            return session.handle(.action(action))
        case .answer(let choice):
            // Not a question the presenter asks now: the student's own session answers (leaving following).
            guard let latest, latest.isOpen, let q = latest.question, session.lesson.captions.indices.contains(q),
                let question = session.lesson.captions[q].question
            else {
                fallthrough
            }
            if let taken = own[q] {
                session.say("you answered \(taken + 1): the presenter reveals the answer")
            } else if question.choices.indices.contains(choice) {
                own[q] = choice
                outbox.append((q, choice))
                session.say("your answer: \(choice + 1)) \(question.choices[choice]); the presenter reveals the answer")
            } else {
                session.say(
                    "this question has \(question.choices.count) choices: answer with 1–\(question.choices.count)")
            }
        default:
            following = false
            return session.handle(.action(action))
        }
        return []
    }

    /// The answers queued since the last call, for the room.
    public mutating func takeOutbox() -> [(question: Int, choice: Int)] {
        defer { outbox = [] }
        return outbox
    }

    /// Sets what the screen shows of the class: the status line, the student's own choice and, once revealed, the
    /// class's answers.
    private mutating func board() {
        let question = latest?.question
        let here = following && question != nil && session.questionHere?.index == question
        session.classBoard = ClassBoard(
            line: ClassBoard.followerLine(
                presenter: presenter ?? latest?.presenter ?? "the presenter", code: code, following: following),
            warns: !following,
            histogram: here ? latest?.histogram ?? [] : [],
            ownChoice: here && latest?.isOpen == true ? question.flatMap { own[$0] } : nil,
            asking: following
                ? ClassBoard.followerAsking : "answer with 1–4 (→ twice reveals unanswered); f follows the presenter")
    }
}
