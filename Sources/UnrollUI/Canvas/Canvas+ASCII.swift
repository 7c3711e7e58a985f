extension Canvas {
    /// ASCII stand-ins for the symbols views write in text (Greek letters, math, arrows, box pieces).
    static let asciiFold: [Character: Character] = [
        "ρ": "p", "σ": "s", "λ": "l", "‖": "|", "≤": "<", "≥": ">", "·": ".", "∂": "d", "⊙": "*", "×": "x",
        "−": "-", "–": "-", "»": ">", "…": "~", "▶": ">", "◀": "<", "ᵀ": "'", "╌": "-", "▒": ":", "╭": "+", "╮": "+",
        "╯": "+", "╰": "+", "▾": "v", "→": ">", "←": "<", "↑": "^", "↓": "v", "─": "-", "│": "|",
        "┌": "+", "┐": "+", "└": "+", "┘": "+", "█": "#", "░": ".", "▓": "#",
        "•": "*", "∣": "|", "ŷ": "y", "x̃": "x", "ĥ": "h", "²": "2", "⋯": "~", "▁": ".", "▂": ",", "▃": ":", "▄": ";",
        "▅": "=", "▆": "+", "▇": "*",
        "┊": "|", "Σ": "S", "δ": "d"
    ]

    /// The canvas with every non-ASCII glyph replaced by an ASCII stand-in (`?` when there is none),
    /// for terminals whose locale is not UTF-8.
    /// - Complexity: O(width·height).
    public func foldedToASCII() -> Canvas {
        var out = self
        for i in out.cells.indices where !out.cells[i].glyph.isASCII {
            out.cells[i].glyph = Canvas.asciiFold[out.cells[i].glyph] ?? "?"
        }
        return out
    }

    /// `text` as an ASCII canvas shows it: each non-ASCII character by its stand-in (`?` when there is none).
    public static func foldedASCII(_ text: String) -> String {
        String(text.map { $0.isASCII ? $0 : asciiFold[$0] ?? "?" })
    }
}
