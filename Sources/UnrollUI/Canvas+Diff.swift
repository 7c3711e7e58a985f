extension Canvas {
    /// The runs a terminal must write to turn `previous` into this canvas.
    ///
    /// Only cells that differ from `previous` (glyph or style) are returned,
    /// grouped into maximal runs of adjacent changed cells on one row with
    /// the same style, in row-major order. When `previous` is nil or has a
    /// different size, every cell is returned (a full repaint), again grouped
    /// into same-style runs. Identical canvases give an empty array.
    /// - Complexity: O(width × height).
    public func diff(from previous: Canvas?) -> [CanvasRun] {
        let old: [Cell]? = previous.flatMap { $0.width == width && $0.height == height ? $0.cells : nil }
        var runs: [CanvasRun] = []
        for row in 0..<height {
            var current: CanvasRun?
            for column in 0..<width {
                let index = row * width + column
                let cell = cells[index]
                if let old, old[index] == cell {
                    if let run = current { runs.append(run) }
                    current = nil
                    continue
                }
                if var run = current, run.style == cell.style {
                    run.text.append(cell.glyph)
                    current = run
                } else {
                    if let run = current { runs.append(run) }
                    current = CanvasRun(x: column, y: row, style: cell.style, text: String(cell.glyph))
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }
}
