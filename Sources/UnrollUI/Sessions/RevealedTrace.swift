import UnrollEngine
import UnrollLessons

/// The trace as the timeline has revealed it, with its words and the selection: what the graph, the rolled view,
/// the figures, the colour legend and the weights panel draw. Made from a ``Session`` (``Session/revealedTrace``)
/// or from a trained model's example (``TrainingBoard/example``), so a view never needs a whole session.
public struct RevealedTrace: Sendable {
    /// Every number drawn.
    public var trace: Trace<Double>
    /// The input words by column.
    public var inputLabels: [String]
    /// The target words by column (nil where a column has no target).
    public var targetLabels: [String?]
    /// The words fed back from the previous output by column (nil where none is).
    public var fedLabels: [String?]
    /// How far the trace is revealed.
    public var reveal: Reveal
    /// The selected layer: an index into `trace.layers`.
    public var selectedLayer: Int
    /// The column the inspector shows, kept in view.
    public var inspectedColumn: Int
    /// The unit whose label is highlighted under the selected node, if chosen; the equations show it.
    public var selectedUnit: Int?
    /// Pascanu's per-step factor of each layer (an index into `trace.layers`) that is a plain Elman layer, for the
    /// equations' bound line; empty when not known.
    public var elmanFactors: [ElmanFactor?]
    /// The output classes' words, the index of each its class (the output readout names them; `class k` past it).
    public var outputWords: [String]

    /// A revealed trace; the parameters are its properties.
    public init(
        trace: Trace<Double>, inputLabels: [String], targetLabels: [String?], fedLabels: [String?],
        reveal: Reveal, selectedLayer: Int, inspectedColumn: Int, selectedUnit: Int?, elmanFactors: [ElmanFactor?] = [],
        outputWords: [String] = []
    ) {
        self.trace = trace
        self.inputLabels = inputLabels
        self.targetLabels = targetLabels
        self.fedLabels = fedLabels
        self.reveal = reveal
        self.selectedLayer = selectedLayer
        self.inspectedColumn = inspectedColumn
        self.selectedUnit = selectedUnit
        self.elmanFactors = elmanFactors
        self.outputWords = outputWords
    }

    /// The selected layer and its step at the inspected column (what the inspector and the equations show).
    ///
    /// An encoder–decoder draws its encoder and its decoder layer of one depth on one row: at the encoder's
    /// columns that row is the encoder's layer, so the step shown is the encoder's (its own weights, no output),
    /// not nothing. Nil only when no layer of the selected row has a step there.
    public var inspected: (layer: LayerTrace<Double>, step: StepTrace<Double>)? {
        guard let i = inspectedLayer else { return nil }
        let layer = trace.layers[i]
        return layer.step(at: inspectedColumn).map { (layer, $0) }
    }

    /// The index in `trace.layers` of the layer ``inspected`` shows: the selected one, else the layer drawn on its
    /// row (same depth and direction, another segment) that has a step at the inspected column; nil when none has.
    public var inspectedLayer: Int? {
        guard trace.layers.indices.contains(selectedLayer) else { return nil }
        let selected = trace.layers[selectedLayer]
        let row = [selectedLayer] + trace.layers.indices.filter {
            trace.layers[$0].layer == selected.layer && trace.layers[$0].reverse == selected.reverse
        }
        return row.first { trace.layers[$0].step(at: inspectedColumn) != nil }
    }

    /// The unit whose numbers are shown for a step of a layer: `selectedUnit` when the layer has it, else
    /// the one with the largest |h_t| (the first of equals).
    public func unit(in layer: LayerTrace<Double>, step: StepTrace<Double>) -> Int {
        if let u = selectedUnit, u < layer.hiddenSize { return u }
        return Self.automaticUnit(step)
    }

    /// The unit a step's equations show when none is chosen: the one with the largest |h_t| (the first of equals).
    public static func automaticUnit(_ step: StepTrace<Double>) -> Int {
        let h = step.hidden.row(0)
        return h.indices.max { abs(h[$0]) < abs(h[$1]) } ?? 0
    }

    /// Pascanu's per-step factor of a layer when it is a plain Elman layer, else nil.
    public func elmanFactor(of layer: LayerTrace<Double>) -> ElmanFactor? {
        let i = trace.layers.firstIndex { $0.label == layer.label }
        return i.flatMap { elmanFactors.indices.contains($0) ? elmanFactors[$0] : nil }
    }

    /// Number of columns T.
    public var columns: Int { trace.columns }
    /// The current phase.
    var phase: Phase { reveal.phase }
    /// The current step.
    var step: Int { reveal.step }
    /// ``Reveal/isRevealed(layer:column:)``.
    func isRevealed(layer: LayerTrace<Double>, column: Int) -> Bool { reveal.isRevealed(layer: layer, column: column) }
    /// ``Reveal/isRevealed(column:)``.
    func isRevealed(column: Int) -> Bool { reveal.isRevealed(column: column) }
    /// ``Reveal/isOutputRevealed(column:in:)``.
    func isOutputRevealed(column: Int) -> Bool { reveal.isOutputRevealed(column: column, in: trace) }
    /// ``Reveal/gradientArrived(column:)``.
    func gradientArrived(column: Int) -> Bool { reveal.gradientArrived(column: column) }
}
