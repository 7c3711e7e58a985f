import Foundation
import UnrollEngine
import UnrollLessons

/// Everything a class's follower needs to show what the presenter shows (`unroll present`, `unroll join`):
/// the lesson's name, the model as it is now (``LabSettings``), the timeline position, the selection, the view
/// toggles and the question asked or revealed, with the class's answers once revealed.
///
/// The caption is not sent: it follows from the position. The state travels as JSON (a few hundred bytes) and is
/// decoded as hostile input: ``decode(_:for:)`` checks every field against the follower's own session of the same
/// lesson, and refuses anything out of range with a message instead of trapping.
@dynamicMemberLookup
public struct ClassState: Sendable, Equatable {
    /// The schema version this build writes and reads.
    public static let currentVersion = 2
    /// The largest W_hh scale accepted (`]` pressed 145 times); its inverse is the smallest.
    public static let scaleLimit = 1e6
    /// The longest presenter name shown; longer ones are cut.
    public static let nameLimit = 32
    /// The largest count of answers accepted for one choice.
    public static let countLimit = 1_000_000

    /// The schema version (``currentVersion``).
    public var version: Int
    /// The lesson's name (the reference: a follower checks it against the lesson it was sent).
    public var lesson: String
    /// The presenter's user name, as the followers' status line shows it.
    public var presenter: String
    /// The cell (`rnn`, `lstm`, `gru`), as sent: a name this unroll does not know is refused by ``validate(for:)``.
    public var cell: String
    /// Skip connection length, or nil.
    public var skip: Int?
    /// The seed of the initial weights.
    public var seed: UInt64
    /// The W_hh scale relative to the initialisation.
    public var scale: Double
    /// The extra clipping at global norm 1.
    public var clipping: Bool
    /// The skip comparison in the gradient panel.
    public var comparesSkip: Bool
    /// The gradient panel's loss.
    public var gradient: GradientMode
    /// The initial weights instead of the trained ones (`w`).
    public var untrained: Bool
    /// The input read: 0 the lesson's sentence, k its held-out input k (`i`).
    public var input: Int
    /// The position, selection and view toggles: the presenter's ``Session/view`` as it is (read and written as
    /// `state.position`, `state.layer`, … through ``subscript(dynamicMember:)``).
    public var view: Session.View
    /// The caption (index into the lesson's captions) whose question is asked here, nil: none.
    public var question: Int?
    /// The questions revealed so far (caption indices), the one asked here included once revealed.
    public var revealed: [Int]
    /// The class's answers per choice of `question` once revealed; empty otherwise.
    public var histogram: [Int]

    /// The state `session` shows, published by `presenter`, with the class's `histogram` of the question asked
    /// (sent only once it is revealed).
    public init(_ session: Session, presenter: String, histogram: [Int] = []) {
        version = Self.currentVersion
        lesson = session.lesson.name
        self.presenter = String(ScenarioText.clean(presenter).prefix(Self.nameLimit))
        let s = session.lab.settings
        cell = s.cell.rawValue
        skip = s.skip
        seed = s.seed
        scale = s.recurrentScale
        clipping = s.clipping
        comparesSkip = s.comparesSkip
        gradient = s.gradient
        untrained = s.untrained
        input = s.input
        view = session.view
        question = session.questionHere?.index
        revealed = session.answers.keys.sorted()
        let isRevealed = question.map { session.answers[$0] != nil } ?? false
        self.histogram = isRevealed ? histogram : []
    }

    /// A field of the view (`state.position`, `state.layer`, `state.unit`, …).
    public subscript<T>(dynamicMember field: WritableKeyPath<Session.View, T>) -> T {
        get { view[keyPath: field] }
        set { view[keyPath: field] = newValue }
    }

    /// Whether the question asked here is still open (asked and not revealed).
    public var isOpen: Bool { question.map { !revealed.contains($0) } ?? false }

    /// The live settings the state describes, on top of `lesson`'s own.
    public func settings(for lesson: Lesson) -> LabSettings {
        var s = LabSettings(lesson: lesson)
        s.cell = CellKind(rawValue: cell) ?? s.cell
        s.skip = skip
        s.seed = seed
        s.recurrentScale = scale
        s.clipping = clipping
        s.comparesSkip = comparesSkip
        s.gradient = gradient
        s.untrained = untrained
        s.input = input
        return s
    }

    /// The state as sent: compact JSON.
    public func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(self)) ?? Data()
    }

    /// Decodes and validates a state received for `session` (a follower's session on the lesson the presenter sent).
    ///
    /// Every field is checked: the version, the lesson's name, the cell, the seed (≤ 2^63), the scale (finite,
    /// 1e−6 … 1e6), the skip and the gradient's column (within the lesson's steps), the position, layer, column and
    /// unit, the question and the revealed ones (captions with a question), the histogram (one count per choice),
    /// and last the model as a whole (``Lab/problems``, e.g. a skip the model cannot take).
    /// - Parameter limit: the largest size accepted, in bytes.
    /// - Throws: ``ClassStateError`` with the first problem found.
    /// - Complexity: linear in the data.
    public static func decode(_ data: Data, for session: Session, limit: Int) throws(ClassStateError) -> ClassState {
        guard data.count <= limit else {
            throw ClassStateError("a state of \(data.count) bytes, over the limit of \(limit)")
        }
        let state: ClassState
        do {
            state = try JSONDecoder().decode(ClassState.self, from: data)
        } catch {
            throw ClassStateError("not a class state (\(Self.describe(error)))")
        }
        try state.validate(for: session)
        return state
    }

    /// Checks every field against `session` (see ``decode(_:for:limit:)``).
    /// - Throws: ``ClassStateError`` with the first problem found.
    public func validate(for session: Session) throws(ClassStateError) {
        func check(_ ok: Bool, _ message: @autoclosure () -> String) throws(ClassStateError) {
            if !ok { throw ClassStateError(message()) }
        }
        let lesson = session.lesson, captions = lesson.captions
        try check(
            version == Self.currentVersion,
            "schema version \(version), this unroll reads version \(Self.currentVersion): use the same unroll as the presenter"
        )
        try check(
            self.lesson == lesson.name,
            "the state is for lesson '\(ScenarioText.clean(String(self.lesson.prefix(40))))', not '\(lesson.name)'")
        try check(
            presenter.count <= Self.nameLimit,
            "a presenter name of \(presenter.count) characters (at most \(Self.nameLimit))")
        try check(CellKind(rawValue: cell) != nil, "unknown cell '\(ScenarioText.clean(String(cell.prefix(20))))'")
        try check(seed <= 1 << 63, "seed \(seed) is above 2^63")
        try check(
            (0...lesson.heldOut.count).contains(input),
            "input \(input) is not one of the lesson's \(lesson.heldOut.count + 1) inputs")
        try check(!untrained || lesson.weights != nil, "the lesson has no trained weights to set aside")
        // The steps of the input the state shows, which may not be the one on the follower's screen yet.
        let columns = input == session.input ? session.columns : lesson.input(input).stepCount
        try check(
            scale.isFinite && scale >= 1 / Self.scaleLimit && scale <= Self.scaleLimit,
            "W_hh scale \(scale) is outside 1e-6 … 1e6")
        if let skip { try check(skip >= 1 && skip < columns, "skip \(skip) is outside 1 … \(columns - 1)") }
        if case .step(let c) = gradient {
            try check((0..<columns).contains(c), "gradient column \(c) is outside the lesson's \(columns) steps")
        }
        let (position, layer) = (view.position, view.layer)
        try check(
            (0..<2 * columns).contains(position), "position \(position) is beyond the lesson's \(2 * columns) positions"
        )
        try check(
            session.trace.layers.indices.contains(layer),
            "layer \(layer) is not one of the lesson's \(session.trace.layers.count)")
        if let column = view.column {
            try check((0..<columns).contains(column), "column \(column) is beyond the lesson's \(columns) steps")
        }
        let units = session.trace.layers.map(\.hiddenSize).max() ?? 0
        if let unit = view.unit { try check((0..<units).contains(unit), "unit \(unit) is beyond the model's \(units)") }
        try check(
            revealed.count <= captions.count && Set(revealed).count == revealed.count, "the revealed questions repeat")
        for i in revealed + (question.map { [$0] } ?? []) {
            try check(captions.indices.contains(i) && captions[i].question != nil, "caption \(i) has no question")
        }
        if histogram.isEmpty { return try checkModel(session) }
        guard let question, revealed.contains(question), let q = captions[question].question else {
            throw ClassStateError("a histogram without a revealed question")
        }
        try check(
            histogram.count == q.choices.count,
            "a histogram of \(histogram.count) counts for \(q.choices.count) choices")
        try check(
            histogram.allSatisfy { (0...Self.countLimit).contains($0) },
            "a histogram count outside 0 … \(Self.countLimit)")
        try checkModel(session)
    }

    /// The model the settings describe must be one the lesson can run.
    private func checkModel(_ session: Session) throws(ClassStateError) {
        var lab = Lab(lesson: session.lesson)
        lab.settings = settings(for: session.lesson)
        let problems = lab.problems
        if !problems.isEmpty {
            throw ClassStateError("the presenter's model cannot run: " + problems.joined(separator: "; "))
        }
    }

    /// A decoding error in one short line.
    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c),
            DecodingError.dataCorrupted(let c):
            let path = c.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "invalid JSON" : "bad field '\(path)'"
        default: return "invalid JSON"
        }
    }
}

/// Why a class state or lesson received from the presenter was refused: one line.
public struct ClassStateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// An error saying `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
