import UnrollLessons

/// A lecturer's controls (issue 22): `g` and a step number, `z` to undo the last model key, Backspace to take an
/// answer back, `t` for the whole caption.
extension Session {
    /// A key while a step number is typed after `g`: a digit (the keys 1–9 and 0) adds to it, Enter jumps, Backspace
    /// takes a digit back, Esc cancels, `g` again goes to the first step. Any other key ends the typing and acts as
    /// usual (play's ticks and the computing notice leave it as it is).
    /// - Returns: whether the key was taken.
    mutating func typeStep(_ action: Action) -> Bool {
        // "n" first: the number names a caption (`g n 3`), in the order the timeline reaches them.
        let captions = goingTo?.hasPrefix(Self.captionMark) == true
        let typed = String((goingTo ?? "").drop { String($0) == Self.captionMark })
        let count = captions ? captionPositions.count : columns
        let digit: Int
        switch action {
        case .answer(let k): digit = k + 1
        case .restore: digit = 0
        case .nextCaption where typed.isEmpty && !captions:
            guard !captionPositions.isEmpty else {
                goingTo = nil
                say(Notice.noCaption(later: true, narration: false))
                return true
            }
            goingTo = Self.captionMark
            return true
        case .confirm:
            goingTo = nil
            let n = typed.isEmpty ? 1 : Int(typed) ?? 0
            if captions { jump(toCaption: n) } else { jump(to: n) }
            return true
        case .takeBack:
            goingTo = (captions ? Self.captionMark : "") + String(typed.dropLast())
            return true
        case .dismiss:
            goingTo = nil
            say(captions ? "go to caption: cancelled" : "go to step: cancelled")
            return true
        case .goTo:
            goingTo = nil
            jump(to: 1)
            return true
        case .tick, .computingTimeout: return false
        default:
            goingTo = nil
            return false
        }
        guard (0...9).contains(digit), typed.count < 6 else { return true }
        let number = typed + String(digit)
        // Once no further digit could name a step (or caption), the number jumps at once ("g 7" in a lesson of 12
        // steps waits for Enter or a second digit; "g 2" in one of 12 steps does not).
        if let n = Int(number), n * 10 > count {
            goingTo = nil
            if captions { jump(toCaption: n) } else { jump(to: n) }
        } else {
            goingTo = (captions ? Self.captionMark : "") + number
        }
        return true
    }

    /// What starts ``goingTo`` when the number typed names a caption (`g n`).
    static let captionMark = "n"

    /// The timeline positions of the captions, in the order stepping reaches them (each position once).
    var captionPositions: [Int] { Array(Set(current.captions.filter(isShown).map { position(of: $0) })).sorted() }

    /// The caption `n` (1-based, in timeline order), or a notice when the lesson has no such caption.
    private mutating func jump(toCaption n: Int) {
        let positions = captionPositions
        guard positions.indices.contains(n - 1) else {
            say("no caption \(n): this lesson has captions 1–\(positions.count)")
            return
        }
        position = positions[n - 1]
        selectedColumn = nil
        let phase = phase == .forward ? "forward" : "backward"
        say("caption \(n) of \(positions.count): step \(step + 1) of the \(phase) phase")
    }

    /// The step `n` (1-based) of the current phase, or a notice when the lesson has no such step.
    private mutating func jump(to n: Int) {
        guard (1...max(1, columns)).contains(n) else {
            say("no step \(n): this lesson has steps 1–\(columns)")
            return
        }
        position = phase == .forward ? n - 1 : 2 * columns - n
        selectedColumn = nil
        say("step \(n) of \(columns), \(phase == .forward ? "forward" : "backward") phase")
    }

    /// `g`, Enter, Backspace and `t` outside typing a step number.
    mutating func lecturerKey(_ action: Action) {
        switch action {
        case .goTo: goingTo = ""
        case .confirm: say("Enter ends a step number: g, the number, Enter")
        case .takeBack: takeBackAnswer()
        case .toggleCaptionText: showingCaptionText.toggle()
        default: break
        }
    }

    /// Backspace at a question answered (or revealed) by mistake: the question is open again, its answer hidden.
    private mutating func takeBackAnswer() {
        guard let (i, q) = questionHere, answers[i] != nil else {
            say("Backspace takes back the answer at a question: none is answered here")
            return
        }
        answers[i] = nil
        heldAtQuestion = false
        say("answer taken back: the question is open again, answer with 1–\(q.choices.count)")
    }

    /// `z`: the model before the last model key; `z` again redoes it.
    mutating func undoModelKey() -> [Effect] {
        guard let before = undoSettings else {
            say("nothing to undo: z undoes the last of c s ] [ x v r m w i 0")
            return []
        }
        let now = lab.settings
        let effects = change(.undo) { $0.settings = before }
        if !effects.isEmpty { undoSettings = now }
        return effects
    }
}

extension Session.Notice {
    /// The status line while a step number is typed after `g`.
    static func goingTo(_ typed: String, of columns: Int, captions: Int) -> String {
        if typed.hasPrefix(Session.captionMark) {
            let number = typed.dropFirst(Session.captionMark.count)
            return "go to caption \(number.isEmpty ? "_" : number) of 1–\(captions): "
                + "type the number, Enter jumps, Esc cancels"
        }
        return "go to step \(typed.isEmpty ? "_" : typed) of 1–\(columns): type the number (n first: a caption), "
            + "Enter jumps, Esc cancels"
    }

    /// The model `z` went back to.
    static func undone(_ s: LabSettings) -> String {
        var parts = [Session.name(of: s.cell), "seed \(s.seed)", "W_hh × \(Format.number(s.recurrentScale))"]
        parts.append(s.skip.map { "skip \($0)" } ?? "no skip")
        if s.clipping { parts.append("clipping on") }
        if s.untrained { parts.append("untrained") }
        if s.input > 0 { parts.append("held-out input \(s.input + 1)") }
        return "undone: " + parts.joined(separator: ", ") + " (z again redoes)"
    }
}
