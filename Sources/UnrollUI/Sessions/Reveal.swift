import UnrollEngine
import UnrollLessons

/// How far the step-through has revealed a trace: the phase, its step, and whether the gradients are there.
///
/// The small value the graph and the panels read instead of a whole ``Session``; the session makes it from its
/// position (``Session/reveal``), the training view from its fully revealed example.
public struct Reveal: Sendable, Equatable {
    /// The current phase.
    public var phase: Phase
    /// The current step (column) of the phase.
    public var step: Int
    /// Whether the trace on screen has its gradients (not the forward pass alone).
    public var hasGradients: Bool
    /// What an open question asks about (``UnrollLessons/QuestionReveal``), masked on screen until it is answered
    /// or revealed; nil when no question is open.
    public var hidden: QuestionReveal?

    /// What is revealed at `phase` and `step` of a trace with or without its gradients, with `hidden` masked.
    public init(phase: Phase, step: Int, hasGradients: Bool, hidden: QuestionReveal? = nil) {
        self.phase = phase
        self.step = step
        self.hasGradients = hasGradients
        self.hidden = hidden
    }

    /// Whether an open question asks about the gradients, so no gradient value is shown until it is answered.
    public var hidesGradients: Bool { hidden == .gradient }
    /// Whether no gradient value may be shown at all: in the forward phase (none has flowed yet) and while a
    /// question about the gradients is open.
    public var showsNoGradients: Bool { phase == .forward || hidesGradients || !hasGradients }
    /// What a masked value says.
    public static let mask = "hidden until the answer is revealed"

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

    /// Whether the output at a column is revealed: it needs every layer of `trace` below it, so in a
    /// bidirectional model both directions must have reached the column.
    public func isOutputRevealed(column: Int, in trace: Trace<Double>) -> Bool {
        guard phase == .forward else { return true }
        return trace.layers.allSatisfy { l in
            !l.columns.contains(column) || isRevealed(layer: l, column: column)
        }
    }

    /// Whether the gradient at a column has arrived in the backward phase (and is not masked by an open question).
    public func gradientArrived(column: Int) -> Bool {
        phase == .backward && column >= step && hasGradients && !hidesGradients
    }
}
