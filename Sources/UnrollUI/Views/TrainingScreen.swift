import UnrollEngine
import UnrollLessons

/// The training view: loss curves against the task's baseline, accuracy, gradient-norm history
/// before and after clipping, and the example unrolled with the current weights together with
/// its per-step gradient norms.
public enum TrainingScreen {
    /// Where each panel goes at a given size.
    public struct Layout: Sendable, Equatable {
        /// Title, task and settings.
        public var header: Rect
        /// One line of figures per model.
        public var figures: Rect
        /// The loss curves.
        public var loss: Rect
        /// Gradient norm per iteration, before and after clipping.
        public var norms: Rect
        /// The example's unrolled graph.
        public var graph: Rect
        /// ‖∂L_T/∂h_t‖ of the example per step, L_T the last loss step's loss.
        public var steps: Rect
        /// Text the models wrote, newest first (empty unless the task is characters).
        public var samples: Rect
        /// The key hint or notice.
        public var status: Rect
    }

    /// The glyph of run `i`'s points.
    public static func glyph(_ i: Int) -> Character { i == 0 ? "•" : "×" }

    /// The style of run `i`'s points and label.
    public static func style(_ i: Int, theme: Theme) -> Style {
        switch theme.colorMode {
        case .monochrome: return i == 0 ? Style(attributes: .bold) : .plain
        case .color8: return Style(foreground: i == 0 ? .cyan : .magenta, attributes: .bold)
        case .color256: return Style(foreground: .indexed(i == 0 ? 39 : 208), attributes: .bold)
        }
    }

    /// The layout for `width × height` with `runs` models, with room for samples when `samples`.
    public static func layout(width: Int, height: Int, runs: Int, samples: Bool = false) -> Layout {
        let header = Rect(x: 0, y: 0, width: width, height: 2)
        let figures = Rect(x: 0, y: 2, width: width, height: max(1, runs))
        let status = Rect(x: 0, y: height - 1, width: width, height: 1)
        // Samples: a title and at least two lines, a quarter of the lines beyond 80×24's.
        let samplesH = samples ? 3 + max(0, status.y - figures.maxY - 19) / 4 : 0
        let room = status.y - figures.maxY - samplesH
        // At 80×24 (one model): plots 10 lines (6 rows of points), graph 4, per-step norms 5; extra lines
        // go half to the plots, and the plots give up the lines the samples take there.
        let extra = room - 19
        let plotH = 10 + (extra < 0 ? extra : extra / 2)
        let graphH = 4 + max(0, extra) / 4
        let stepsH = room - plotH - graphH
        let plots = figures.maxY
        let lossW = width * 11 / 20
        return Layout(
            header: header, figures: figures,
            loss: Rect(x: 0, y: plots, width: lossW, height: plotH),
            norms: Rect(x: lossW, y: plots, width: width - lossW, height: plotH),
            graph: Rect(x: 0, y: plots + plotH, width: width, height: graphH),
            steps: Rect(x: 0, y: plots + plotH + graphH, width: width, height: stepsH),
            samples: Rect(x: 0, y: status.y - samplesH, width: width, height: samplesH),
            status: status)
    }

    /// The training view's key bar (whole items as they fit; `? help` and `q quit` always).
    static let hint =
        "space train/pause · . one iteration · [ ] rate · x clip · Tab model · r restart · ? help · q quit"

    /// Renders the board into a canvas of `width × height`.
    public static func render(_ board: TrainingBoard, theme: Theme, width: Int, height: Int) -> Canvas {
        var canvas = Canvas(width: width, height: height)
        guard width >= Screen.minimumWidth, height >= Screen.minimumHeight else {
            Screen.renderTooSmall(into: &canvas, theme: theme)
            return theme.painted(theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas)
        }
        let s = board.snapshot
        let l = layout(width: width, height: height, runs: s.runs.count, samples: s.vocabulary != nil)
        renderHeader(board, theme: theme, into: &canvas, l.header)
        renderFigures(board, theme: theme, into: &canvas, l.figures)
        renderLoss(s, theme: theme, into: &canvas, l.loss)
        renderNorms(board, theme: theme, into: &canvas, l.norms)
        renderExample(board, theme: theme, into: &canvas, l.graph)
        renderSteps(board, theme: theme, into: &canvas, l.steps)
        renderSamples(board, theme: theme, into: &canvas, l.samples)
        if let draft = board.primeDraft {
            renderPrimeEditor(
                draft, opens: board.draftOpensStepThrough, notice: board.notice, theme: theme, into: &canvas, l.status)
        } else {
            let keys =
                s.vocabulary == nil
                ? Self.hint
                : Self.hint.replacingOccurrences(of: " · ? help", with: " · { } temperature · i prime · o step through · ? help")
            let hint =
                board.notice.map { Format.fitted($0, width: width) }
                ?? StatusView.keyBar(keys.components(separatedBy: " · "), separator: " · ", width: width)
            canvas.put(
                hint, x: 0, y: l.status.y, style: board.notice == nil ? theme.muted : theme.highlight, clip: l.status)
        }
        if board.showingHelp {
            HelpView.render(
                theme: theme, into: &canvas, canvas.bounds, bindings: TrainingKeyMap.bindings,
                footer: "Training runs on its own thread. Esc or ? closes.")
        }
        return theme.painted(theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas)
    }

    static func renderHeader(_ board: TrainingBoard, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let s = board.snapshot
        let c = board.control
        let state: (String, Style)
        switch s.state {
        case .running: state = ((theme.glyphs == .unicode ? "▶ " : "> ") + "training", theme.title)
        case .paused: state = ("paused", theme.warning)
        case .finished: state = ("finished", theme.title)
        case .failed: state = ("stopped", theme.warning)
        }
        let done = s.runs.map { $0.points.last?.iteration ?? 0 }.max() ?? 0
        let right = "\(state.0)  iteration \(done)/\(s.iterations)"
        let rightX = rect.maxX - right.count
        // Whole words of the title, "…" where it is cut, and a space before the state.
        let title = Format.fitted("Unroll · training · " + s.title, width: max(0, rightX - 2))
        canvas.put(
            title, x: 0, y: rect.y, style: theme.title,
            clip: Rect(x: 0, y: rect.y, width: max(0, rightX - 1), height: 1))
        canvas.put(right, x: rightX, y: rect.y, style: state.1)
        var settings =
            "\(s.task) · \(s.optimizer) lr \(Format.number(c.learningRate)) · clip \(TrainingBoard.describe(c.clipping))"
        settings += " · B \(s.batchSize) · " + (s.truncation.map { "BPTT truncated to \($0)" } ?? "full BPTT")
        if let speed = c.iterationsPerSecond { settings += " · at most " + TrainingBoard.describe(speed: speed) }
        // Whole " · " parts only: a part that does not fit is left out, never cut ("at mo").
        canvas.put(HeaderView.fitted(settings, width: rect.width), x: 0, y: rect.y + 1, style: theme.text, clip: rect)
    }

    static func renderFigures(_ board: TrainingBoard, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let s = board.snapshot
        let wide = rect.width >= 120
        let labelWidth = s.runs.map(\.label.count).max() ?? 0
        for (i, run) in s.runs.enumerated() where i < rect.height {
            let y = rect.y + i
            let label = "\(glyph(i)) " + run.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0)
            let x = canvas.put(label, x: 0, y: y, style: style(i, theme: theme), clip: rect)
            guard let last = run.points.last, let recent = RecentLoss(run.points) else {
                canvas.put(
                    "  not started: space trains, . runs one iteration", x: x, y: y, style: theme.muted, clip: rect)
                continue
            }
            // The mean of the last iterations (RecentLoss) smooths the mini-batch noise.
            let loss = recent.loss
            var text = "  loss \(Format.number(loss))" + (wide ? " (baseline \(Format.number(s.baselineLoss)))" : "")
            if let accuracy = recent.accuracy {
                text += " · accuracy \(percent(accuracy))"
                if let b = s.baselineAccuracy {
                    text += wide ? " (baseline \(percent(b)))" : ", baseline \(percent(b))"
                }
            }
            text += " · ‖g‖ \(Format.number(last.normBefore, digits: 2))"
            if last.normAfter != last.normBefore { text += "→\(Format.number(last.normAfter, digits: 2))" }
            if run.iterationsPerSecond > 0 { text += " · \(Int(run.iterationsPerSecond.rounded())) it/s" }
            canvas.put(text, x: x, y: y, style: loss < s.baselineLoss * 0.5 ? theme.text : theme.muted, clip: rect)
            if i == board.selectedRun && s.runs.count > 1 {
                canvas.put(theme.glyphs == .unicode ? "◀" : "<", x: rect.maxX - 1, y: y, style: theme.title)
            }
        }
        if case .failed(let message) = s.state {
            canvas.put(message, x: 0, y: rect.maxY - 1, style: theme.warning, clip: rect)
        }
    }

    static func renderLoss(_ s: TrainingSnapshot, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "Loss (\(s.lossName), log)")
        let series = s.runs.enumerated().map { i, r in
            LinePlot.Series(
                x: r.points.map { Double($0.iteration) }, y: r.points.map(\.loss),
                glyph: glyph(i), style: style(i, theme: theme))
        }
        let last = max(s.iterations, s.runs.map { $0.points.last?.iteration ?? 0 }.max() ?? 0)
        LinePlot.render(
            series, references: [.init(y: s.baselineLoss, label: "baseline", style: theme.warning)],
            xRange: 1...Double(max(2, last)), logY: true, xLabel: "iteration", theme: theme,
            into: &canvas, rect.insetBy(dx: 1, dy: 1))
    }

    static func renderNorms(_ board: TrainingBoard, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let s = board.snapshot
        guard s.runs.indices.contains(board.selectedRun) else { return }
        let run = s.runs[board.selectedRun]
        canvas.drawBox(rect, glyphs: theme.glyphs, style: theme.border, title: "‖∂L/∂θ‖ per iteration (log)")
        let x = run.points.map { Double($0.iteration) }
        let before = LinePlot.Series(
            x: x, y: run.points.map(\.normBefore), glyph: theme.glyphs == .unicode ? "·" : ".",
            style: theme.muted)
        let after = LinePlot.Series(
            x: x, y: run.points.map(\.normAfter), glyph: glyph(board.selectedRun),
            style: style(board.selectedRun, theme: theme))
        var refs: [LinePlot.Reference] = []
        if case .norm(let n) = board.control.clipping { refs.append(.init(y: n, label: "clip", style: theme.warning)) }
        let clipped = run.points.contains { $0.normAfter != $0.normBefore }
        let last = max(s.iterations, run.points.last?.iteration ?? 0)
        LinePlot.render(
            clipped ? [before, after] : [after], references: refs, xRange: 1...Double(max(2, last)), logY: true,
            xLabel: clipped ? "· before, \(glyph(board.selectedRun)) after clipping" : "iteration",
            theme: theme, into: &canvas, rect.insetBy(dx: 1, dy: 1))
    }

    static func renderExample(_ board: TrainingBoard, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard board.snapshot.runs.indices.contains(board.selectedRun) else { return }
        let run = board.snapshot.runs[board.selectedRun]
        let graph = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let omitted = board.example.map { GraphView.omitsCellRows($0.trace, graph) } ?? false
        let head =
            "\(glyph(board.selectedRun)) \(run.label): one example, weights of iteration \(run.exampleIteration)"
        // The c_t rows left out are said in the longest form that fits (the label used to carry "c…").
        let notes = omitted ? [" · c_t rows not drawn (no room)", " · no c_t row", ""] : [""]
        let title = head + (notes.first { head.count + $0.count <= rect.width } ?? "")
        canvas.put(title, x: 0, y: rect.y, style: style(board.selectedRun, theme: theme), clip: rect)
        guard let example = board.example else { return }
        GraphView.render(example, theme: theme, into: &canvas, graph)
    }

    static func renderSteps(_ board: TrainingBoard, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        let s = board.snapshot
        // What is plotted is the last loss step's gradient alone (`lastLossGradientNorm`), named as the step-through
        // names it (L_T, T the step; L alone is the total loss, which a characters task takes at every step).
        let lastLoss = s.runs.indices.contains(board.selectedRun)
            ? s.runs[board.selectedRun].example?.trace.lossColumns.last : nil
        let name = lastLoss.map { "‖∂L_\($0 + 1)/∂h_t‖" } ?? "‖∂L_T/∂h_t‖"
        let titles = [
            "\(name) of the example, the last loss alone, per step (log)", "\(name) of the example, per step (log)",
            "\(name) (log)"
        ]
        canvas.drawBox(
            rect, glyphs: theme.glyphs, style: theme.border,
            title: titles.first { $0.count + 4 <= rect.width } ?? titles[titles.count - 1])
        var series: [LinePlot.Series] = []
        var steps = 1
        // The selected run last, so its points are on top.
        let order = s.runs.indices.filter { $0 != board.selectedRun } + [board.selectedRun]
        for i in order where s.runs.indices.contains(i) {
            guard let e = s.runs[i].example else { continue }
            let layer = e.trace.layers.last { !$0.reverse } ?? e.trace.layers[0]
            let norms = layer.steps.lastLossGradientNorm
            steps = max(steps, layer.startColumn + norms.count)
            series.append(
                .init(x: layer.columns.map { Double($0 + 1) }, y: norms, glyph: glyph(i), style: style(i, theme: theme))
            )
        }
        LinePlot.render(
            series, xRange: 1...Double(max(2, steps)), logY: true, xLabel: "step t", theme: theme,
            into: &canvas, rect.insetBy(dx: 1, dy: 1))
    }

    /// The samples, newest first (of both models, by iteration), under a title with the temperature and prime the
    /// next ones use: each line the model's glyph, the iteration, the temperature, then the prime and the text
    /// written, cleaned as scenario text is (``ScenarioText/clean(_:)``) and cut only between words.
    static func renderSamples(_ board: TrainingBoard, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard rect.height > 0 else { return }
        let c = board.control
        let prime = ScenarioText.clean(c.prime)
        let title =
            "Samples, newest first · temperature \(TrainingBoard.describe(temperature: c.temperature)) · "
            + (prime.isEmpty ? "no prime (starts from a space)" : "prime \"\(prime)\"") + " · { } i change them"
        canvas.put(HeaderView.fitted(title, width: rect.width), x: 0, y: rect.y, style: theme.title, clip: rect)
        let runs = board.snapshot.runs
        let all = runs.indices.flatMap { i in runs[i].samples.map { (run: i, sample: $0) } }
            .sorted { ($0.sample.iteration, $1.run) > ($1.sample.iteration, $0.run) }
        guard !all.isEmpty else {
            if rect.height > 1 {
                let waiting = "no sample yet: one every \(TrainingWorker.sampleEvery) iterations while training runs"
                canvas.put(
                    Format.fitted(waiting, width: rect.width), x: 0, y: rect.y + 1, style: theme.muted, clip: rect)
            }
            return
        }
        let shown = all.prefix(rect.height - 1)
        let digits = String(shown.map(\.sample.iteration).max() ?? 0).count
        let tWidth = shown.map { Format.number($0.sample.temperature).count }.max() ?? 1
        for (k, item) in shown.enumerated() {
            let y = rect.y + 1 + k
            let n = String(item.sample.iteration)
            var x = 0
            if runs.count > 1 {
                x = canvas.put("\(glyph(item.run)) ", x: x, y: y, style: style(item.run, theme: theme), clip: rect)
            }
            let head =
                String(repeating: " ", count: digits - n.count) + n + "  T "
                + Format.number(item.sample.temperature).padding(toLength: tWidth, withPad: " ", startingAt: 0) + "  "
            x = canvas.put(head, x: x, y: y, style: theme.muted, clip: rect)
            let shownPrime = ScenarioText.clean(item.sample.prime)
            let line = wholeWords(shownPrime + ScenarioText.clean(item.sample.text), width: rect.maxX - x)
            let primePart = String(line.prefix(shownPrime.count))
            x = canvas.put(primePart, x: x, y: y, style: theme.highlight, clip: rect)
            canvas.put(String(line.dropFirst(primePart.count)), x: x, y: y, style: theme.text, clip: rect)
        }
    }

    /// The status line while the prime (or, when `opens`, the text the step-through reads) is typed: what is typed
    /// so far, a cursor, and the keys (or the last notice).
    static func renderPrimeEditor(
        _ draft: String, opens: Bool = false, notice: String?, theme: Theme, into canvas: inout Canvas, _ rect: Rect
    ) {
        var x = canvas.put(opens ? "step through: " : "prime: ", x: 0, y: rect.y, style: theme.title, clip: rect)
        x = canvas.put(ScenarioText.clean(draft), x: x, y: rect.y, style: theme.highlight, clip: rect)
        x = canvas.put(theme.glyphs == .unicode ? "▏ " : "_ ", x: x, y: rect.y, style: theme.highlight, clip: rect)
        let keys = [opens ? "Enter opens" : "Enter keeps", "Esc cancels", "Backspace erases", "at most \(TrainingBoard.primeLimit) characters"]
        let room = max(0, rect.maxX - x)
        let fitted =
            notice.map { Format.fitted($0, width: room) }
            ?? Format.fittingItems(keys, separator: " · ", width: room)
        canvas.put(fitted, x: x, y: rect.y, style: notice == nil ? theme.muted : theme.warning, clip: rect)
    }

    /// The whole words of `text` (split at spaces) that fit in `width` columns, with "…" when some are left out;
    /// a first word too long for the line leaves only "…".
    static func wholeWords(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 0 else { return "" }
        // The longest start of the text that ends where a word does (before a space) and leaves a column for "…".
        var kept = Substring("")
        var i = text.startIndex, n = 0
        while i < text.endIndex, n < width {
            if text[i] == " " { kept = text[..<i] }
            i = text.index(after: i)
            n += 1
        }
        while kept.last == " " { kept.removeLast() }
        return kept.isEmpty ? "…" : kept + "…"
    }

    private static func percent(_ x: Double) -> String { x.isFinite ? "\(Int((x * 100).rounded()))%" : "NaN" }
}
