import UnrollEngine
import UnrollLessons

extension Screen {
    /// The help overlay's last line side by side.
    static let pairHelpFooter =
        "Side by side: every key acts on both models; the inspector and equations show the top one. Esc or ? closes."

    /// Where the panels go side by side: the first session's layout with the graph's rows grown (taken from the
    /// panels below, which keep at least 10 rows while they can) and split into two graphs, each under a label line.
    /// - Returns: the layout (its `graph` the top model's graph) and the second model's label line and graph.
    static func pairLayout(width: Int, height: Int, pair: PairSession) -> (layout: Layout, labels: [Rect], second: Rect)
    {
        var l = layout(width: width, height: height, session: pair.first)
        let traces = [pair.first.trace, pair.second.trace]
        let needs = traces.map { pair.first.rolled ? RolledView.height : GraphView.compactHeight($0) }.max() ?? 0
        let wants = traces.map(GraphView.preferredHeight).max() ?? 0
        let below = [l.inspector, l.equations, l.gradients, l.weights].filter { !$0.isEmpty && $0.y >= l.graph.maxY }
        let bottom = below.map(\.height).max() ?? 0
        let grown = max(2 * (needs + 1), min(2 * (wants + 1), l.graph.height + max(0, bottom - 10)))
        let extra = max(0, min(grown - l.graph.height, bottom - 6))
        for path in [\Layout.inspector, \Layout.equations, \Layout.gradients, \Layout.weights]
        where !l[keyPath: path].isEmpty && l[keyPath: path].y >= l.graph.maxY {
            l[keyPath: path].y += extra
            l[keyPath: path].height -= extra
        }
        // From 120 columns the gradient panel is a quarter of the width: side by side it takes from the equations
        // what it needs to show every step's two bars (2 columns a step, the axis and the borders).
        let steps = [pair.first.trace, pair.second.trace].flatMap { $0.layers.map(\.steps.count) }.max() ?? 0
        let wanted = 2 * steps + 8 - l.gradients.width
        if !l.equations.isEmpty && l.gradients.x == l.equations.maxX && wanted > 0 {
            let taken = min(wanted, max(0, l.equations.width - 30))
            l.equations.width -= taken
            l.gradients.x -= taken
            l.gradients.width += taken
            l.equationsDraft = nil
        }
        let total = l.graph.height + extra
        let top = (total - 2) / 2
        let y = l.graph.y
        let labels = [Rect(x: 0, y: y, width: width, height: 1), Rect(x: 0, y: y + 1 + top, width: width, height: 1)]
        let second = Rect(x: 0, y: y + 2 + top, width: width, height: total - 2 - top)
        l.graph = Rect(x: 0, y: y + 1, width: width, height: top)
        return (l, labels, second)
    }

    /// Renders two models side by side into a canvas of `width × height`: the first's screen with its graph under a
    /// label, the second's graph under its own label below it, and one gradient panel with both models' bars.
    public static func render(_ pair: PairSession, theme: Theme, width: Int, height: Int) -> Canvas {
        guard width >= minimumWidth, height >= minimumHeight else {
            return render(pair.first, theme: theme, width: width, height: height)
        }
        let (l, labelRects, second) = pairLayout(width: width, height: height, pair: pair)
        var canvas = render(pair.first, theme: theme, width: width, height: height, layout: l)
        let names = pair.labels
        let ascii = theme.glyphs == .ascii
        var texts = [
            "\(ascii ? "^" : "▲") \(names[0]): the inspector, equations and caption show this model",
            "\(ascii ? "v" : "▼") \(names[1]): "
        ]
        // The lower model's own header line: its cell, sizes, seed, W_hh spectrum and loss, in whole parts.
        var parts = HeaderView.modelLine(pair.second).components(separatedBy: " · ")
        if parts.first == names[1] { parts.removeFirst() } // "▼ LSTM: H=8 · …", not "▼ LSTM: LSTM · H=8 · …"
        let lower = HeaderView.fitted(parts.joined(separator: " · "), width: width - 2 - texts[1].count)
        texts[1] += lower
        for (rect, text) in zip(labelRects, texts) {
            canvas.fill(rect, with: .blank)
            canvas.put(
                Format.fitted(text, width: rect.width - 1), x: rect.x + 1, y: rect.y, style: theme.title, clip: rect)
        }
        if pair.second.rolled {
            RolledView.render(pair.second.revealedTrace, theme: theme, into: &canvas, second)
        } else {
            GraphView.render(pair.second.revealedTrace, theme: theme, into: &canvas, second)
        }
        if !l.gradients.isEmpty {
            canvas.fill(l.gradients, with: .blank)
            let versus = pair.second.gradientSeries.map { GradientView.Versus(series: $0, labels: names) }
            GradientView.render(pair.first.gradientPanel, versus: versus, theme: theme, into: &canvas, l.gradients)
            if [l.inspector, l.equations].allSatisfy(\.isEmpty) {
                LegendView.render(pair.first.revealedTrace, theme: theme, into: &canvas, l.gradients)
            }
        }
        if pair.first.showingHelp {
            HelpView.render(theme: theme, into: &canvas, canvas.bounds, footer: pairHelpFooter)
        }
        return theme.glyphs == .ascii ? canvas.foldedToASCII() : canvas
    }
}
