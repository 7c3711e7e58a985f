/// The keys of the step-through, in one table that the help overlay and docs/keys.md are written from.
public enum KeyMap {
    /// One binding: the keys shown to the user, what they do, and the action.
    public struct Binding<A: Sendable>: Sendable {
        /// The keys, as shown in help ("→ l").
        public var keys: String
        /// What the binding does.
        public var help: String
        /// The action.
        public var action: A

        /// A binding.
        public init(keys: String, help: String, action: A) {
            self.keys = keys
            self.help = help
            self.action = action
        }
    }

    /// Every binding, in the order help lists them.
    public static let bindings: [Binding<Action>] = [
        Binding(keys: "→ l", help: "step forward (into the backward phase after the last step)", action: .stepForward),
        Binding(keys: "← h", help: "step back", action: .stepBack),
        Binding(keys: "space", help: "play / pause (play stops at each caption)", action: .togglePlay),
        Binding(keys: "+ −", help: "play faster / slower (0.25 to 32 steps/s)", action: .faster),
        Binding(keys: "Home End g", help: "first / last step of the phase; g N: step N; g n N: caption N", action: .first),
        Binding(keys: "Tab b", help: "switch between forward and backward phase", action: .switchPhase),
        Binding(keys: "↑ ↓ k j", help: "select the layer above / below (or click a node)", action: .selectUp),
        Binding(keys: ". ,", help: "equations: next / previous unit (or click an inspector row)", action: .nextUnit),
        Binding(keys: "n p t", help: "next / previous caption; t: the whole caption", action: .nextCaption),
        Binding(
            keys: "1 2 3 4", help: "answer a question (→ twice: reveal; Backspace: take back)", action: .answer(0)),
        Binding(keys: "c", help: "cycle the cell: RNN, LSTM, GRU", action: .cycleCell),
        Binding(keys: "s", help: "skip connections on / off", action: .toggleSkip),
        Binding(keys: "] [", help: "scale W_hh up / down by 1.1 (spectral radius)", action: .scaleUp),
        Binding(keys: "x", help: "gradient clipping (global norm 1) on / off", action: .toggleClip),
        Binding(
            keys: "v", help: "compare gradients with skip connections toggled, on / off", action: .toggleSkipComparison),
        Binding(keys: "m", help: "gradient panel: total / last / inspected step's loss", action: .cycleGradient),
        Binding(keys: "u", help: "rolled (folded) view / unrolled graph", action: .toggleRolled),
        Binding(
            keys: "P I E", help: "presenter mode on / off; I, E: its inspector, equations", action: .togglePresenter),
        // One row for three keys: at 80x24 the help has no line to spare.
        Binding(keys: "r w i", help: "reseed; w: untrained weights on / off; i: next input", action: .reseed),
        Binding(keys: "0 z", help: "the lesson's model (undoes c s ] [ x v r m w i); z: last key", action: .restore),
        Binding(
            keys: "f F", help: "follow the presenter (class) / save the screen as SVG and text",
            action: .followPresenter),
        Binding(keys: "o ? q", help: "open another lesson (grouped by topic); this help; q quits", action: .openLessons)
    ]

    /// The action for a key, or nil when the key does nothing.
    public static func action(for key: Key) -> Action? {
        switch key {
        case .right, .character("l"): return .stepForward
        case .left, .character("h"): return .stepBack
        case .character(" "): return .togglePlay
        case .character("+"), .character("="): return .faster
        case .character("-"), .character("_"): return .slower
        case .home: return .first
        case .character("g"): return .goTo
        case .enter: return .confirm
        case .backspace: return .takeBack
        case .character("z"): return .undo
        case .character("t"): return .toggleCaptionText
        case .end, .character("G"): return .last
        case .tab, .backTab, .character("b"): return .switchPhase
        case .up, .character("k"): return .selectUp
        case .down, .character("j"): return .selectDown
        case .character("."), .character(">"): return .nextUnit
        case .character(","), .character("<"): return .previousUnit
        case .character("n"), .pageDown: return .nextCaption
        case .character("p"), .pageUp: return .previousCaption
        case .character("1"), .character("2"), .character("3"), .character("4"), .character("5"), .character("6"),
            .character("7"), .character("8"), .character("9"):
            if case .character(let c) = key, let n = c.wholeNumberValue { return .answer(n - 1) }
            return nil
        case .character("c"): return .cycleCell
        case .character("s"): return .toggleSkip
        case .character("]"): return .scaleUp
        case .character("["): return .scaleDown
        case .character("x"): return .toggleClip
        case .character("v"): return .toggleSkipComparison
        case .character("m"): return .cycleGradient
        case .character("u"): return .toggleRolled
        case .character("P"): return .togglePresenter
        case .character("I"): return .togglePresenterInspector
        case .character("E"): return .togglePresenterEquations
        case .character("r"): return .reseed
        case .character("w"): return .toggleWeights
        case .character("i"): return .nextInput
        case .character("0"): return .restore
        case .character("F"): return .saveFigure
        case .character("o"): return .openLessons
        case .character("f"): return .followPresenter
        case .character("S"): return .toggleSeats
        case .character("d"): return .dropSeat
        case .character("R"): return .writeResults
        case .character("?"), .function(1): return .toggleHelp
        case .character("q"), .character("Q"), .interrupt, .control("c"): return .quit
        case .escape: return .dismiss
        default: return nil
        }
    }
}
