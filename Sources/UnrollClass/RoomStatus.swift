import Foundation

/// What the presenter's screen shows about the class.
public struct RoomStatus: Sendable, Equatable {
    /// Followers connected now.
    public var joined: Int
    /// The question answers are counted for (open or just closed), nil: none yet.
    public var question: Int?
    /// Whether that question still takes answers.
    public var isOpen: Bool
    /// How many of the joined followers answered it (at most `joined`; a follower that left after answering still
    /// counts in `histogram`, not here).
    public var answered: Int
    /// Answers per choice (count = the question's choices); empty when no question.
    public var histogram: [Int]
    /// User names of joined followers that have not answered the question (only with RoomOptions.names; sorted).
    public var waitingFor: [String]

    /// A status; every parameter is the property of the same name.
    public init(
        joined: Int = 0, question: Int? = nil, isOpen: Bool = false, answered: Int = 0, histogram: [Int] = [],
        waitingFor: [String] = []
    ) {
        self.joined = joined
        self.question = question
        self.isOpen = isOpen
        self.answered = answered
        self.histogram = histogram
        self.waitingFor = waitingFor
    }
}

/// A joined follower as the presenter's seat list shows it (`ClassRoom.seats`).
public struct SeatInfo: Sendable, Equatable {
    /// The connection's number in this room (what `ClassRoom.drop(seat:)` takes).
    public var id: Int
    /// Where it comes from: "address A" over TCP (the numeric address), "uid N" over the Unix socket.
    public var address: String
    /// Its name: over TCP the one it claims, sanitised and marked "(claimed)"; over Unix the verified account.
    public var name: String
    /// When it joined (wall clock).
    public var joined: Date

    /// A seat; every parameter is the property of the same name.
    public init(id: Int, address: String, name: String, joined: Date) {
        self.id = id
        self.address = address
        self.name = name
        self.joined = joined
    }
}

/// One question's answers as the room counted them (`ClassRoom.results`).
public struct QuestionResult: Sendable, Equatable {
    /// The question's id (the caption's index).
    public var question: Int
    /// Answers per choice.
    public var histogram: [Int]
    /// With RoomOptions.names: each answering student's name and 0-based choice, sorted by name; else empty.
    public var named: [(name: String, choice: Int)]

    public static func == (a: QuestionResult, b: QuestionResult) -> Bool {
        a.question == b.question && a.histogram == b.histogram
            && a.named.map(\.name) == b.named.map(\.name) && a.named.map(\.choice) == b.named.map(\.choice)
    }
}

/// The room's state shared between the presenter's thread and the room's thread (in a `Monitor`).
struct RoomShared {
    /// The newest state's sequence number (0: none yet) and bytes.
    var sequence: UInt64 = 0
    var state = [UInt8]()
    /// The question answers are counted for, and whether it is open.
    var question: Int?
    var isOpen = false
    /// Choices per question id.
    var choices: [Int: Int] = [:]
    /// Answers per question id: seat → choice.
    var answers: [Int: [String: Int]] = [:]
    /// Joined followers: connection id → user name ("" without RoomOptions.names).
    var joined: [Int: String] = [:]
    /// Joined followers' seats: connection id → "uid N" over Unix (one seat per user, however many connections),
    /// "address A #ID" over TCP (one per connection).
    var seats: [Int: String] = [:]
    /// The name of every seat that ever joined ("" without RoomOptions.names), kept after it leaves, for `results`.
    var seatNames: [String: String] = [:]
    /// Every joined connection for the seat list: connection id → seat.
    var seatList: [Int: SeatInfo] = [:]
    /// Connections the presenter dropped, for the room's thread to close (with a notice).
    var drops: Set<Int> = []
    /// Set by close(); the room's thread then says goodbye and ends.
    var closing = false
    /// Set by the room's thread when it has closed everything.
    var finished = false
    /// The room's thread, so that close() called from it (from `wake`) does not wait for itself.
    var thread: pthread_t?

    /// Every question opened so far, by id, with its answers.
    var results: [QuestionResult] {
        choices.keys.sorted().map { question in
            let given = answers[question] ?? [:]
            var histogram = [Int](repeating: 0, count: choices[question] ?? 0)
            for choice in given.values where histogram.indices.contains(choice) { histogram[choice] += 1 }
            let named = given.compactMap { seat, choice in
                seatNames[seat].flatMap { $0.isEmpty ? nil : (name: $0, choice: choice) }
            }.sorted { $0.name < $1.name }
            return QuestionResult(question: question, histogram: histogram, named: named)
        }
    }

    /// The status the presenter sees.
    var status: RoomStatus {
        let present = Set(seats.values)
        guard let question else { return RoomStatus(joined: present.count) }
        let given = answers[question] ?? [:]
        var histogram = [Int](repeating: 0, count: choices[question] ?? 0)
        for choice in given.values where histogram.indices.contains(choice) { histogram[choice] += 1 }
        // A seat's name: its first connection's (one per seat).
        var names: [String: String] = [:]
        for (id, seat) in seats.sorted(by: { $0.key < $1.key }) where names[seat] == nil {
            names[seat] = joined[id] ?? ""
        }
        let waiting = names.filter { given[$0.key] == nil && !$0.value.isEmpty }.map(\.value).sorted()
        let answered = given.keys.filter { present.contains($0) }.count
        return RoomStatus(
            joined: present.count, question: question, isOpen: isOpen, answered: answered,
            histogram: histogram, waitingFor: waiting)
    }
}

#if canImport(Glibc)
    import Glibc
#endif
