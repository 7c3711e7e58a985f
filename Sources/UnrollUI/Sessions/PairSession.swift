import UnrollEngine
import UnrollLessons

/// Two models stepped in lockstep (`unroll lesson NAME --versus SPEC`): two ``Session``s, each over its own
/// ``Lab`` (and its own ``LabWorker`` in the interactive view), sharing one timeline position.
///
/// The first session leads: every action goes to it, its caption, notice, inspector and equations are the
/// ones on screen. The second follows: it receives the model and layer keys too (so `c`, `[`, `]`, `x`, `s`,
/// `r`, `0`… act on both), and after every action its position and selected column are moved to the first's.
public struct PairSession: Sendable, EventHandling {
    /// The model on top, whose inspector and equations are shown.
    public private(set) var first: Session
    /// The model below it.
    public private(set) var second: Session

    /// A pair over two sessions on the same number of columns.
    /// - Throws: ``VersusSpecError`` when the columns differ (the timelines could not be stepped together).
    public init(_ first: Session, _ second: Session) throws {
        guard first.columns == second.columns else {
            throw VersusSpecError(
                message: "'\(first.lesson.name)' has \(first.columns) steps and '\(second.lesson.name)' "
                    + "\(second.columns): models side by side must have the same number of steps")
        }
        self.first = first
        self.second = second
        self.first.opensLessons = false
        self.second.opensLessons = false
        follow()
    }

    /// The two models' names on screen: cell, then the activation of an Elman cell and the skip length,
    /// e.g. "RNN tanh", "RNN sigmoid", "LSTM skip 3"; the lessons' names when the two read the same.
    public var labels: [String] {
        let l = [Self.label(first.current), Self.label(second.current)]
        return l[0] == l[1] ? [first.lesson.name, second.lesson.name] : l
    }

    /// A model's short name: "RNN tanh", "RNN relu", "GRU skip 3".
    public static func label(_ lesson: Lesson) -> String {
        var s = Session.name(of: lesson.cell)
        if lesson.cell == .rnn { s += " " + lesson.architecture.activation.rawValue }
        if let k = lesson.skip { s += " skip \(k)" }
        return s
    }

    /// Whether a second model's change is still computing, when the first's is not.
    public var pending: Session.PendingChange? { first.pending ?? second.pending }
    /// Whether every change still computing has been on screen long enough to say so.
    public var showsComputing: Bool {
        (first.pending == nil || first.showsComputing) && (second.pending == nil || second.showsComputing)
    }
    /// Whether the timeline advances on its own.
    public var playing: Bool { first.playing }
    /// Milliseconds between steps while playing.
    public var tickInterval: Int { first.tickInterval }
    /// Set by `.quit`.
    public var wantsQuit: Bool { first.wantsQuit }

    /// Applies an event: an action to the first model, a model change, selection or view toggle to both, the
    /// second following the first's position; each model's lab results to that model.
    public mutating func handle(_ event: Session.Event) -> [Session.Effect] {
        switch event {
        case .action(let action):
            var effects = first.handle(.action(action))
            switch action {
            case .cycleCell, .toggleSkip, .scaleUp, .scaleDown, .toggleClip, .toggleSkipComparison, .cycleGradient,
                .reseed, .toggleWeights, .nextInput,
                .restore, .computingTimeout, .selectUp, .selectDown, .toggleRolled:
                effects += second.handle(.action(action)).map { effect in
                    guard case .compute(var job) = effect else { return effect }
                    job.model = 1
                    return .compute(job)
                }
            default: break
            }
            follow()
            return effects
        case .labResult(let outcome, let model):
            if model == 0 {
                first.receive(outcome)
            } else if second.receive(outcome) {
                follow()
            }
            return []
        case .playTick: return handle(.action(.tick))
        case .computingDue: return handle(.action(.computingTimeout))
        case .notice: return first.handle(event)
        case .classState, .roomCounts, .resize: return []
        }
    }

    /// Applies an action headlessly: model changes computed at once (``EventHandling/handleAtOnce(_:)``).
    public mutating func handle(_ action: Action) { handleAtOnce(.action(action)) }

    /// Moves the second session to the first's position and inspected column.
    private mutating func follow() {
        second.align(position: first.position, column: first.selectedColumn)
    }
}
