/// Large digits for the presenter's figures, drawn from block characters so the back row can read them.
///
/// One 3×5 pixel font (the `.` one pixel wide, one blank column between glyphs) covers everything
/// ``Format/number(_:digits:)`` writes: digits, `.`, `-`, `+`, `e` (drawn as E), `NaN`, `Inf`. It is drawn
/// `.large`, one text row per pixel row (5 rows, `█`), or `.small`, two pixel rows per text row with half
/// blocks (3 rows, `▀ ▄ █`). With ASCII glyphs the pixels are `#`, and the half blocks `"`, `_` and `#`.
public enum BlockDigits {
    /// How tall the digits are drawn.
    public enum Size: Sendable, CaseIterable {
        /// 5 rows: one per pixel row.
        case large
        /// 3 rows: two pixel rows per text row, in half blocks.
        case small

        /// Text rows the digits take.
        public var rows: Int { self == .large ? 5 : 3 }
    }

    /// The pixels of each glyph, top row first (`#` set, space clear).
    static let font: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", " ##", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", "  #", "  #"],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"],
        ".": [" ", " ", " ", " ", "#"],
        "-": ["   ", "   ", "###", "   ", "   "],
        "+": ["   ", " # ", "###", " # ", "   "],
        "e": ["###", "#  ", "## ", "#  ", "###"],
        "N": ["# #", "###", "###", "###", "# #"],
        "a": ["   ", "## ", " ##", "# #", "###"],
        "I": ["###", " # ", " # ", " # ", "###"],
        "n": ["   ", "   ", "## ", "# #", "# #"],
        "f": [" ##", "#  ", "## ", "#  ", "#  "]
    ]

    /// The pixels of a character; a character outside the font is drawn blank, 3 wide.
    static func pixels(_ c: Character) -> [String] { font[c] ?? Array(repeating: "   ", count: 5) }

    /// Columns `text` takes: each glyph's width plus one blank column between glyphs.
    /// - Complexity: O(text.count).
    public static func width(_ text: String) -> Int {
        let widths = text.map { pixels($0)[0].count }
        return widths.reduce(0, +) + max(0, widths.count - 1)
    }

    /// The rows of `text` drawn in block digits: `size.rows` strings, each ``width(_:)`` characters.
    /// - Parameters:
    ///   - size: large (5 rows) or small (3 rows).
    ///   - glyphs: `.unicode` for block characters, `.ascii` for `#`, `"` and `_`.
    /// - Complexity: O(text.count).
    public static func rows(_ text: String, size: Size, glyphs: GlyphSet) -> [String] {
        // The pixel rows of the whole text, glyphs joined by a blank column.
        var pixelRows = Array(repeating: "", count: 5)
        for (i, c) in text.enumerated() {
            for r in 0..<5 { pixelRows[r] += (i > 0 ? " " : "") + pixels(c)[r] }
        }
        let full: Character = glyphs == .unicode ? "█" : "#"
        switch size {
        case .large:
            return pixelRows.map { String($0.map { $0 == "#" ? full : " " }) }
        case .small:
            let upper: Character = glyphs == .unicode ? "▀" : "\""
            let lower: Character = glyphs == .unicode ? "▄" : "_"
            return stride(from: 0, to: 5, by: 2).map { r in
                let top = Array(pixelRows[r])
                let bottom = r + 1 < 5 ? Array(pixelRows[r + 1]) : Array(repeating: " ", count: top.count)
                return String(
                    zip(top, bottom).map { t, b -> Character in
                        switch (t == "#", b == "#") {
                        case (true, true): return full
                        case (true, false): return upper
                        case (false, true): return lower
                        case (false, false): return " "
                        }
                    })
            }
        }
    }
}
