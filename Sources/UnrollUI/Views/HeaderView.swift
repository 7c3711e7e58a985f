import UnrollEngine
import UnrollLessons

/// The two header lines: lesson and phase; model, seed and W_hh diagnostics.
public enum HeaderView {
    /// What the header draws: the lesson's title, where the timeline is, the play speed and the model line.
    public struct Model: Sendable, Equatable {
        /// The lesson's title.
        public var title: String
        /// The phase and step.
        public var phase: Phase
        /// The step (0-based) and the number of columns.
        public var step: Int, columns: Int
        /// The play speed's words while playing, nil while paused.
        public var playing: String?
        /// The second line (``HeaderView/modelLine(_:)``).
        public var modelLine: String
    }

    /// Renders the header into `rect` (two lines).
    public static func render(_ s: Model, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard rect.height >= 1 else { return }
        let phase =
            s.phase == .forward
            ? " FORWARD \(theme.glyphs.arrowRight) " : " \(theme.glyphs.arrowLeft) BACKWARD THROUGH TIME "
        let right = "\(phase) step \(s.step + 1)/\(s.columns) " + (s.playing.map { "▶ \($0) " } ?? "")
        let rightText = theme.glyphs == .ascii ? right.replacingOccurrences(of: "▶", with: ">") : right
        // The badge is reversed: dark text on the colour. Magenta gives 4.48:1, under the projector's 4.5:1, so
        // the projector theme marks the backward phase in yellow (12:1).
        let backward: Color = theme.contrast == .projector ? .yellow : .magenta
        let phaseStyle = Style(foreground: s.phase == .forward ? .green : backward, attributes: [.bold, .reverse])
            .approximated(for: theme.colorMode)
        let rightX = rect.maxX - rightText.count
        canvas.put(" Unroll ", x: rect.x, y: rect.y, style: theme.title.adding(.reverse))
        canvas.put(
            " " + Format.fitted(s.title, width: max(0, rightX - rect.x - 10)), x: rect.x + 8, y: rect.y,
            style: theme.title, clip: Rect(x: rect.x, y: rect.y, width: max(0, rightX - rect.x - 1), height: 1))
        canvas.put(rightText, x: rightX, y: rect.y, style: phaseStyle)
        guard rect.height >= 2 else { return }
        // ASCII folds ρ to p, which reads as a p-value: spell it out.
        let line = theme.glyphs == .ascii ? s.modelLine.replacingOccurrences(of: "ρ=", with: "rho=") : s.modelLine
        canvas.put(fitted(line, width: rect.width - 2), x: rect.x + 1, y: rect.y + 1, style: theme.muted, clip: rect)
    }

    /// The leading " · "-separated parts of `line` that fit in `width` whole, so no part is cut mid-word.
    static func fitted(_ line: String, width: Int) -> String {
        Format.fittingItems(line.components(separatedBy: " · "), separator: " · ", width: width)
    }

    /// The bottom layer's W_hh spectrum: ρ and σmax of W_hh for an Elman layer; for an LSTM or GRU, whose
    /// W_hh is a stack of gate blocks, the block with the largest σmax, named (`W_hf`, `W_hn`, …).
    static func spectrumPart(_ s: Session) -> String? {
        guard let layer = s.trace.layers.first, let (name, r) = spectrum(of: layer, in: s.trace) else { return nil }
        let numbers =
            "ρ=\(Format.number(r.spectralRadius)) σmax=\(Format.number(r.largestSingularValue))"
        return name + " " + numbers + (name == "W_hh" ? "" : " (largest gate block)")
    }

    /// A layer's W_hh spectrum as the trace records it, with its name on screen: `W_hh` for an Elman layer; for an
    /// LSTM or GRU the gate block with the largest σmax (`W_hf`, `W_hn`, …). Nil when the spectra were not recorded.
    /// Blocks whose σmax agree to 1e-9 (a scaled orthogonal init gives every block the same) count as tied, and the
    /// first in gate order is named: which of them is larger in the last bits depends on the LAPACK kernel.
    static func spectrum(of layer: LayerTrace<Double>, in trace: Trace<Double>) -> (String, RecurrentSpectrum)? {
        if let r = trace.spectrum(of: layer) { return ("W_hh", r) }
        let stem = layer.recurrentWeightName + "["
        let blocks = trace.recurrent.filter { $0.name.hasPrefix(stem) }
        guard let top = blocks.map(\.largestSingularValue).max(),
            let r = blocks.first(where: { $0.largestSingularValue >= top * (1 - 1e-9) })
        else { return nil }
        return ("W_h" + r.name.dropFirst(stem.count).prefix { $0 != "]" }, r)
    }

    /// The model summary: cell, layers, sizes, skip, direction, configuration, seed, W_hh spectrum, clipping, loss.
    public static func modelLine(_ s: Session) -> String {
        let spec = s.trace.spec
        var parts: [String] = []
        // What `w` and `i` change comes first, so that no width drops it: the model is not the trained one, or the
        // input is one it never saw.
        let lab = s.results.lab
        if lab.showsUntrained { parts.append("untrained (initial weights)") }
        if lab.settings.input > 0 {
            parts.append("held-out input \(lab.settings.input + 1)/\(lab.lesson.heldOut.count + 1), never trained on")
        }
        parts.append(Session.name(of: spec.cell) + (spec.cell == .rnn ? " " + spec.activation.rawValue : ""))
        let sizes = spec.hiddenSizes.map(String.init).joined(separator: ",")
        parts.append(spec.layerCount == 1 ? "H=\(sizes)" : "\(spec.layerCount) layers H=\(sizes)")
        parts.append(spec.skip.map { "skip k=\($0)" } ?? "no skip")
        if spec.bidirectional { parts.append("bidirectional") }
        parts.append(spec.configuration.rawValue)
        if spec.deep != DeepTransition() {
            parts.append("deep \(spec.deep.input)/\(spec.deep.transition)/\(spec.deep.output)")
        }
        parts.append("seed \(s.current.seed)")
        if let spectrum = spectrumPart(s) { parts.append(spectrum) }
        // What an open question asks about is masked here too: the parameter count, the clipped gradient norm.
        let reveal = s.reveal
        parts.append(reveal.hidden == .parameters ? "params hidden" : "\(s.results.parameterCount) params")
        let clipped = reveal.showsNoGradients ? nil : GradientView.clipText(s.trace.clip)
        switch s.trace.options.clipping {
        case .none: parts.append("clip off")
        case .norm(let v): parts.append(clipped ?? "clip ‖g‖≤\(Format.number(v))")
        case .value(let v): parts.append(clipped ?? "clip |g|≤\(Format.number(v))")
        }
        parts.append("loss \(Format.number(s.trace.loss))")
        return parts.joined(separator: " · ")
    }
}

/// The narration line(s).
public enum CaptionView {
    /// What the caption area draws: the caption here (or the lesson's summary), whether it holds for the model on
    /// screen, and the question here with its answers.
    public struct Model: Sendable {
        /// The caption for the phase and step, if the lesson has one.
        public var caption: Caption?
        /// The lesson's summary, shown between captions.
        public var summary: String
        /// Whether the model on screen is the lesson's own, so the caption holds.
        public var holds: Bool
        /// The question here (its caption index and the question), if asked.
        public var question: (index: Int, question: Question)?
        /// The choice taken at the question (nil: not answered; `.some(nil)`: revealed without an answer).
        public var answered: Int??
        /// What the screen shows of a class.
        public var classBoard: ClassBoard?
    }

    /// Renders the current caption, wrapped over the rect's lines.
    public static func render(_ s: Model, theme: Theme, into canvas: inout Canvas, _ rect: Rect, whole: Bool = false) {
        // A caption (or, between captions, the lesson's summary) is written for the lesson's own model: after a
        // model key its numbers may no longer hold, so it is dimmed and says so, with the key that brings it back.
        let holds = s.holds
        guard let c = s.caption else {
            let summary = holds ? s.summary : staleMark + " " + s.summary
            for (i, line) in wrap(summary, width: rect.width - 2, lines: rect.height).enumerated() {
                canvas.put(" " + line, x: rect.x, y: rect.y + i, style: theme.muted, clip: rect)
            }
            return
        }
        let text = holds ? "» " + c.text : staleMark + " " + c.text
        let asked = questionLines(s, theme: theme, width: rect.width - 2, whole: whole)
        // Short of lines, the question comes before the caption's own text (and the why is cut last, with …).
        let lines = wrap(
            text, width: rect.width - 2, lines: asked.isEmpty ? rect.height : max(0, rect.height - asked.count))
        let all = lines.map { ($0, holds ? theme.text : theme.muted) } + asked
        for (i, (line, style)) in all.prefix(rect.height).enumerated() {
            canvas.put(" " + line, x: rect.x, y: rect.y + i, style: style, clip: rect)
        }
    }

    /// The lines of the question at the session's step, if any: the question, its numbered choices (on one line
    /// when they fit), and once answered the right one marked and why; each with its style.
    static func questionLines(_ s: Model, theme: Theme, width: Int, whole: Bool = false) -> [(String, Style)] {
        guard let (_, q) = s.question else { return [] }
        let lines = questionLines(q, s, theme: theme, width: width, whole: whole)
        // Like its caption, a question (its choices, marks and why) is written for the lesson's own model: after a
        // model key it is dimmed, and marked with the key that brings that model back.
        return s.holds ? lines : lines.map { ($0.0, theme.muted) }
    }

    /// ``questionLines(_:theme:width:whole:)`` in the styles of the lesson's own model, the stale mark before the question
    /// when the model on screen is another.
    private static func questionLines(
        _ q: Question, _ s: Model, theme: Theme, width: Int, whole: Bool
    ) -> [(String, Style)] {
        let answered = s.answered
        let asked = (s.holds ? "? " : staleMark + " ? ") + q.text
        var out = wrap(asked, width: width, lines: whole ? Int.max : (s.holds ? 2 : 3)).map { ($0, theme.title) }
        let own = answered == nil ? s.classBoard?.ownChoice : nil
        let choices = q.choices.enumerated().map { k, choice -> (String, Style) in
            var t = "\(k + 1)) \(choice)"
            guard let answered else { return own == k ? (t + " [your answer]", theme.title) : (t, theme.text) }
            if k == q.answer {
                t += answered == k ? " [right: your answer]" : " [right]"
                return (t, theme.title)
            }
            if answered == k { return (t + " [your answer]", theme.warning) }
            return (t, theme.muted)
        }
        let oneLine = choices.map(\.0).joined(separator: "   ")
        if answered != nil, let histogram = s.classBoard?.histogram, histogram.count == choices.count {
            out += histogramLines(choices, histogram, theme: theme, width: width)
        } else if answered == nil && oneLine.count <= width {
            out.append((oneLine, theme.text))
        } else if oneLine.count <= width {
            // Answered and still one line: the marks say which is which, the style follows the right one.
            out.append((oneLine, theme.title))
        } else {
            out += choices.map { (Format.fitted($0.0, width: width), $0.1) }
        }
        if answered != nil {
            out += wrap("Why: " + q.why, width: width, lines: whole ? Int.max : 3).map { ($0, theme.text) }
        }
        return out
    }

    /// A revealed question's choices with the class's answers (a class's presenter): a line per choice, its count, its
    /// share of all answers in per cent and a bar of that share (a full bar: every answer), then a legend with the total.
    static func histogramLines(
        _ choices: [(String, Style)], _ histogram: [Int], theme: Theme, width: Int
    ) -> [(String, Style)] {
        let most = histogram.max() ?? 0, total = histogram.reduce(0, +)
        let countWidth = String(most).count
        // Whole labels ("3) about 50 times smaller [right: your answer]") before long bars: a bar keeps 10 cells.
        let labelWidth = min(choices.map(\.0.count).max() ?? 0, max(10, width - countWidth - 7 - 10))
        let barWidth = max(1, min(30, width - labelWidth - countWidth - 7))
        var out = zip(choices, histogram).map { choice, n -> (String, Style) in
            let label = Format.fitted(choice.0, width: labelWidth)
            let count = String(repeating: " ", count: max(0, countWidth - String(n).count)) + String(n)
            let percent = total > 0 ? (n * 100 + total / 2) / total : 0
            let share = String(repeating: " ", count: 3 - String(percent).count) + "\(percent)%"
            let line =
                label + String(repeating: " ", count: max(0, labelWidth - label.count)) + " " + count + " " + share
                + " " + ClassBoard.bar(n, of: total, width: barWidth)
            return (line, choice.1)
        }
        out.append(
            ("the class answered: \(total) answer\(total == 1 ? "" : "s"); a full bar is all of them", theme.muted))
        return out
    }

    /// The caption area's lines at `width`: `normal` without a question, else enough for the caption's first line
    /// and the question, at most `limit`.
    public static func height(_ s: Model, width: Int, normal: Int, limit: Int) -> Int {
        let asked = questionLines(s, theme: Theme(colorMode: .monochrome, glyphs: .unicode), width: width - 2).count
        return asked == 0 ? normal : min(max(normal, limit), max(normal, 1 + asked))
    }

    /// The caption (or summary), its question and answer whole, in a box over the screen (`t`): what the caption
    /// area cut with "…" at a small size. Cut only when even the whole screen has too few lines.
    public static func renderWhole(_ s: Model, theme: Theme, into canvas: inout Canvas) {
        let width = min(canvas.width - 4, 100)
        let text = s.caption.map { (s.holds ? "» " : staleMark + " ") + $0.text } ?? s.summary
        let asked = questionLines(s, theme: theme, width: width - 4, whole: true).count
        let lines = wrap(text, width: width - 4, lines: Int.max).count + asked
        let height = min(canvas.height - 2, lines + 2)
        let box = Rect(
            x: (canvas.width - width) / 2, y: max(0, (canvas.height - height) / 2), width: width, height: height)
        canvas.fill(box, with: .blank)
        canvas.drawBox(box, glyphs: theme.glyphs, style: theme.border, title: "Caption · t or Esc closes")
        render(s, theme: theme, into: &canvas, box.insetBy(dx: 1, dy: 1), whole: true)
    }

    /// What precedes a caption shown over a model that is not the lesson's own.
    public static let staleMark = "[for the lesson's own model: press 0]"

    /// Words of `text` wrapped to `width`, at most `lines` lines. When cut, the last line ends after a whole word
    /// with "…" (``Format/fitted(_:width:)``); only a single word wider than a line is abbreviated.
    public static func wrap(_ text: String, width: Int, lines: Int) -> [String] {
        guard width > 1, lines > 0 else { return [] }
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                out.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { out.append(line) }
        if out.count > lines {
            out = Array(out.prefix(lines))
            // The last line's words and a cut mark: "… at steps 9 and 10 reach…" never ends in half a word.
            let last = out[lines - 1]
            out[lines - 1] = last.count < width ? last + "…" : Format.fitted(last + " …", width: width)
        }
        return out.map { Format.fitted($0, width: width) }
    }

    /// Whether `wrap` cuts `text` at `width` and `lines`.
    public static func isCut(_ text: String, width: Int, lines: Int) -> Bool {
        guard width > 1, lines > 0 else { return !text.isEmpty }
        return wrap(text, width: width, lines: Int.max).count > lines
    }
}

/// The bottom line: the last notice, else the key hint.
public enum StatusView {
    /// The one-line key hint.
    public static let hint =
        "←→ step  space play  Tab phase  ↑↓ layer  n/p caption  c cell  o lessons  s skip  [ ] W_hh  x clip  u roll  ? help  q quit"

    /// The key hint in presenter mode.
    public static let presenterHint =
        "P leave presenter  I inspector  E equations  ←→ step  space play  Tab phase  ↑↓ layer  n/p caption  ? help  q quit"

    /// What the status line draws: a class's line, then what is computing, the last notice, what the open
    /// question asks, or the key hint.
    public struct Model: Sendable {
        /// Presenter mode (its own hint).
        public var presenting: Bool
        /// The question held open at this step, if any.
        public var openQuestion: Question?
        /// What the screen shows of a class.
        public var classBoard: ClassBoard?
        /// What the status line says while a change is computed.
        public var computingText: String?
        /// The last notice.
        public var notice: String?
        /// Whether `o` opens the lesson picker (not side by side or in a class): the hint names it only then.
        public var opensLessons = true
        /// Where `q` leaves to: "quit", or "training" in the training view's step-through.
        public var quitsTo = "quit"
    }

    /// Renders the status line.
    public static func render(_ s: Model, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        var hint =
            s.presenting
            ? presenterHint : s.opensLessons ? hint : hint.replacingOccurrences(of: "  o lessons", with: "")
        if s.quitsTo != "quit" { hint = hint.replacingOccurrences(of: "q quit", with: "q \(s.quitsTo)") }
        let asking = s.openQuestion.map {
            s.classBoard?.asking ?? "the class answers first: keys 1–\($0.choices.count) (→ twice reveals unanswered)"
        }
        var rect = rect
        if let board = s.classBoard {
            // A class: its line first (the room's code and counts, or whether this student follows), then the rest.
            let line = " " + Format.fitted(board.line, width: min(rect.width - 1, max(44, rect.width - 13))) + " │"
            canvas.put(line, x: rect.x, y: rect.y, style: board.warns ? theme.warning : theme.title, clip: rect)
            let used = min(rect.width, line.count)
            rect = Rect(x: rect.x + used, y: rect.y, width: rect.width - used, height: rect.height)
            if rect.width < 2 { return }
        }
        if let n = s.computingText ?? s.notice ?? asking {
            canvas.put(
                " " + Format.fitted(n, width: rect.width - 1), x: rect.x, y: rect.y, style: theme.warning, clip: rect)
        } else {
            let text =
                theme.glyphs == .ascii
                ? hint.replacingOccurrences(of: "←→", with: "<- ->").replacingOccurrences(of: "↑↓", with: "up/dn")
                : hint
            canvas.put(
                " " + keyBar(text.components(separatedBy: "  "), width: rect.width - 1), x: rect.x, y: rect.y,
                style: theme.muted, clip: rect)
        }
    }
}

extension StatusView {
    /// Whole hints of `items`, as many as fit in `width` from the first, and always the last two (`? help` and
    /// `q quit`): the way out and the way to every other key stay on the bar at 80 columns.
    static func keyBar(_ items: [String], separator: String = "  ", width: Int) -> String {
        let kept = items.suffix(2).joined(separator: separator)
        let rest = Format.fittingItems(
            Array(items.dropLast(2)), separator: separator, width: width - kept.count - separator.count)
        return rest.isEmpty ? kept : rest + separator + kept
    }
}

/// The help overlay: every key binding.
public enum HelpView {
    /// Renders the overlay of `bindings` (by default the step-through's) centred in `rect`, with `footer` below.
    public static func render<A>(
        theme: Theme, into canvas: inout Canvas, _ rect: Rect,
        bindings: [KeyMap.Binding<A>] = KeyMap.bindings,
        footer: String = HelpView.footer
    ) {
        let rows = bindings.map { b in (theme.glyphs == .ascii ? asciiKeys(b.keys) : b.keys, b.help) }
        let notes = footer.split(separator: "\n").map(String.init)
        let keyWidth = rows.map(\.0.count).max() ?? 0
        let widest = max(keyWidth + 3 + (rows.map(\.1.count).max() ?? 0), notes.map(\.count).max() ?? 0)
        let w = min(rect.width - 2, max(40, widest + 4))
        // Every binding fits at 24 rows: the box may take the whole height; the footer's lines take what is left.
        let h = min(rect.height, rows.count + 3 + notes.count)
        let box = Rect(x: rect.x + (rect.width - w) / 2, y: rect.y + (rect.height - h) / 2, width: w, height: h)
        canvas.fill(box, with: .blank)
        canvas.drawBox(box, glyphs: theme.glyphs, style: theme.border, title: "Keys")
        // When the bindings need every line (80x24), the footer gives its lines to them.
        let footerLines = max(0, min(notes.count, h - 3 - rows.count))
        for (i, (keys, help)) in rows.enumerated() where i + 2 < h - footerLines {
            let y = box.y + 1 + i
            canvas.put(keys, x: box.x + 2, y: y, style: theme.title)
            canvas.put(help, x: box.x + 3 + keyWidth, y: y, style: theme.text, clip: box.insetBy(dx: 1, dy: 1))
        }
        for (i, line) in notes.prefix(footerLines).enumerated() {
            canvas.put(
                line, x: box.x + 2, y: box.maxY - 1 - footerLines + i, style: theme.muted,
                clip: box.insetBy(dx: 1, dy: 1))
        }
    }

    /// The step-through's footer: the mouse, closing the overlay, and the flags a teacher reaches for.
    public static let footer = """
        Mouse: click a node or an inspector row. Esc or ? closes.
        Side by side: unroll lesson NAME --versus lstm|gru|skip=3|LESSON
        Presenter: P or --presenter; projector colours: --theme projector
        """

    /// Key names in ASCII.
    static func asciiKeys(_ s: String) -> String {
        s.replacingOccurrences(of: "→", with: "Right").replacingOccurrences(of: "←", with: "Left")
            .replacingOccurrences(of: "↑", with: "Up").replacingOccurrences(of: "↓", with: "Down")
            .replacingOccurrences(of: "−", with: "-")
    }
}
