extension Canvas {
    /// Writes `text` left to right starting at `(x, y)`, one character per
    /// column, skipping every column outside `clip` (and outside the canvas).
    ///
    /// Text may start left of `clip`; only its visible part is drawn. Control
    /// characters (newline, tab, escape…) are drawn as `?` so they can never
    /// reach the terminal.
    ///
    /// - Parameters:
    ///   - text: the characters to draw; each is assumed to be one column wide.
    ///   - clip: the rectangle to stay inside; nil means the whole canvas.
    /// - Returns: the column just after the last character of `text`
    ///   (`x + text.count`), whether or not it was clipped, so callers can
    ///   continue writing on the same row.
    /// - Complexity: O(text.count).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        var column = x
        for character in text {
            if area.contains(x: column, y: y) {
                cells[y * width + column] = Cell(Canvas.printable(character), style: style)
            }
            column += 1
        }
        return column
    }

    /// Writes `count` copies of `character` from `(x, y)` in `style`: `put(String(repeating:count:), …)` without
    /// building and re-reading the string.
    /// - Complexity: O(count).
    mutating func put(repeating character: Character, count: Int, x: Int, y: Int, style: Style) {
        guard count > 0, y >= 0, y < height else { return }
        let cell = Cell(Canvas.printable(character), style: style)
        for column in max(0, x)..<max(0, min(width, x + count)) { cells[y * width + column] = cell }
    }

    /// Sets every cell of `rect` (clipped to the canvas) to `cell`.
    /// - Complexity: O(rect.area).
    public mutating func fill(_ rect: Rect, with cell: Cell) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        for row in area.y..<area.maxY {
            for column in area.x..<area.maxX {
                cells[row * width + column] = cell
            }
        }
    }

    /// Draws a one-cell-thick frame along the edges of `rect`, with an
    /// optional title on the top edge.
    ///
    /// Nothing is drawn when `rect` is narrower or shorter than 2 cells. The
    /// interior is left untouched. The title is drawn as `" title "` starting
    /// one column after the top-left corner and is cut so it never overwrites
    /// the top-right corner. Parts outside the canvas are clipped.
    /// - Complexity: O(rect.width + rect.height).
    public mutating func drawBox(_ rect: Rect, glyphs: GlyphSet, style: Style = .plain, title: String? = nil) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let right = rect.maxX - 1, bottom = rect.maxY - 1
        for column in (rect.x + 1)..<right {
            set(Cell(glyphs.horizontal, style: style), x: column, y: rect.y)
            set(Cell(glyphs.horizontal, style: style), x: column, y: bottom)
        }
        for row in (rect.y + 1)..<bottom {
            set(Cell(glyphs.vertical, style: style), x: rect.x, y: row)
            set(Cell(glyphs.vertical, style: style), x: right, y: row)
        }
        set(Cell(glyphs.topLeft, style: style), x: rect.x, y: rect.y)
        set(Cell(glyphs.topRight, style: style), x: right, y: rect.y)
        set(Cell(glyphs.bottomLeft, style: style), x: rect.x, y: bottom)
        set(Cell(glyphs.bottomRight, style: style), x: right, y: bottom)
        if let title, !title.isEmpty, rect.width > 2 {
            let titleClip = Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1)
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: style, clip: titleClip)
        }
    }

    /// `character`, or `?` when it is a control character.
    static func printable(_ character: Character) -> Character {
        // One ASCII scalar, the usual case (`asciiValue` is also set for "\r\n", a control either way).
        if let a = character.asciiValue { return a < 0x20 || a == 0x7F ? "?" : character }
        let isControl = character.unicodeScalars.contains { scalar in
            scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
        }
        return isControl ? "?" : character
    }
}
