import UnrollEngine
import UnrollLessons

/// The training view's state: the latest snapshot from the trainer, what the user asked of it,
/// and what the view shows (which model's example, which step, help).
///
/// A value type like ``Session``: the loop feeds it snapshots and actions and hands
/// ``control`` back to the trainer.
public struct TrainingBoard: Sendable {
    /// The latest snapshot.
    public private(set) var snapshot: TrainingSnapshot
    /// What the trainer should do next.
    public private(set) var control: TrainingControl
    /// The run whose example and gradients are shown.
    public private(set) var selectedRun = 0
    /// The example's inspected column, or nil for its last step.
    public private(set) var exampleColumn: Int?
    /// Whether the help overlay is open.
    public private(set) var showingHelp = false
    /// A one-line notice about the last change, or nil.
    public private(set) var notice: String?
    /// Set by `.quit`.
    public private(set) var wantsQuit = false
    /// The prime being typed (`i`), or the text the step-through will read (`o`); nil when neither is.
    public private(set) var primeDraft: String?
    /// Whether `primeDraft` is the text the step-through reads (`o`), not the prime of the samples (`i`).
    public private(set) var draftOpensStepThrough = false
    /// The step-through asked for by Enter after `o`, until ``handle(_:)-(Event)`` hands it to the loop.
    private var stepThroughAsked: String?

    /// The sample temperatures `{` and `}` move between; 0 takes the most likely character.
    public static let temperatures: [Double] = [0, 0.2, 0.5, 0.8, 1, 1.2, 1.5, 2]
    /// The longest prime, in characters.
    public static let primeLimit = 40

    /// The learning rates `[` and `]` move between: 1, 2, 5 in every decade from 1e-5 to 10.
    public static let learningRates: [Double] = (-5...1).flatMap { e in
        [1.0, 2, 5].map { $0 * Double.pow(10, Double(e)) }
    }
    /// The clipping settings `x` cycles through.
    public static let clippings: [Clipping] = [.none, .norm(10), .norm(1), .norm(0.1), .value(0.1)]

    /// A board on a first snapshot, with the trainer's initial control.
    public init(snapshot: TrainingSnapshot, control: TrainingControl) {
        self.snapshot = snapshot
        self.control = control
    }

    /// Takes a newer snapshot from the trainer.
    public mutating func update(_ next: TrainingSnapshot) {
        // A notice about the state ("training", "paused") gives way when the state itself changes.
        if next.state != snapshot.state && (notice == "training" || notice == "paused" || notice == "one iteration") {
            notice = nil
        }
        snapshot = next
        selectedRun = min(selectedRun, max(0, next.runs.count - 1))
    }

    /// What the graph draws of the shown run's example: fully revealed (the backward phase at its first step),
    /// the top forward layer selected, the inspected step in view. No ``Session`` is made for it.
    public var example: RevealedTrace? {
        guard snapshot.runs.indices.contains(selectedRun), let e = snapshot.runs[selectedRun].example else {
            return nil
        }
        let trace = e.trace, columns = trace.columns
        // The last position of the timeline: the backward phase at its first step.
        let position = max(0, 2 * columns - 1)
        let reveal = Reveal(
            phase: position < columns ? .forward : .backward,
            step: position < columns ? position : 2 * columns - 1 - position, hasGradients: trace.hasGradients)
        let column = exampleColumn ?? (columns - 1)
        return RevealedTrace(
            trace: trace, inputLabels: e.run.inputLabels, targetLabels: e.run.targetLabels,
            fedLabels: e.run.fedLabels(trace), reveal: reveal,
            selectedLayer: trace.layers.indices.last { !trace.layers[$0].reverse } ?? 0,
            inspectedColumn: (0..<columns).contains(column) ? column : reveal.step, selectedUnit: nil,
            outputWords: e.run.vocabulary)
    }

    /// What comes into the training view: a key's action, or the trainer's newest snapshot.
    public enum Event: Sendable {
        /// A key's action.
        case action(TrainingAction)
        /// The trainer's newest snapshot.
        case snapshot(TrainingSnapshot)
        /// The loop is back from the step-through ``Effect/stepThrough(run:text:)`` opened; `notice` says how it went.
        case steppedThrough(notice: String)
    }

    /// What the training view asks its loop to do.
    public enum Effect: Sendable {
        /// Hand this control to the trainer (``TrainingWorker/apply(_:)``).
        case control(TrainingControl)
        /// Open the step-through on run `run`'s current weights reading `text` (`o`, then Enter): the loop pauses
        /// the trainer, takes the weights once it has stopped between two iterations, runs the step-through until
        /// its `q`, then hands the trainer this board's control again (running or paused as it was).
        case stepThrough(run: Int, text: String)
    }

    /// Applies an event (the reducer's shape, as ``Session``'s): a snapshot is taken; an action is applied and the
    /// control it leaves is returned for the trainer.
    public mutating func handle(_ event: Event) -> [Effect] {
        switch event {
        case .snapshot(let next):
            update(next)
            return []
        case .steppedThrough(let said):
            notice = said
            return []
        case .action(let action):
            handle(action)
            defer { stepThroughAsked = nil }
            return [.control(control)] + (stepThroughAsked.map { [.stepThrough(run: selectedRun, text: $0)] } ?? [])
        }
    }

    /// Applies an action.
    public mutating func handle(_ action: TrainingAction) {
        notice = nil
        switch action {
        case .togglePause:
            if snapshot.state == .finished {
                notice = "training is finished: r starts again"
                return
            }
            control.paused.toggle()
            notice = control.paused ? "paused" : "training"
        case .stepOnce:
            control.paused = true
            control.stepRequests += 1
            notice = "one iteration"
        case .learningRateUp: moveLearningRate(up: true)
        case .learningRateDown: moveLearningRate(up: false)
        case .cycleClipping:
            let i = Self.clippings.firstIndex(of: control.clipping) ?? 0
            control.clipping = Self.clippings[(i + 1) % Self.clippings.count]
            notice = "clipping: " + Self.describe(control.clipping)
        case .nextRun:
            guard snapshot.runs.count > 1 else {
                notice = "one model only"
                return
            }
            selectedRun = (selectedRun + 1) % snapshot.runs.count
            notice = "showing " + snapshot.runs[selectedRun].label
        case .exampleLeft, .exampleRight:
            guard let s = snapshot.runs.indices.contains(selectedRun) ? snapshot.runs[selectedRun].example : nil else {
                return
            }
            let now = exampleColumn ?? (s.trace.columns - 1)
            exampleColumn = max(0, min(s.trace.columns - 1, now + (action == .exampleLeft ? -1 : 1)))
        case .restart:
            // Restarted paused, whatever the state was: the lecturer says what is about to happen, then space.
            control.restarts += 1
            control.paused = true
            notice = "restarted from fresh weights, paused: space trains"
        case .slower, .faster:
            // The speeds in order, nil (no limit) last.
            let speeds = Self.speeds
            let i = speeds.firstIndex(of: control.iterationsPerSecond) ?? speeds.count - 1
            let j = max(0, min(speeds.count - 1, i + (action == .faster ? 1 : -1)))
            control.iterationsPerSecond = speeds[j]
            notice = "training speed: " + Self.describe(speed: speeds[j])
        case .temperatureUp, .temperatureDown:
            guard writesSamples() else { return }
            let t = control.temperature
            let next =
                action == .temperatureUp
                ? Self.temperatures.first { $0 > t + 1e-9 } : Self.temperatures.last { $0 < t - 1e-9 }
            guard let next else {
                notice = "temperature \(Format.number(t)) is the " + (action == .temperatureUp ? "highest" : "lowest")
                return
            }
            control.temperature = next
            notice = "sample temperature \(Self.describe(temperature: next))"
        case .editPrime:
            guard writesSamples() else { return }
            primeDraft = control.prime
            draftOpensStepThrough = false
        case .openStepThrough:
            guard snapshot.vocabulary != nil else {
                notice = "the step-through of a typed text needs a character model (training: {task: characters})"
                return
            }
            // The prime is the text offered: Enter alone steps through it.
            primeDraft = control.prime
            draftOpensStepThrough = true
        case .primeCharacter(let c):
            guard var draft = primeDraft else { return }
            guard snapshot.vocabulary?.contains(c) == true else {
                notice = "\(Self.shown(c)) is not a character of the text: refused"
                return
            }
            guard draft.count < Self.primeLimit else {
                notice = "a prime has at most \(Self.primeLimit) characters"
                return
            }
            draft.append(c)
            primeDraft = draft
        case .primeBackspace:
            if primeDraft?.isEmpty == false { primeDraft?.removeLast() }
        case .primeAccept:
            guard let draft = primeDraft else { return }
            if draftOpensStepThrough {
                guard draft.count >= 2 else {
                    notice = "type at least 2 characters: each step reads one and predicts the next"
                    return
                }
                primeDraft = nil
                stepThroughAsked = draft
                return
            }
            primeDraft = nil
            control.prime = draft
            notice = draft.isEmpty ? "no prime: samples start from a space" : "samples start from the prime"
        case .primeCancel:
            guard primeDraft != nil else { return }
            primeDraft = nil
            notice = draftOpensStepThrough ? "step-through not opened" : "prime unchanged"
        case .toggleHelp: showingHelp.toggle()
        case .dismiss: showingHelp = false
        case .quit: wantsQuit = true
        }
    }

    /// Whether the task writes samples (characters); if not, a notice says so.
    private mutating func writesSamples() -> Bool {
        guard snapshot.vocabulary != nil else {
            notice = "samples are written by character models only (training: {task: characters})"
            return false
        }
        return true
    }

    /// A typed character as a notice shows it: in quotes, or its code point when it is a control or space.
    static func shown(_ c: Character) -> String {
        guard ScenarioText.clean(String(c)) == String(c), !c.isWhitespace else {
            return c.unicodeScalars.map { "U+" + String($0.value, radix: 16, uppercase: true) }.joined(separator: " ")
        }
        return "'\(c)'"
    }

    /// A temperature in words: "0 (the most likely character)", "0.8".
    public static func describe(temperature t: Double) -> String {
        t == 0 ? "0 (the most likely character)" : Format.number(t)
    }

    /// The training speeds `<` and `>` step through, in iterations a second; nil: as fast as it goes.
    public static let speeds: [Double?] = [1, 2, 5, 10, 20, 50, 100, nil]

    /// A speed in words: "5 iterations/s", "full speed".
    public static func describe(speed: Double?) -> String {
        speed.map { "\(Format.number($0)) iteration\($0 == 1 ? "" : "s")/s" } ?? "full speed"
    }

    /// A clipping setting in a few words: "off", "norm ≤ 1" (global norm), "values to ±0.1".
    public static func describe(_ c: Clipping) -> String {
        switch c {
        case .none: return "off"
        case .norm(let n): return "norm ≤ \(Format.number(n))"
        case .value(let v): return "values to ±\(Format.number(v))"
        }
    }

    private mutating func moveLearningRate(up: Bool) {
        let lr = control.learningRate
        let next = up ? Self.learningRates.first { $0 > lr * 1.0001 } : Self.learningRates.last { $0 < lr / 1.0001 }
        guard let next else {
            notice = "learning rate \(Format.number(lr)) is the " + (up ? "largest" : "smallest")
            return
        }
        control.learningRate = next
        notice = "learning rate \(Format.number(next))"
    }
}
