import UnrollEngine

extension GraphView {
    /// The dashed output→hidden edges (the notes' dashed lines): from y_{t−1} down into the first layer's h_t, on
    /// the line just above that layer's nodes, with the fed word on the edge where it fits. Drawn dim in the
    /// backward phase: no gradient flows back along them. Nothing when the model has no feedback or no such line.
    static func drawFeedbackEdges(
        _ s: RevealedTrace, theme: Theme, geometry g: Geometry, rect: Rect, rows: [Row],
        layout v: VerticalLayout, columns: Range<Int>, into canvas: inout Canvas
    ) {
        let trace = s.trace
        guard trace.spec.feedback != .none, let r0 = rows.firstIndex(where: { $0.layer == 0 && !$0.reverse }),
            let y = r0 == 0 ? v.outputArrow : v.betweenArrows[r0 - 1]
        else { return }
        let label = trace.spec.feedback == .teacherForcing ? "tgt_t-1" : "y_t-1"
        canvas.put(label, x: rect.x, y: y, style: theme.muted)
        let edges = columns.filter { c in
            c > columns.lowerBound && c < trace.fedBack.count && trace.fedBack.has(c) && trace.outputs.has(c - 1)
        }
        let words = s.fedLabels
        let length = g.columnWidth - 3 - g.nodeWidth / 2
        // The fed words are written only when every one of them fits, so none is missing for lack of room.
        let fits = edges.allSatisfy { $0 >= words.count || (words[$0]?.count ?? 0) + 2 <= length }
        for c in edges {
            let shown = s.phase == .forward && s.isRevealed(column: c)
            let start = g.x(c - 1, in: rect) + 1 + g.nodeWidth / 2 + 2
            drawFeedbackEdge(
                from: start, to: start + length, y: y, word: fits && shown && c < words.count ? words[c] : nil,
                style: shown ? theme.text : theme.muted, glyphs: theme.glyphs, into: &canvas)
        }
    }

    /// One dashed edge on line `y` from x `from` to the head at x `to` (just above-left of the node it enters),
    /// with `word` in its middle when it fits. ASCII: `- - \`.
    static func drawFeedbackEdge(
        from: Int, to: Int, y: Int, word: String?, style: Style, glyphs: GlyphSet,
        into canvas: inout Canvas
    ) {
        guard to > from else { return }
        let unicode = glyphs == .unicode
        for x in from..<to { canvas.put(unicode ? "╌" : ((x - from) % 2 == 0 ? "-" : " "), x: x, y: y, style: style) }
        canvas.put(unicode ? "↘" : "\\", x: to, y: y, style: style)
        if let word, word.count + 2 <= to - from {
            canvas.put(word, x: from + (to - from - word.count) / 2, y: y, style: style)
        }
    }
}
