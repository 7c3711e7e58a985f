import Foundation
import UnrollLessons

/// A lecturer's session in a class (`unroll present`): a ``Session`` whose state is published to the room after
/// every change, which opens the room's question when the timeline reaches one and closes it when the lecturer
/// reveals it (the usual keys: `→` twice, or `1`–`4`), and whose status line shows the room's code and counts.
///
/// It does no I/O: ``outgoing()`` says what the room must do, the event loop does it.
public struct PresenterSession: Sendable, EventHandling {
    /// The session on screen.
    public private(set) var session: Session
    /// The room's join code.
    public let code: String
    /// The presenter's name, sent to the followers.
    public let presenter: String
    /// The room's counts, as last reported.
    public private(set) var counts = Counts()
    /// The question the room counts answers for, as last told (caption index), and whether it is open.
    private var told: (question: Int, open: Bool)?
    /// The state last published.
    private var published: Data?
    /// The seat list (`S`), nil while hidden: the seats as last reported and the row chosen.
    public private(set) var seatList: (seats: [Seat], chosen: Int)?

    /// A joined follower as the seat list shows it.
    public struct Seat: Sendable, Equatable {
        /// The room's number for it (what dropping it takes).
        public var id: Int
        /// Where from: "address A" over TCP, "uid N" over the Unix socket.
        public var address: String
        /// Its name: claimed over TCP (marked so), the verified account over Unix.
        public var name: String
        /// When it joined.
        public var joined: Date
        /// A seat; every parameter is the property of the same name.
        public init(id: Int, address: String, name: String, joined: Date) {
            self.id = id
            self.address = address
            self.name = name
            self.joined = joined
        }
    }

    /// What the room reports: followers, answers, the histogram (``update(_:)``).
    public struct Counts: Sendable, Equatable {
        /// Followers joined.
        public var joined = 0
        /// The question (caption index) answers are counted for, nil: none.
        public var question: Int?
        /// Answers to it.
        public var answered = 0
        /// Answers per choice.
        public var histogram: [Int] = []
        /// Names of the followers that have not answered (`--names`), sorted.
        public var waitingFor: [String] = []
        /// The seats, in the order they joined (read only while the seat list is shown).
        public var seats: [Seat] = []
        /// Counts.
        public init(
            joined: Int = 0, question: Int? = nil, answered: Int = 0, histogram: [Int] = [], waitingFor: [String] = [],
            seats: [Seat] = []
        ) {
            self.seats = seats
            self.joined = joined
            self.question = question
            self.answered = answered
            self.histogram = histogram
            self.waitingFor = waitingFor
        }
    }

    /// What the room must do after a change (``outgoing()``).
    public struct Outgoing: Sendable, Equatable {
        /// Open this question (caption index) with this many choices.
        public var open: (id: Int, choices: Int)?
        /// Close the open question (revealed).
        public var close = false
        /// Publish this state.
        public var publish: Data?
        /// Nothing to do.
        public init() {}

        /// Whether two say the same (tuples are not `Equatable`).
        public static func == (a: Outgoing, b: Outgoing) -> Bool {
            a.open?.id == b.open?.id && a.open?.choices == b.open?.choices && a.close == b.close
                && a.publish == b.publish
        }
    }

    /// The lecturer's session on `session`, for the room `code`, published as `presenter`.
    public init(_ session: Session, code: String, presenter: String) {
        self.session = session
        self.session.opensLessons = false
        self.code = code
        self.presenter = presenter
        board()
    }

    /// The state the followers are sent now.
    public var state: ClassState {
        let q = session.questionHere?.index
        return ClassState(
            session, presenter: presenter, histogram: q != nil && counts.question == q ? counts.histogram : [])
    }

    /// Applies an event. The room's counts, once per turn of the loop, are taken, and the state is returned to be
    /// published when its encoding changed: the only encoding of the turn. Any other event is the session's, and the
    /// question the timeline reached is returned to be opened, or the one just revealed to be closed, before the
    /// room's counts are read again.
    public mutating func handle(_ event: Session.Event) -> [Session.Effect] {
        if case .roomCounts(let counts) = event {
            update(counts)
            return publication().map { [.publish($0)] } ?? []
        }
        if case .action(.writeResults) = event { return [.writeResults] }
        if case .action(let action) = event, let handled = seatKey(action) { return handled }
        var effects = session.handle(event)
        board()
        let out = questions()
        if let open = out.open { effects.append(.openQuestion(id: open.id, choices: open.choices)) }
        if out.close { effects.append(.closeQuestion) }
        return effects
    }

    /// Applies an action headlessly, as in any session (``Session/handle(_:)-(Action)``).
    /// The question to open or close is left for ``outgoing()``.
    public mutating func handle(_ action: Action) {
        if seatKey(action) != nil { return }
        session.handle(action)
        board()
    }

    /// Takes the room's newest counts.
    public mutating func update(_ counts: Counts) {
        self.counts = counts
        if let list = seatList {
            // The same follower stays chosen while others come and go.
            let id = list.seats.indices.contains(list.chosen) ? list.seats[list.chosen].id : nil
            let chosen = counts.seats.firstIndex { $0.id == id } ?? min(list.chosen, max(0, counts.seats.count - 1))
            seatList = (counts.seats, chosen)
        }
        board()
    }

    /// The seat list's keys: `S` shows or hides it; while shown, ↑ ↓ (k j) choose, `d` drops the chosen follower,
    /// Esc or `q` closes it, and every other key does nothing. Nil: the key is the session's.
    private mutating func seatKey(_ action: Action) -> [Session.Effect]? {
        if action == .toggleSeats {
            seatList = seatList == nil ? (counts.seats, 0) : nil
            board()
            return []
        }
        guard var list = seatList else { return nil }
        defer { board() }
        switch action {
        case .selectUp: list.chosen = max(0, list.chosen - 1)
        case .selectDown: list.chosen = min(max(0, list.seats.count - 1), list.chosen + 1)
        case .dismiss, .quit:
            seatList = nil
            return []
        case .dropSeat:
            guard list.seats.indices.contains(list.chosen) else { return [] }
            let seat = list.seats[list.chosen]
            list.seats.remove(at: list.chosen)
            list.chosen = min(list.chosen, max(0, list.seats.count - 1))
            seatList = list
            session.say("dropped \(ClassBoard.name(seat.name)) (\(seat.address))")
            return [.dropSeat(id: seat.id)]
        default: return []
        }
        seatList = list
        return []
    }

    /// What the room must do to match the screen: open the question reached, close the one revealed, publish the
    /// state when it changed since the last call (the lab's model only once computed: followers compute it themselves).
    public mutating func outgoing() -> Outgoing {
        var out = questions()
        out.publish = publication()
        return out
    }

    /// The question to open or close, now that the timeline has moved (cheap: nothing is encoded).
    private mutating func questions() -> Outgoing {
        var out = Outgoing()
        if let (i, q) = session.questionHere {
            let open = session.answers[i] == nil
            if open && (told?.question != i || told?.open != true) { out.open = (i, q.choices.count) }
            if !open && told?.question == i && told?.open == true { out.close = true }
            if out.open != nil || out.close || told?.question != i { told = (i, open) }
        } else if told?.open == true {
            out.close = true
            told?.open = false
        }
        return out
    }

    /// The state's encoding when it changed since the last publication, else nil.
    /// - Complexity: one JSON encoding of the state.
    private mutating func publication() -> Data? {
        let data = state.encoded()
        guard data != published else { return nil }
        published = data
        return data
    }
    /// Sets the status line's class part and, at a revealed question, the class's histogram.
    private mutating func board() {
        let here = session.questionHere
        let counted = here != nil && counts.question == here?.index
        let asking = counted && here.map { session.answers[$0.index] == nil } == true
        session.classBoard = ClassBoard(
            line: ClassBoard.presenterLine(
                code: code, joined: counts.joined, answered: counted ? counts.answered : nil,
                waitingFor: asking ? counts.waitingFor : []),
            histogram: counted && !asking ? counts.histogram : [], seatsShown: seatList != nil)
    }

    /// The screen: the session's, with the seat list over it while shown.
    public func render(theme: Theme, width: Int, height: Int) -> Canvas {
        var canvas = Screen.render(session, theme: theme, width: width, height: height)
        if let list = seatList { SeatListView.render(list.seats, chosen: list.chosen, theme: theme, into: &canvas) }
        return canvas
    }
}
