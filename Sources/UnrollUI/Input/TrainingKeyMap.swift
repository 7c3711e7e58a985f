/// The keys of the training view, in one table that its help overlay and docs/keys.md are written from.
public enum TrainingKeyMap {
    /// Every binding, in the order help lists them.
    public static let bindings: [KeyMap.Binding<TrainingAction>] = [
        .init(keys: "space", help: "pause / resume training", action: .togglePause),
        .init(keys: ". s", help: "one iteration (pauses first)", action: .stepOnce),
        .init(keys: "] [", help: "learning rate up / down (1, 2, 5 steps)", action: .learningRateUp),
        .init(keys: "x", help: "clipping: off, norm 10, norm 1, norm 0.1, value 0.1", action: .cycleClipping),
        .init(keys: "Tab", help: "show the other model's example and gradients", action: .nextRun),
        .init(keys: "← → h l", help: "inspect the example's previous / next step", action: .exampleLeft),
        .init(keys: "r", help: "restart from fresh weights", action: .restart),
        .init(keys: "< >", help: "training speed: 1 to 100 iterations/s, or full", action: .slower),
        .init(keys: "} {", help: "sample temperature up / down (0 = most likely character)", action: .temperatureUp),
        .init(keys: "i", help: "type the prime samples start from (Enter keeps, Esc cancels)", action: .editPrime),
        .init(keys: "o", help: "step through the weights now on a typed text (q returns)", action: .openStepThrough),
        .init(keys: "?", help: "this help", action: .toggleHelp),
        .init(keys: "q", help: "quit", action: .quit)
    ]

    /// The action for a key, or nil when the key does nothing here. While the prime is being typed
    /// (`typingPrime`), printable characters, Backspace, Enter and Esc edit it, and Ctrl-C still quits.
    public static func action(for key: Key, typingPrime: Bool = false) -> TrainingAction? {
        if typingPrime {
            switch key {
            case .character(let c): return .primeCharacter(c)
            case .backspace: return .primeBackspace
            case .enter: return .primeAccept
            case .escape: return .primeCancel
            case .interrupt, .control("c"): return .quit
            default: return nil
            }
        }
        switch key {
        case .character(" "), .character("p"): return .togglePause
        case .character("."), .character("s"): return .stepOnce
        case .character("]"), .character("+"), .character("="): return .learningRateUp
        case .character("["), .character("-"), .character("_"): return .learningRateDown
        case .character("x"): return .cycleClipping
        case .tab, .backTab: return .nextRun
        case .character("l"), .right: return .exampleRight
        case .character("h"), .left: return .exampleLeft
        case .character("r"): return .restart
        case .character("<"), .character(","): return .slower
        case .character(">"): return .faster
        case .character("}"): return .temperatureUp
        case .character("{"): return .temperatureDown
        case .character("i"): return .editPrime
        case .character("o"): return .openStepThrough
        case .character("?"), .function(1): return .toggleHelp
        case .character("q"), .character("Q"), .interrupt, .control("c"): return .quit
        case .escape: return .dismiss
        default: return nil
        }
    }
}
