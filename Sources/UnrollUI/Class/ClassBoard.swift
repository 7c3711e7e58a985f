import UnrollLessons

/// What the screen shows of a class (`unroll present`, `unroll join`): the status line's class part, and at a
/// question the student's own choice or the class's answers.
public struct ClassBoard: Sendable, Equatable {
    /// The status line's class part: "class K7QD-7Q4K-M2XD · 12 joined · 9/12 answered", "following alice · room K7QD-7Q4K-M2XD".
    public var line: String
    /// Whether the line is a warning (a follower exploring on their own).
    public var warns: Bool
    /// The class's answers per choice to the question here, once revealed; empty otherwise.
    public var histogram: [Int]
    /// The follower's own choice (0-based) for the open question here, nil: none (or the presenter's screen).
    public var ownChoice: Int?
    /// What the status line says at an open question, instead of the step-through's words.
    public var asking: String
    /// Whether the presenter's seat list is shown (the room's seats are then read each turn).
    public var seatsShown: Bool

    /// A board.
    public init(
        line: String, warns: Bool = false, histogram: [Int] = [], ownChoice: Int? = nil,
        asking: String = "the class answers with 1–4; → twice reveals, answered or not", seatsShown: Bool = false
    ) {
        self.seatsShown = seatsShown
        self.line = line
        self.warns = warns
        self.histogram = histogram
        self.ownChoice = ownChoice
        self.asking = asking
    }

    /// A following student's words at an open question.
    public static let followerAsking = "answer with 1–4; the presenter reveals the answer"

    /// The presenter's line: "class K7QD-7Q4K-M2XD · 12 joined", with "· 9/12 answered" while a question is asked and,
    /// with names, "· waiting for: alice, bob" (the status line cuts it with … to fit).
    public static func presenterLine(code: String, joined: Int, answered: Int?, waitingFor: [String]) -> String {
        var line = "class \(code) · \(joined) joined"
        if let answered { line += " · \(answered)/\(joined) answered" }
        guard !waitingFor.isEmpty else { return line }
        return line + " · waiting for: " + waitingFor.map { name($0) }.joined(separator: ", ")
    }

    /// A follower's line: "following alice · room K7QD-7Q4K-M2XD", or "exploring on your own — f follows again".
    public static func followerLine(presenter: String, code: String, following: Bool) -> String {
        following ? "following \(name(presenter)) · room \(code)" : "exploring on your own — f follows again"
    }

    /// The histogram's bar for `count` of `total` answers: its share of `width` cells, rounded, at least one for a count above 0.
    static func bar(_ count: Int, of total: Int, width: Int) -> String {
        guard total > 0, count > 0, width > 0 else { return "" }
        return String(repeating: "█", count: max(1, (count * width + total / 2) / total))
    }

    /// A name from the network as the screen shows it: cleaned as scenario text is, at most 32 characters.
    static func name(_ text: String) -> String { String(ScenarioText.clean(text).prefix(32)) }
}
