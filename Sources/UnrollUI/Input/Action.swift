/// Everything a teacher or student can do in the step-through, whatever key or click asked for it.
public enum Action: Hashable, Sendable {
    /// Advance one step (forward, then on into the backward phase).
    case stepForward
    /// Go back one step.
    case stepBack
    /// Start or stop playing.
    case togglePlay
    /// Play faster.
    case faster
    /// Play slower.
    case slower
    /// The first step of the current phase.
    case first
    /// The last step of the current phase.
    case last
    /// The same step in the other phase.
    case switchPhase
    /// Select the layer above.
    case selectUp
    /// Select the layer below.
    case selectDown
    /// Select the node of a layer (index into the trace's layers) at a column.
    case select(layer: Int, column: Int)
    /// Show the equations for this unit (0-based) of the selected layer: a click on an inspector row.
    case selectUnit(Int)
    /// Show the equations for the next unit (wrapping round), starting from the one shown.
    case nextUnit
    /// Show the equations for the previous unit (wrapping round).
    case previousUnit
    /// Next cell type: RNN → LSTM → GRU → RNN.
    case cycleCell
    /// Skip connections on or off.
    case toggleSkip
    /// Multiply W_hh by 1.1.
    case scaleUp
    /// Multiply W_hh by 1/1.1.
    case scaleDown
    /// Gradient clipping (global norm 1) on or off.
    case toggleClip
    /// The gradient panel's comparison with the same model with skip connections toggled, on or off.
    case toggleSkipComparison
    /// The gradient panel's loss: total → last → the loss at the inspected step → total.
    case cycleGradient
    /// The rolled (folded) view or the unrolled graph.
    case toggleRolled
    /// Draw new initial weights (seed + 1).
    case reseed
    /// The lesson's trained weights or the initial weights training started from (`w`).
    case toggleWeights
    /// The next input: the lesson's own sentence, then each held-out input (`i`).
    case nextInput
    /// Back to the lesson's own model and settings (cell, skip, seed, W_hh scale, clipping, comparison).
    case restore
    /// The next caption of the narration.
    case nextCaption
    /// The previous caption.
    case previousCaption
    /// Presenter mode on or off (view only: nothing is recomputed).
    case togglePresenter
    /// The inspector in presenter mode, shown or hidden.
    case togglePresenterInspector
    /// The equations in presenter mode, shown or hidden.
    case togglePresenterEquations
    /// Answer the question of the narration at this step with a choice (0-based; the keys 1–4).
    case answer(Int)
    /// The help overlay.
    case toggleHelp
    /// Close the help overlay (Esc).
    case dismiss
    /// In a class (`unroll join`): follow the presenter again, at once at the presenter's current state.
    case followPresenter
    /// Go to a step: the number typed next (`g`, then digits; Enter jumps, Esc cancels; `g` again: the first step).
    case goTo
    /// Enter: the step number typed after `g`.
    case confirm
    /// Backspace: the last digit typed after `g`, else the answer given at the question here (asked again).
    case takeBack
    /// The model before the last model key (`c s ] [ x v r m w i 0`); again: the model undone.
    case undo
    /// The whole caption, its question and answer in an overlay, when the caption area cuts them.
    case toggleCaptionText
    /// Write the screen as a figure (SVG and text) in the current folder (``Session/Effect/saveFigure(name:title:)``).
    case saveFigure
    /// Open the lesson picker (`o`): another lesson in place of this one, without quitting.
    case openLessons
    /// In a class (`unroll present`): the seat list (who joined, from where, when), shown or hidden (`S`).
    case toggleSeats
    /// In the presenter's seat list: drop the chosen follower (`d`).
    case dropSeat
    /// In a class (`unroll present`): write every question's answers so far to the results file now (`R`).
    case writeResults
    /// Quit.
    case quit
    /// A timer tick while playing.
    case tick
    /// A model change has been computing for the event loop's notice delay (50 ms): say so on screen.
    case computingTimeout
}
