#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
        let rowBytes = width * MemoryLayout<Cell>.stride
        for row in 0..<height {
            // A row whose bytes are identical holds identical cells (the same glyph bits, the same style): skipped
            // without comparing cell by cell. Bytes that differ prove nothing (padding), so those rows compare cells.
            if let old, rowBytes > 0,
                cells.withUnsafeBytes({ new in
                    old.withUnsafeBytes { was in
                        guard let n = new.baseAddress, let w = was.baseAddress else { return false }
                        return memcmp(n + row * rowBytes, w + row * rowBytes, rowBytes) == 0
                    }
                })
            {
                continue
            }
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
