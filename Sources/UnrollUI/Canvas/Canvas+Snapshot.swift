extension Canvas {
    /// The glyphs of each row as a string, ignoring styles; for text snapshots.
    /// - Complexity: O(width × height).
    public func lines() -> [String] {
        (0..<height).map { row in
            String(cells[(row * width)..<(row * width + width)].map(\.glyph))
        }
    }

    /// The canvas as plain text: every row, each ended by a newline (a figure's `.txt`, as `unroll figure` and the
    /// `F` key write it).
    public func text() -> String {
        lines().joined(separator: "\n") + "\n"
    }

    /// Each row as a string with compact inline style markers; for
    /// style-aware snapshots.
    ///
    /// Every row starts in the plain style. Wherever the style changes, a
    /// marker `{fg/bg attrs}` is inserted before the cell, where `fg` and `bg`
    /// are ``Style/code(for:)`` colour codes (`-` default, `k r g y b m c w`
    /// for ANSI black…white, a number for a palette index) and `attrs` is a
    /// space followed by letters `B`old `D`im `R`everse `U`nderline, omitted
    /// when empty. The plain style is written `{}`. A literal `{` glyph is
    /// written `{{`. For example `ab{r/-}cd{-/- B}e{}f`.
    /// - Complexity: O(width × height).
    public func styledLines() -> [String] {
        (0..<height).map { row in
            var line = ""
            var style = Style.plain
            for cell in cells[(row * width)..<(row * width + width)] {
                if cell.style != style {
                    line += "{\(cell.style.code)}"
                    style = cell.style
                }
                line += cell.glyph == "{" ? "{{" : String(cell.glyph)
            }
            return line
        }
    }
}
