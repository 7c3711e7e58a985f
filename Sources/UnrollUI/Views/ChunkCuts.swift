import UnrollEngine
import UnrollLessons

/// Truncated BPTT's chunk cuts (`Trace.truncationCuts`), drawn by the graph and the gradient panel:
/// a dotted vertical line, `┊` (`|` in ASCII, where `:` is a shade), bold, in the gap before the first column of every chunk
/// but the first.
enum ChunkCuts {
    /// The cut's glyph: `┊` or `|`.
    static func glyph(_ glyphs: GlyphSet) -> String { glyphs == .unicode ? "┊" : "|" }

    /// The cut at screen column `x` on every line of `lines` that nothing else has drawn on (a blank cell).
    static func mark(x: Int, lines: ClosedRange<Int>, theme: Theme, into canvas: inout Canvas) {
        for y in lines where canvas.cell(x: x, y: y)?.glyph == " " {
            canvas.put(glyph(theme.glyphs), x: x, y: y, style: theme.title)
        }
    }
}

extension GraphView {
    /// The cuts between visible columns, from the top line of the graph to the input line. Backward,
    /// the recurrent arrow into a cut's left column is removed: no gradient crosses the cut.
    static func drawChunkCuts(
        _ s: RevealedTrace, theme: Theme, geometry g: Geometry, layout v: VerticalLayout, rows: [Row],
        rect: Rect, into canvas: inout Canvas
    ) {
        let visible = g.first..<min(s.columns, g.first + g.visible)
        for c in s.trace.truncationCuts where visible.contains(c) {
            if s.phase == .backward && c > g.first {
                for (r, row) in rows.enumerated()
                where row.traces.contains(where: {
                    s.trace.layers[$0].columns.contains(c) && s.trace.layers[$0].columns.contains(c - 1)
                }) {
                    canvas.put("  ", x: g.x(c - 1, in: rect) + 1 + g.nodeWidth, y: v.nodes[r])
                }
            }
            ChunkCuts.mark(x: g.x(c, in: rect), lines: (v.target ?? v.output)...v.input, theme: theme, into: &canvas)
        }
    }
}

extension GradientView {
    /// The cuts in the gap before the bars of each chunk's first step, over the chart's rows.
    /// - Parameters:
    ///   - startColumn: the layer's first column; `shown` the steps on screen (0-based within the layer).
    ///   - x0: the x of the first shown slot; `slotWidth` its width; `top`, `rows`: the chart's lines.
    static func drawChunkCuts(
        _ cuts: [Int], startColumn: Int, shown: Range<Int>, x0: Int, slotWidth: Int,
        top: Int, rows: Int, theme: Theme, into canvas: inout Canvas
    ) {
        guard rows > 0 else { return }
        for c in cuts {
            let j = c - startColumn - shown.lowerBound
            guard j > 0, j < shown.count else { continue }
            ChunkCuts.mark(x: x0 + j * slotWidth - 1, lines: top...(top + rows - 1), theme: theme, into: &canvas)
        }
    }
}
