import Dispatch
import UnrollEngine
import UnrollLessons

/// The step-through state: which lesson, which model settings, what is revealed and what is selected.
///
/// The timeline has 2·T positions: positions `0 ..< T` are the forward
/// phase at step `p`, positions `T ..< 2T` the backward phase at step
/// `2T − 1 − p`, so stepping forward runs the forward pass and then
/// backpropagation through time. Every change of model settings recomputes
/// the trace through the engine at once.
public struct Session: Sendable {
    /// The lesson as given.
    public private(set) var lesson: Lesson
    /// The lesson with the live settings applied (cell, skip, seed, clipping).
    public private(set) var current: Lesson
    /// The model, sample and labels of `current`, with W_hh scaled.
    public private(set) var run: LessonRun<Double>
    /// Every number on screen.
    public private(set) var trace: Trace<Double>
    /// The same model with skip connections toggled, for the comparison panel.
    public private(set) var comparison: Trace<Double>?
    /// The position on the timeline, `0 ..< 2·columns`.
    public private(set) var position = 0
    /// The selected layer: an index into `trace.layers`.
    public private(set) var selectedLayer = 0
    /// A column chosen by click; nil: the inspector follows the current step.
    public private(set) var selectedColumn: Int?
    /// Whether the timeline advances on its own.
    public private(set) var playing = false
    /// Index into `speeds`.
    public private(set) var speedIndex = 2
    /// Whether the rolled (folded) view is shown instead of the unrolled graph.
    public private(set) var rolled = false
    /// Whether the help overlay is shown.
    public private(set) var showingHelp = false
    /// The factor W_hh is multiplied by, relative to its initialisation.
    public private(set) var recurrentScale = 1.0
    /// Whether gradient clipping at global norm 1 is on (beyond the lesson's own).
    public private(set) var clipping = false
    /// A one-line notice about the last change (shown in the status line), or nil.
    public private(set) var notice: String?
    /// Set by `.quit`.
    public private(set) var wantsQuit = false
    /// The spectra of `spectraLesson`'s W_hh blocks at scale 1. Scaling W_hh by c scales every
    /// eigenvalue and singular value by |c|, so a scale key reuses them instead of calling LAPACK.
    private var unitSpectra: [RecurrentSpectrum] = []
    /// The lesson (settings without clipping) `unitSpectra` belong to.
    private var spectraLesson: Lesson?
    /// The W_hh blocks the current trace's spectra were computed for: a change that leaves W_hh alone
    /// (skip or clipping toggled in a one-layer model) reuses the spectra as they are.
    private var spectraBlocks: [Matrix<Double>] = []

    /// Play speeds, in steps per second.
    public static let speeds: [Double] = [0.5, 1, 2, 4, 8, 16, 32]

    /// A session on `lesson`.
    /// - Throws: `EngineError` when the lesson cannot run.
    public init(lesson: Lesson) throws {
        self.lesson = lesson
        self.current = lesson
        let (main, other) = Self.traces(for: lesson, scale: 1)
        (self.run, self.trace) = try main.get()
        self.comparison = other
        trace.recurrent = spectra(of: run, lesson: lesson)
        rolled = lesson.display.rolled
        // The lesson's layer, else the top one; forward direction; the decoder's in an encoder–decoder.
        let wanted = lesson.display.selectedLayer ?? (trace.spec.layerCount - 1)
        let layers = trace.layers
        selectedLayer = layers.indices.last { layers[$0].layer == wanted && !layers[$0].reverse } ?? max(0, layers.count - 1)
    }

    /// A session on a pass already computed (a trained model's example), fully revealed:
    /// the backward phase at its first step, the top forward layer selected, no comparison.
    public init(lesson: Lesson, run: LessonRun<Double>, trace: Trace<Double>) {
        self.lesson = lesson
        self.current = lesson
        self.run = run
        self.trace = trace
        self.comparison = nil
        position = max(0, 2 * trace.columns - 1)
        selectedLayer = trace.layers.indices.last { !trace.layers[$0].reverse } ?? 0
    }

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

    /// Whether the forward values of a layer are revealed at a column. A reverse layer
    /// runs from the last column, so it is revealed from the right.
    public func isRevealed(layer: LayerTrace<Double>, column: Int) -> Bool {
        if phase == .backward { return true }
        if layer.reverse {
            let end = layer.startColumn + layer.steps.count - 1
            return column >= end - (step - layer.startColumn) && step >= layer.startColumn
        }
        return column <= step
    }

    /// Whether an input or output at a column is revealed in the forward phase.
    public func isRevealed(column: Int) -> Bool { phase == .backward || column <= step }

    /// Whether the output at a column is revealed: it needs every layer below it, so in a
    /// bidirectional model both directions must have reached the column.
    public func isOutputRevealed(column: Int) -> Bool {
        guard phase == .forward else { return true }
        return trace.layers.allSatisfy { l in
            !l.columns.contains(column) || isRevealed(layer: l, column: column)
        }
    }

    /// Whether the gradient at a column has arrived in the backward phase.
    public func gradientArrived(column: Int) -> Bool { phase == .backward && column >= step }

    /// The caption for the current phase and step, if the lesson has one.
    public var caption: Caption? {
        current.captions.last { $0.phase == phase && (phase == .forward ? $0.step <= step : $0.step >= step) }
    }

    /// The timeline position of a caption.
    private func position(of c: Caption) -> Int { c.phase == .forward ? c.step : 2 * columns - 1 - c.step }

    // MARK: Actions

    /// Applies an action.
    public mutating func handle(_ action: Action) {
        notice = nil
        let end = 2 * columns - 1
        switch action {
        case .stepForward: position = min(end, position + 1); selectedColumn = nil
        case .stepBack: position = max(0, position - 1); selectedColumn = nil
        case .tick:
            if position >= end { playing = false } else { position += 1; selectedColumn = nil }
        case .togglePlay:
            if !playing && position >= end { position = 0 }
            playing.toggle()
        case .faster: speedIndex = min(Self.speeds.count - 1, speedIndex + 1); notice = "speed \(speedText)"
        case .slower: speedIndex = max(0, speedIndex - 1); notice = "speed \(speedText)"
        case .first: position = phase == .forward ? 0 : columns; selectedColumn = nil
        case .last: position = phase == .forward ? columns - 1 : end; selectedColumn = nil
        case .switchPhase: position = end - position; selectedColumn = nil
        case .selectUp: selectedLayer = min(trace.layers.count - 1, selectedLayer + 1)
        case .selectDown: selectedLayer = max(0, selectedLayer - 1)
        case .select(let layer, let column):
            if trace.layers.indices.contains(layer) { selectedLayer = layer }
            if column >= 0 && column < columns { selectedColumn = column }
        case .nextCaption:
            if let c = current.captions.map({ position(of: $0) }).filter({ $0 > position }).min() { position = c; selectedColumn = nil }
        case .previousCaption:
            if let c = current.captions.map({ position(of: $0) }).filter({ $0 < position }).max() { position = c; selectedColumn = nil }
        case .cycleCell:
            let all = CellKind.allCases
            var next = current
            next.cell = all[((all.firstIndex(of: current.cell) ?? 0) + 1) % all.count]
            if next.cell == .lstm && next.initialization.forgetBias == nil { next.initialization.forgetBias = 1 }
            apply(next, notice: "cell: \(Self.name(of: next.cell))")
        case .toggleSkip:
            var next = current
            next.skip = current.skip == nil ? (lesson.skip ?? 3) : nil
            apply(next, notice: next.skip.map { "skip connections on: h_{t-\($0)} → h_t" } ?? "skip connections off")
        case .scaleUp: rescale(by: 1.1)
        case .scaleDown: rescale(by: 1 / 1.1)
        case .toggleClip:
            clipping.toggle()
            apply(current, notice: clipping ? "gradient clipping on: global norm ≤ 1" : "gradient clipping off")
        case .toggleRolled: rolled.toggle()
        case .reseed:
            var next = current
            next.seed &+= 1
            apply(next, notice: "seed \(next.seed)")
        case .toggleHelp: showingHelp.toggle()
        case .dismiss: showingHelp = false
        case .quit: wantsQuit = true
        }
    }

    /// The play speed as text, e.g. "4 steps/s".
    public var speedText: String {
        let s = Self.speeds[speedIndex]
        return (s < 1 ? String(s) : String(Int(s))) + " steps/s"
    }

    /// A cell kind's name on screen.
    public static func name(of cell: CellKind) -> String {
        switch cell {
        case .rnn: return "RNN"
        case .lstm: return "LSTM"
        case .gru: return "GRU"
        }
    }

    private mutating func rescale(by factor: Double) {
        let old = recurrentScale
        recurrentScale *= factor
        if !apply(current, notice: nil) { recurrentScale = old; return }
        let rho = trace.recurrent.first?.spectralRadius ?? .nan
        notice = "W_hh × \(Format.number(recurrentScale, digits: 3)): spectral radius \(Format.number(rho, digits: 3))"
    }

    /// Recomputes everything for `lesson` with the live scale and clipping; keeps the old state on failure.
    @discardableResult
    private mutating func apply(_ next: Lesson, notice: String?) -> Bool {
        var withClip = next
        if clipping { withClip.clipping = .norm(1) }
        let problems = withClip.problems
        guard problems.isEmpty else { self.notice = problems.joined(separator: "; "); return false }
        do {
            let (main, other) = Self.traces(for: withClip, scale: recurrentScale)
            var (run, trace) = try main.get()
            trace.recurrent = spectra(of: run, lesson: next)
            let oldColumns = columns, phaseWas = phase, stepWas = step
            self.current = next
            self.run = run
            self.trace = trace
            self.comparison = other
            if trace.columns != oldColumns {
                position = phaseWas == .forward ? min(stepWas, trace.columns - 1) : 2 * trace.columns - 1 - min(stepWas, trace.columns - 1)
            }
            selectedLayer = min(selectedLayer, trace.layers.count - 1)
            self.notice = notice
            return true
        } catch {
            self.notice = "\(error)"
            return false
        }
    }

    /// The lesson's run and trace, and the trace of the same lesson with skip connections toggled (nil
    /// when it cannot run), computed at the same time on two threads: they are independent passes.
    /// The W_hh spectra of `run`'s model (settings `lesson`, scale `recurrentScale`): the last ones when the
    /// blocks are unchanged, the unit-scale ones times |c| when only the scale changed, else LAPACK's.
    private mutating func spectra(of run: LessonRun<Double>, lesson: Lesson) -> [RecurrentSpectrum] {
        let named = run.model.recurrentBlocks
        let blocks = named.map(\.block)
        if blocks == spectraBlocks && trace.recurrent.count == blocks.count && !blocks.isEmpty { return trace.recurrent }
        let c = abs(recurrentScale)
        let result: [RecurrentSpectrum]
        if lesson == spectraLesson && unitSpectra.count == named.count {
            result = unitSpectra.map { var r = $0; r.spectralRadius *= c; r.largestSingularValue *= c; return r }
        } else {
            result = named.map {
                RecurrentSpectrum(name: $0.name, spectralRadius: Spectrum.radius($0.block),
                                  largestSingularValue: Spectrum.largestSingularValue($0.block))
            }
            unitSpectra = result.map { var r = $0; r.spectralRadius /= c; r.largestSingularValue /= c; return r }
            spectraLesson = lesson
        }
        spectraBlocks = blocks
        return result
    }

    private static func traces(for lesson: Lesson, scale: Double)
        -> (Result<(LessonRun<Double>, Trace<Double>), any Error>, Trace<Double>?) {
        let results = TraceResults()
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 {
                let r = Result { try lesson.trace(recurrentScale: scale, recordSpectra: false) }
                results.set { $0.main = r }
            } else {
                var other = lesson
                other.skip = lesson.skip == nil ? 3 : nil
                let t = try? other.trace(recurrentScale: scale, recordJacobians: false, recordSpectra: false).1
                results.set { $0.comparison = t }
            }
        }
        return results.get { ($0.main ?? .failure(EngineError(problems: ["no trace"])), $0.comparison) }
    }
}
