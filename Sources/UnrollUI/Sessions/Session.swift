import UnrollEngine
import UnrollLessons

/// The step-through state: what is revealed and selected, over the results of a ``Lab``.
///
/// The timeline has 2·T positions: positions `0 ..< T` are the forward
/// phase at step `p`, positions `T ..< 2T` the backward phase at step
/// `2T − 1 − p`, so stepping forward runs the forward pass and then
/// backpropagation through time.
///
/// The session is a reducer: ``handle(_:)-(Event)`` applies an ``Event`` (a key's action, a lab's results, a
/// class's state, a tick) and returns the ``Effect``s the event loop carries out. A key that changes the model
/// (cell, skip, W_hh scale, clipping, seed) changes the session's `lab` and returns ``Effect/compute(_:)``; the
/// loop's worker computes it off the UI thread, and the session keeps showing the previous results, marked as
/// computing, until the ``Event/labResult(_:model:)`` event brings the new ones. The session holds no worker,
/// thread or clock, so a path from a key to a frame is a test with no threads; ``handle(_:)-(Action)`` carries
/// the computations out at once, for tests and headless renders.
public struct Session: Sendable, EventHandling {
    /// The requested model: the lesson and the live settings, including changes still being computed.
    public private(set) var lab: Lab
    /// The results on screen: those of `lab` once its computation has come back.
    public private(set) var results: LabResults
    /// The change being computed, if any.
    public private(set) var pending: PendingChange?
    /// Whether the change being computed has taken long enough (about 50 ms) to say so on screen.
    public private(set) var showsComputing = false
    /// The number of the last model change handed out (``LabJob/generation``).
    private var generations = 0
    /// How many computed results have been taken onto the screen (either stage): the loop compares it to know
    /// that an outcome changed the frame.
    public private(set) var resultsShown = 0
    /// The step number typed after `g` (empty: none yet), nil when not going to a step (Session+Controls.swift).
    public internal(set) var goingTo: String?
    /// The settings before the last model key, which `z` brings back (Session+Controls.swift).
    var undoSettings: LabSettings?
    /// Whether the whole caption is shown in an overlay (`t`).
    public internal(set) var showingCaptionText = false
    /// What a class shares of the screen, kept in one value (``View``) that ``ClassState`` carries as it is.
    public private(set) var view = View()
    /// The position on the timeline, `0 ..< 2·columns`. While the results on screen are the forward pass alone
    /// (``UnrollLessons/LabResults/isForwardOnly``), it stays in the forward phase: the backward phase waits for
    /// the gradients of the same model, never showing another model's.
    public internal(set) var position: Int {
        get { view.position }
        set {
            view.position = newValue
            if results.isForwardOnly && newValue >= columns {
                view.position = columns - 1
                notice = "the gradients of the new model are still being computed: the backward phase follows"
            }
        }
    }
    /// The selected layer: an index into `trace.layers`.
    public private(set) var selectedLayer: Int {
        get { view.layer }
        set { view.layer = newValue }
    }
    /// The unit (0-based) the equations show, chosen by a click on an inspector row or `.` `,`; nil: automatic,
    /// the unit with the largest |h_t| at the inspected step. A unit beyond the selected layer's size counts as nil.
    public private(set) var selectedUnit: Int? {
        get { view.unit }
        set { view.unit = newValue }
    }
    /// A column chosen by click; nil: the inspector follows the current step.
    public internal(set) var selectedColumn: Int? {
        get { view.column }
        set { view.column = newValue }
    }
    /// Whether the timeline advances on its own.
    public private(set) var playing = false
    /// Index into `speeds`: 2 steps per second to start.
    public private(set) var speedIndex = 3
    /// Whether the rolled (folded) view is shown instead of the unrolled graph.
    public private(set) var rolled: Bool {
        get { view.rolled }
        set { view.rolled = newValue }
    }
    /// Whether the help overlay is shown.
    public private(set) var showingHelp = false
    /// Presenter mode: the graph and the gradient panel take the screen, the selected step's figures in block digits.
    public private(set) var presenting: Bool {
        get { view.presenting }
        set { view.presenting = newValue }
    }
    /// Whether presenter mode shows the inspector (off until `I`).
    public private(set) var presenterInspector: Bool {
        get { view.presenterInspector }
        set { view.presenterInspector = newValue }
    }
    /// Whether presenter mode shows the equations (off until `E`).
    public private(set) var presenterEquations: Bool {
        get { view.presenterEquations }
        set { view.presenterEquations = newValue }
    }
    /// A one-line notice about the last change (shown in the status line), or nil.
    public internal(set) var notice: String?
    /// Set by `.quit`.
    public internal(set) var wantsQuit = false
    /// Whether `o` opens the lesson picker: not side by side or in a class, whose lesson is fixed (it says so).
    public var opensLessons = true
    /// What `o` says when ``opensLessons`` is false.
    public var lessonsClosedNotice = Notice.lessonFixed
    /// Where `q` leaves to, as the key bar names it ("quit"; "training" in the training view's step-through).
    public var quitsTo = "quit"
    /// The lesson picker (`o`) while it is open, nil otherwise.
    public internal(set) var picker: LessonPicker?
    /// The built-in lesson chosen in the picker: the event loop ends this session and opens that lesson in its place.
    public internal(set) var wantsLesson: String?
    /// Whether the narration's questions are asked (the interactive view's class): shown and held at until answered.
    /// Off, a question's caption shows its text alone and the timeline never holds (renders, benchmarks).
    public let asksQuestions: Bool
    /// The questions answered or revealed: index into the captions → the choice taken (0-based), nil when
    /// revealed without an answer.
    public internal(set) var answers: [Int: Int?] = [:]
    /// Whether a step forward was held at the open question, so that the next one reveals it unanswered.
    var heldAtQuestion = false
    /// What the screen shows of a class (`unroll present`, `unroll join`), nil outside one.
    public var classBoard: ClassBoard?

    /// A model change asked for (``Effect/compute(_:)``) and not yet back.
    public struct PendingChange: Sendable, Equatable {
        /// The session's number for it (``LabJob/generation``).
        public var generation: Int
        /// What changed, for the notice once the results arrive.
        public var change: Change
        /// Whether its forward pass is on screen already (the backward sweeps still running).
        public var forwardShown = false
    }

    /// What a model key changed, to describe it once its results are known.
    public enum Change: Sendable, Equatable {
        /// The cell.
        case cell
        /// Skip connections on or off.
        case skip
        /// The W_hh scale.
        case scale
        /// The extra clipping.
        case clipping
        /// The seed.
        case seed
        /// The trained weights or the initial ones (`w`).
        case weights
        /// The input read (`i`).
        case input
        /// The skip comparison on or off.
        case comparison
        /// The gradient panel's loss.
        case gradient
        /// Back to the lesson's own model and settings.
        case restore
        /// The model of a class's presenter.
        case follow
        /// The model before the last model key (`z`).
        case undo
    }

    /// The stages of a session's first results, as ``init(lesson:asksQuestions:progress:)`` reaches them.
    public enum FirstPassStage: Sendable, Equatable {
        /// The forward pass through every step.
        case forward
        /// The backward sweeps, the spectra and the gradient series.
        case backward
    }

    /// Play speeds, in steps per second.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32]

    /// A session on `lesson`, its first results computed at once on the caller's thread (before the
    /// interactive view opens); later changes are effects the event loop carries out. With `asksQuestions` the
    /// narration's questions are asked (the interactive view).
    /// - Parameter progress: told each stage of the first results as it starts (``FirstPassStage``), so that the
    ///   caller can say what a large lesson's wait is for.
    /// - Throws: `EngineError` when the lesson cannot run.
    public init(lesson: Lesson, asksQuestions: Bool = false, progress: ((FirstPassStage) -> Void)? = nil) throws {
        self.asksQuestions = asksQuestions
        let lab = Lab(lesson: lesson)
        self.lab = lab
        progress?(.forward)
        let pass = try lab.forward()
        progress?(.backward)
        self.results = pass.finish()
        rolled = lesson.display.rolled
        selectedUnit = lesson.display.unit
        // The lesson's layer, else the top one; forward direction; the decoder's in an encoder–decoder.
        let wanted = lesson.display.selectedLayer ?? (trace.spec.layerCount - 1)
        let layers = trace.layers
        selectedLayer =
            layers.indices.last { layers[$0].layer == wanted && !layers[$0].reverse } ?? max(0, layers.count - 1)
    }

    /// A session on a pass already computed (a trained model's example), fully revealed:
    /// the backward phase at its first step, the top forward layer selected, no comparison.
    public init(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) {
        results = LabResults(lesson: lesson, run: run, trace: trace)
        asksQuestions = false
        lab = results.lab
        position = max(0, 2 * trace.columns - 1)
        selectedLayer = trace.layers.indices.last { !trace.layers[$0].reverse } ?? 0
    }

    /// The lesson as given.
    public var lesson: Lesson { lab.lesson }
    /// The lesson with the live settings of the results on screen (cell, skip, seed).
    public var current: Lesson { results.current }
    /// The model, sample and labels on screen, with W_hh scaled.
    public var run: LessonRun<Double> { results.run }
    /// Every number on screen.
    public var trace: Trace<Double> { results.trace }
    /// The same model with skip connections toggled, for the gradient panel, when compared.
    public var comparison: Trace<Double>? { results.comparison }
    /// The factor W_hh is multiplied by on screen, relative to its initialisation.
    public var recurrentScale: Double { results.lab.settings.recurrentScale }
    /// Whether gradient clipping at global norm 1 is on (beyond the lesson's own) on screen.
    public var clipping: Bool { results.lab.settings.clipping }
    /// Whether a model change is being computed.
    public var isComputing: Bool { pending != nil }

    // MARK: Derived state

    /// Number of columns T.
    public var columns: Int { trace.columns }
    /// The current phase.
    public var phase: Phase { position < columns ? .forward : .backward }
    /// The current step (column) of the current phase.
    public var step: Int { position < columns ? position : 2 * columns - 1 - position }
    /// The column the inspector shows.
    public var inspectedColumn: Int { selectedColumn ?? step }
    /// Milliseconds between steps while playing.
    public var tickInterval: Int { Int(1000 / Self.speeds[speedIndex]) }

    /// How far the timeline has revealed the trace on screen.
    public var reveal: Reveal {
        Reveal(phase: phase, step: step, hasGradients: trace.hasGradients, hidden: openQuestion?.reveals)
    }

    /// Whether the forward values of a layer are revealed at a column (``Reveal/isRevealed(layer:column:)``).
    public func isRevealed(layer: LayerTrace<Double>, column: Int) -> Bool {
        reveal.isRevealed(layer: layer, column: column)
    }

    /// Whether an input or output at a column is revealed in the forward phase.
    public func isRevealed(column: Int) -> Bool { reveal.isRevealed(column: column) }

    /// Whether the output at a column is revealed (``Reveal/isOutputRevealed(column:in:)``).
    public func isOutputRevealed(column: Int) -> Bool { reveal.isOutputRevealed(column: column, in: trace) }

    /// Whether the gradient at a column has arrived in the backward phase.
    public func gradientArrived(column: Int) -> Bool { reveal.gradientArrived(column: column) }

    /// The trace as this session has revealed it, with its words and the selection (what the trace views draw).
    public var revealedTrace: RevealedTrace {
        RevealedTrace(
            trace: trace, inputLabels: run.inputLabels, targetLabels: run.targetLabels,
            fedLabels: results.fedLabels, reveal: reveal, selectedLayer: selectedLayer,
            inspectedColumn: inspectedColumn, selectedUnit: selectedUnit,
            elmanFactors: results.gradients.map(\.elmanFactor), outputWords: run.vocabulary)
    }

    /// Whether the model on screen is the lesson's own, so its captions hold; after a model key they may
    /// not, and the caption is shown marked (`0` restores the lesson's model).
    public var captionsHold: Bool { results.lab.hasLessonsOwnModel }

    /// The input on screen: 0, the lesson's own sentence; k, its held-out input k (`i`).
    public var input: Int { results.lab.settings.input }

    /// Whether a caption belongs to the input on screen: a caption written for another input is not shown, asked
    /// or stopped at (its numbers are another sentence's).
    public func isShown(_ c: Caption) -> Bool { c.inputIndex == input }

    /// The caption for the current phase and step, if the lesson has one.
    public var caption: Caption? {
        current.captions.last {
            isShown($0) && $0.phase == phase && (phase == .forward ? $0.step <= step : $0.step >= step)
        }
    }

    /// The caption at exactly the current position that asks a question: its index in the captions and the question.
    public var questionHere: (index: Int, question: Question)? {
        guard asksQuestions else { return nil }
        let captions = current.captions
        guard
            let i = captions.indices.last(where: {
                captions[$0].question != nil && isShown(captions[$0]) && position(of: captions[$0]) == position
            }),
            let q = captions[i].question
        else { return nil }
        return (i, q)
    }

    /// The question at this step while it waits for the class's answer: the timeline does not go past it.
    public var openQuestion: Question? {
        guard let (i, q) = questionHere, answers[i] == nil else { return nil }
        return q
    }

    /// The timeline position of a caption.
    func position(of c: Caption) -> Int { c.phase == .forward ? c.step : 2 * columns - 1 - c.step }

    // MARK: Actions

    /// Puts the timeline at `position` (clamped to `0 ..< 2·columns`) and the inspected column at `column`,
    /// as a follower of another session does (``PairSession``); captions, questions and the lab are untouched.
    public mutating func align(position: Int, column: Int?) {
        self.position = max(0, min(2 * columns - 1, position))
        selectedColumn = column.flatMap { (0..<columns).contains($0) ? $0 : nil }
    }

    /// Shows what a class's presenter shows: the model (computed off the UI thread as any model change, newest first),
    /// the position, selection, view toggles and the questions revealed, answered with `own` (caption index → the
    /// follower's choice) where the follower answered. `state` must have been validated for this session
    /// (``ClassState/decode(_:for:limit:)``).
    /// - Returns: the computation of the presenter's model when it changed.
    public mutating func follow(_ state: ClassState, own: [Int: Int] = [:]) -> [Effect] {
        var effects: [Effect] = []
        let settings = state.settings(for: lesson)
        if settings != lab.settings { effects = change(.follow) { $0.settings = settings } }
        var shown = state.view
        shown.layer = trace.layers.indices.contains(shown.layer) ? shown.layer : selectedLayer
        shown.column = shown.column.flatMap { (0..<columns).contains($0) ? $0 : nil }
        view = shown
        position = max(0, min(2 * columns - 1, shown.position))
        playing = false
        heldAtQuestion = false
        answers = Dictionary(uniqueKeysWithValues: state.revealed.map { ($0, own[$0]) })
        if pending == nil { notice = nil }
        return effects
    }

    /// A figure's title: the lesson, the phase and the step (`unroll figure`, the `F` key).
    public var figureTitle: String {
        "\(lesson.title): \(phase == .forward ? "forward" : "backward"), step \(step + 1) of \(columns)"
    }

    /// A figure's file name without extension: `unroll-LESSON-step3-forward`, the lesson's name kept to letters,
    /// digits, `-` and `_` (a scenario file's name is not trusted as a path).
    public var figureName: String {
        "unroll-\(Self.fileSafe(lesson.name))-step\(step + 1)-\(phase == .forward ? "forward" : "backward")"
    }

    /// `name` as a part of a file name: ASCII letters, digits, `-` and `_` kept, anything else `_`, at most 40
    /// characters; "lesson" when nothing is left.
    public static func fileSafe(_ name: String) -> String {
        let safe = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") ? $0 : "_" }
            .prefix(40))
        return safe.isEmpty ? "lesson" : safe
    }

    /// Shows `notice` in the status line until the next action.
    public mutating func say(_ notice: String) { self.notice = notice }

    /// Applies an event and returns what the event loop must do: a model key's lab to compute.
    public mutating func handle(_ event: Event) -> [Effect] {
        switch event {
        case .action(let action): return apply(action)
        case .labResult(let outcome, _):
            receive(outcome)
            return []
        case .classState(let state): return follow(state)
        case .playTick: return apply(.tick)
        case .computingDue: return apply(.computingTimeout)
        case .roomCounts, .resize: return []
        case .notice(let text):
            say(text)
            return []
        }
    }

    /// Applies an action headlessly (tests, renders, benchmarks): a model change is computed at once, on the
    /// caller's thread (``EventHandling/handleAtOnce(_:)``). The event loop uses ``handle(_:)-(Event)``.
    public mutating func handle(_ action: Action) { handleAtOnce(.action(action)) }

    /// Applies an action; returns the lab to compute when it changed the model. Each kind of action has its named
    /// part below; the words the status line says are ``Notice``'s.
    private mutating func apply(_ action: Action) -> [Effect] {
        notice = nil
        if picker != nil {
            pick(action)
            return []
        }
        let positionWas = position
        defer { if position != positionWas { heldAtQuestion = false } }
        if goingTo != nil && typeStep(action) { return [] }
        if holdsAtQuestion(action) { return [] }
        switch action {
        case .stepForward, .stepBack, .tick, .togglePlay, .faster, .slower, .first, .last, .switchPhase, .nextCaption,
            .previousCaption:
            moveTimeline(action)
        case .selectUp, .selectDown, .select, .selectUnit, .nextUnit, .previousUnit: select(action)
        case .cycleCell, .toggleSkip, .scaleUp, .scaleDown, .toggleClip, .toggleSkipComparison, .cycleGradient, .reseed,
            .toggleWeights, .nextInput, .restore:
            return changeModel(action)
        case .toggleRolled, .togglePresenter, .togglePresenterInspector, .togglePresenterEquations, .toggleHelp,
            .dismiss:
            toggleView(action)
        case .answer(let choice): answer(choice)
        case .goTo, .confirm, .takeBack, .toggleCaptionText: lecturerKey(action)
        case .undo: return undoModelKey()
        case .computingTimeout: showsComputing = pending != nil
        case .followPresenter: notice = Notice.followOutsideClass
        case .toggleSeats, .dropSeat: notice = Notice.seatsOutsideClass
        case .writeResults: notice = Notice.resultsOutsideClass
        case .saveFigure: return [.saveFigure(name: figureName, title: figureTitle)]
        case .openLessons:
            guard opensLessons else {
                notice = lessonsClosedNotice
                return []
            }
            picker = LessonPicker(current: lesson.name)
            playing = false
            showingHelp = false
        case .quit: wantsQuit = true
        }
        return []
    }

    /// Predict-then-reveal: at an open question, what would move on would give the answer away, so the class
    /// answers first; a second try reveals it unanswered. - Returns: whether the action was held.
    private mutating func holdsAtQuestion(_ action: Action) -> Bool {
        guard let (i, q) = questionHere, answers[i] == nil, movesOn(action) else { return false }
        if heldAtQuestion {
            answers[i] = .some(nil)
            notice = Notice.revealed(q, holds: captionsHold)
        } else {
            heldAtQuestion = true
            notice = Notice.answerFirst(q)
        }
        playing = false
        return true
    }

    /// Steps, jumps, play and its speed, and the narration's captions.
    private mutating func moveTimeline(_ action: Action) {
        let end = 2 * columns - 1
        switch action {
        case .stepForward:
            position = min(end, position + 1)
            selectedColumn = nil
        case .stepBack:
            position = max(0, position - 1)
            selectedColumn = nil
        case .tick:
            if position >= end {
                playing = false
            } else {
                position += 1
                selectedColumn = nil
                // Play stops at each caption, so the class can read it; space goes on.
                if current.captions.contains(where: { isShown($0) && self.position(of: $0) == position }) {
                    playing = false
                    notice = Notice.pausedAtNarration
                }
            }
        case .togglePlay:
            if !playing && position >= end { position = 0 }
            playing.toggle()
        case .faster:
            speedIndex = min(Self.speeds.count - 1, speedIndex + 1)
            notice = Notice.speed(speedText)
        case .slower:
            speedIndex = max(0, speedIndex - 1)
            notice = Notice.speed(speedText)
        case .first:
            position = phase == .forward ? 0 : columns
            selectedColumn = nil
        case .last:
            position = phase == .forward ? columns - 1 : end
            selectedColumn = nil
        case .switchPhase:
            position = end - position
            selectedColumn = nil
        case .nextCaption, .previousCaption:
            let later = action == .nextCaption
            let positions = current.captions.filter(isShown).map { position(of: $0) }
                .filter { later ? $0 > position : $0 < position }
            if let c = later ? positions.min() : positions.max() {
                position = c
                selectedColumn = nil
            } else {
                notice = Notice.noCaption(later: later, narration: current.captions.contains(where: isShown))
            }
        default: break
        }
    }

    /// The selected layer, node and unit.
    private mutating func select(_ action: Action) {
        switch action {
        case .selectUp: selectedLayer = neighbourLayer(above: true)
        case .selectDown: selectedLayer = neighbourLayer(above: false)
        case .select(let layer, let column):
            if trace.layers.indices.contains(layer) { selectedLayer = layer }
            if column >= 0 && column < columns { selectedColumn = column }
        case .selectUnit(let u):
            if let size = unitCount, u >= 0 && u < size {
                selectedUnit = u
                notice = Notice.unit(u, of: size)
            }
        case .nextUnit, .previousUnit:
            if let size = unitCount, let shown = shownUnit {
                let u = (shown + (action == .nextUnit ? 1 : size - 1)) % size
                selectedUnit = u
                notice = Notice.unit(u, of: size)
            }
        default: break
        }
    }

    /// A model key: the lab changed and handed out to compute (``change(_:_:)``).
    private mutating func changeModel(_ action: Action) -> [Effect] {
        let before = lab.settings
        let effects = changeModelNow(action)
        if !effects.isEmpty { undoSettings = before }
        return effects
    }

    /// `changeModel` without the undo record.
    private mutating func changeModelNow(_ action: Action) -> [Effect] {
        switch action {
        case .cycleCell: return change(.cell) { $0.cycleCell() }
        case .toggleSkip: return change(.skip) { $0.toggleSkip() }
        case .scaleUp: return change(.scale) { $0.scaleRecurrent(by: 1.1) }
        case .scaleDown: return change(.scale) { $0.scaleRecurrent(by: 1 / 1.1) }
        case .toggleClip: return change(.clipping) { $0.toggleClipping() }
        case .toggleSkipComparison: return change(.comparison) { $0.toggleSkipComparison() }
        case .cycleGradient:
            let column = trace.lossColumns.first { $0 >= inspectedColumn } ?? trace.lossColumns.last ?? inspectedColumn
            return change(.gradient) { $0.cycleGradient(column: column) }
        case .reseed: return change(.seed) { $0.reseed() }
        case .toggleWeights:
            guard lesson.weights != nil else {
                notice = Notice.noTrainedWeights(seed: lab.settings.seed)
                return []
            }
            return change(.weights) { $0.toggleTrained() }
        case .nextInput:
            guard !lesson.heldOut.isEmpty else {
                notice = Notice.noHeldOutInput
                return []
            }
            return change(.input) { $0.nextInput() }
        case .restore:
            if lab.isLessonsOwn && pending == nil {
                notice = Notice.alreadyOwnModel
                return []
            }
            return change(.restore) { $0.restore() }
        default: return []
        }
    }

    /// The rolled view, presenter mode and its panels, the help overlay.
    private mutating func toggleView(_ action: Action) {
        switch action {
        case .toggleRolled: rolled.toggle()
        case .togglePresenter:
            presenting.toggle()
            notice = Notice.presenter(presenting)
        case .togglePresenterInspector, .togglePresenterEquations:
            guard presenting else {
                notice = Notice.presenterPanelsNeedP
                return
            }
            let inspector = action == .togglePresenterInspector
            if inspector { presenterInspector.toggle() } else { presenterEquations.toggle() }
            notice = Notice.panel(
                inspector ? "inspector" : "equations", shown: inspector ? presenterInspector : presenterEquations)
        case .toggleHelp: showingHelp.toggle()
        case .dismiss:
            showingHelp = false
            showingCaptionText = false
        default: break
        }
    }

    /// A 1–4 key: the answer to the question here, if there is one still open.
    private mutating func answer(_ choice: Int) {
        guard let (i, q) = questionHere else {
            notice = Notice.noQuestionHere
            return
        }
        if answers[i] != nil {
            notice = Notice.alreadyAnswered
            return
        }
        guard q.choices.indices.contains(choice) else {
            notice = Notice.choices(q)
            return
        }
        answers[i] = choice
        notice = Notice.answered(choice, q, holds: captionsHold)
    }

    /// Whether an action would move the timeline on past the current position (held at an open question).
    private func movesOn(_ action: Action) -> Bool {
        switch action {
        case .stepForward, .tick, .nextCaption: return true
        case .togglePlay: return !playing
        default: return false // End, Home, Tab and ← are the teacher's deliberate jumps
        }
    }

    /// The selected layer's number of units, nil when no layer is selected.
    private var unitCount: Int? {
        trace.layers.indices.contains(selectedLayer) ? trace.layers[selectedLayer].hiddenSize : nil
    }

    /// The unit (0-based) the equations show at the inspected step: `selectedUnit` when the selected layer has it,
    /// else the unit with the largest |h_t|; nil when the selected layer has no step at the inspected column.
    public var shownUnit: Int? {
        guard let (layer, step) = inspected else { return nil }
        return unit(in: layer, step: step)
    }

    /// The selected layer and its step at the inspected column, nil when it has none there
    /// (``RevealedTrace/inspected``).
    public var inspected: (layer: LayerTrace<Double>, step: StepTrace<Double>)? { revealedTrace.inspected }

    /// The unit whose numbers are shown for a step of a layer (``RevealedTrace/unit(in:step:)``).
    public func unit(in layer: LayerTrace<Double>, step: StepTrace<Double>) -> Int {
        revealedTrace.unit(in: layer, step: step)
    }

    /// The layer drawn just above (or below) the selected one in the same segment, or the selected one at the edge.
    /// The graph stacks layers bottom first and, within a layer, the reverse direction below the forward one.
    private func neighbourLayer(above: Bool) -> Int {
        let layers = trace.layers
        guard layers.indices.contains(selectedLayer) else { return 0 }
        let segment = layers[selectedLayer].segment
        let stack = layers.indices.filter { layers[$0].segment == segment }
            .sorted {
                (layers[$0].layer, layers[$0].reverse ? 0 : 1, $0) < (layers[$1].layer, layers[$1].reverse ? 0 : 1, $1)
            }
        guard let i = stack.firstIndex(of: selectedLayer) else { return selectedLayer }
        let j = above ? i + 1 : i - 1
        return stack.indices.contains(j) ? stack[j] : selectedLayer
    }

    /// The play speed as text: "1 step/s", "2 steps/s", "0.25 steps/s".
    public var speedText: String {
        let s = Self.speeds[speedIndex]
        return s == 1 ? "1 step/s" : Format.number(s) + " steps/s"
    }

    /// A cell kind's name on screen.
    public static func name(of cell: CellKind) -> String {
        switch cell {
        case .rnn: return "RNN"
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        }
    }

    // MARK: Model changes

    /// Applies a change to the requested lab: refused at once with a notice when the model cannot run,
    /// else returned as a lab to compute, pending until its outcome comes back.
    mutating func change(_ kind: Change, _ body: (inout Lab) -> Void) -> [Effect] {
        var next = lab
        body(&next)
        let problems = next.problems
        guard problems.isEmpty else {
            notice = problems.joined(separator: "; ")
            return []
        }
        lab = next
        generations += 1
        if pending == nil { showsComputing = false }
        pending = PendingChange(generation: generations, change: kind)
        notice = nil
        return [.compute(LabJob(lab: next, previous: results, generation: generations))]
    }

    /// Takes one outcome of a computation: the screen shows it from the next frame on. The forward
    /// pass alone is shown only in the forward phase (the change stays pending until the whole arrives); in
    /// the backward phase the old model stays until its replacement has its gradients. An outcome of an older
    /// change than the pending one is dropped.
    /// - Returns: whether anything changed.
    @discardableResult
    mutating func receive(_ outcome: LabWorker.Outcome?) -> Bool {
        guard let pending, let outcome, outcome.generation == pending.generation else { return false }
        if case .success(let forward) = outcome.result, forward.isForwardOnly {
            guard phase == .forward else { return false }
            self.pending?.forwardShown = true
            show(outcome.result, change: pending.change)
            resultsShown += 1
            return true
        }
        self.pending = nil
        showsComputing = false
        show(outcome.result, change: pending.change)
        resultsShown += 1
        return true
    }

    /// Shows new results (keeping the phase and step where the number of columns changed), or on failure
    /// returns the requested lab to the one on screen and says why.
    private mutating func show(_ result: Result<LabResults, EngineError>, change: Change) {
        switch result {
        case .failure(let error):
            lab = results.lab
            notice = "\(error)"
        case .success(let new):
            let oldColumns = columns, phaseWas = phase, stepWas = step
            results = new
            if trace.columns != oldColumns {
                let s = min(stepWas, trace.columns - 1)
                position = phaseWas == .forward ? s : 2 * trace.columns - 1 - s
            }
            selectedLayer = min(selectedLayer, trace.layers.count - 1)
            notice = Self.notice(for: change, new.lab.settings, trace: new.trace, parameters: new.parameterCount)
            if change == .input { notice = Notice.input(new.lab) }
            if (change == .skip || change == .cell) && !new.lab.keepsLessonWeights {
                notice? += "; the lesson's trained weights were redrawn from seed \(new.lab.settings.seed): 0 brings them back"
            } else if change == .skip && new.lab.lesson.weights != nil {
                notice? += "; the lesson's weights kept, the skip weights drawn"
            }
        }
    }

    /// The status line's words for a change that has been computed.
    static func notice(for change: Change, _ s: LabSettings, trace: Trace<Double>, parameters: Int) -> String {
        switch change {
        case .cell: return "cell: \(name(of: s.cell)), \(parameters) parameters"
        case .skip: return s.skip.map { "skip connections on: h_{t-\($0)} → h_t" } ?? "skip connections off"
        case .scale:
            // The block the header names (an LSTM's or GRU's largest), in the header's rounding.
            let (name, r) = trace.layers.first.flatMap { HeaderView.spectrum(of: $0, in: trace) } ?? ("W_hh", nil)
            let rho = Format.number(r?.spectralRadius ?? .nan)
            let block = name == "W_hh" ? "" : name + " "
            return "W_hh × \(Format.number(s.recurrentScale, digits: 3)): \(block)spectral radius \(rho)"
        case .clipping: return s.clipping ? "gradient clipping on: global norm ≤ 1" : "gradient clipping off"
        case .seed: return "seed \(s.seed)"
        case .weights:
            return s.untrained
                ? "untrained: the weights training started from (seed \(s.seed)); w: trained again"
                : "the trained weights again" + (s.input == 0 ? "" : ", on held-out input \(s.input + 1)")
        case .input: return "input \(s.input + 1)"
        case .comparison: return s.comparesSkip ? "comparing with skip connections toggled" : "skip comparison off"
        case .gradient: return "gradient panel: " + gradientName(s.gradient, trace: trace)
        case .restore:
            return "the lesson's own model: \(name(of: s.cell)), seed \(s.seed), W_hh as drawn; the captions hold again"
        case .follow: return "the presenter's model: \(name(of: s.cell)), seed \(s.seed)"
        case .undo: return Notice.undone(s)
        }
    }

    /// A gradient mode's words: "total loss", "last loss (step 6)", "loss at step 4".
    static func gradientName(_ mode: GradientMode, trace: Trace<Double>) -> String {
        switch mode {
        case .total: return "total loss"
        case .last: return "last loss" + (trace.lossColumns.last.map { " (step \($0 + 1))" } ?? "")
        case .step(let c): return "loss at step \(c + 1)"
        }
    }

    /// What the header draws of this session.
    public var header: HeaderView.Model {
        HeaderView.Model(
            title: current.title, phase: phase, step: step, columns: columns, playing: playing ? speedText : nil,
            modelLine: HeaderView.modelLine(self))
    }

    /// What the caption area draws of this session.
    public var captionArea: CaptionView.Model {
        let here = questionHere
        // Between captions a held-out input says what it is, where the lesson's own sentence shows the summary.
        let summary = input == 0 ? current.summary : Notice.heldOutSummary(results.lab)
        return CaptionView.Model(
            caption: caption, summary: summary, holds: captionsHold, question: here,
            answered: here.map { answers[$0.index] } ?? nil, classBoard: classBoard)
    }

    /// What the unit line draws (``UnitLineView``): a unit of the selected layer over the text, for a character model
    /// stepping through a text (`training.step_through`, `unroll open … --text`); nil otherwise. The unit is the one the
    /// equations show (`.` `,` choose it).
    public var unitLine: UnitLineView.Model? {
        guard current.training?.task.prompt != nil, trace.layers.indices.contains(selectedLayer) else { return nil }
        let layer = trace.layers[selectedLayer]
        guard layer.hiddenSize > 0 else { return nil }
        let shown = inspected.map { unit(in: $0.layer, step: $0.step) } ?? min(selectedUnit ?? 0, layer.hiddenSize - 1)
        let labels = run.inputLabels + [(run.targetLabels.last ?? nil) ?? ""]
        let characters: [Character] = labels.map { $0 == "␣" ? " " : $0.first ?? " " }
        let values: [Double?] = characters.indices.map { c in
            guard c < columns, isRevealed(layer: layer, column: c), let step = layer.step(at: c), step.hidden.rows > 0
            else { return nil }
            return step.hidden[0, shown]
        }
        return UnitLineView.Model(
            characters: characters, values: values, unit: shown, units: layer.hiddenSize, column: inspectedColumn)
    }

    /// What the status line draws of this session.
    public var statusLine: StatusView.Model {
        StatusView.Model(
            presenting: presenting, openQuestion: openQuestion, classBoard: classBoard,
            computingText: computingText,
            notice: goingTo.map { Notice.goingTo($0, of: columns, captions: captionPositions.count) } ?? notice,
            opensLessons: opensLessons, quitsTo: quitsTo)
    }

    /// What the gradient panel draws of this session (``GradientView/Model``).
    public var gradientPanel: GradientView.Model {
        GradientView.Model(
            series: gradientSeries, trace: trace, selectedLayer: chartedLayer, reveal: reveal,
            inspectedColumn: inspectedColumn)
    }

    /// The gradient panel's series: the inspected layer's (at an encoder step of an encoder–decoder, the
    /// encoder's, which the graph draws on the selected row), else the selected layer's.
    public var gradientSeries: GradientSeries? {
        results.gradients.indices.contains(chartedLayer) ? results.gradients[chartedLayer] : nil
    }

    /// The layer the gradient panel charts (``RevealedTrace/inspectedLayer``, else the selected one).
    private var chartedLayer: Int { revealedTrace.inspectedLayer ?? selectedLayer }

    /// Pascanu's per-step factor of a layer when it is a plain Elman layer (the lab's), else nil.
    public func elmanFactor(of layer: LayerTrace<Double>) -> ElmanFactor? {
        let i = trace.layers.firstIndex { $0.label == layer.label }
        return i.flatMap { results.gradients.indices.contains($0) ? results.gradients[$0].elmanFactor : nil }
    }

    /// What the status line says while a change is computed: the change and how long it has taken.
    public var computingText: String? {
        guard let pending, showsComputing else { return nil }
        let what: String
        switch pending.change {
        case .cell: what = "cell \(Self.name(of: lab.settings.cell))"
        case .skip: what = lab.settings.skip == nil ? "skip off" : "skip on"
        case .scale: what = "W_hh × \(Format.number(lab.settings.recurrentScale, digits: 3))"
        case .clipping: what = lab.settings.clipping ? "clipping on" : "clipping off"
        case .seed: what = "seed \(lab.settings.seed)"
        case .weights: what = lab.settings.untrained ? "the initial weights" : "the trained weights"
        case .input: what = "input \(lab.settings.input + 1)"
        case .comparison: what = "skip comparison"
        case .gradient: what = Self.gradientName(lab.settings.gradient, trace: trace)
        case .restore: what = "the lesson's own model"
        case .follow: what = "the presenter's model"
        case .undo: what = "the model before the last key"
        }
        if pending.forwardShown {
            return "computing \(what): its forward pass is shown, its gradients follow (the backward phase waits)"
        }
        return "computing \(what)… (the screen shows the previous model until it is ready)"
    }
}
