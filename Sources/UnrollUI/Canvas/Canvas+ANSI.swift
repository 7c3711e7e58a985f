extension Canvas {
    /// The canvas as the bytes a terminal needs to show it: cursor home, then every line with SGR
    /// colour and attribute codes, ending with attributes reset. Used for asciicast recordings.
    /// - Complexity: O(width·height).
    public func ansi() -> String {
        var out = "\u{1B}[H"
        var current: Style?
        for y in 0..<height {
            out += "\u{1B}[\(y + 1);1H"
            for x in 0..<width {
                let cell = cells[y * width + x]
                if cell.style != current {
                    out += Canvas.sgr(cell.style)
                    current = cell.style
                }
                out.append(cell.glyph)
            }
        }
        return out + "\u{1B}[0m"
    }

    /// The SGR sequence that sets exactly `style`.
    static func sgr(_ style: Style) -> String {
        var codes = ["0"]
        if style.attributes.contains(.bold) { codes.append("1") }
        if style.attributes.contains(.dim) { codes.append("2") }
        if style.attributes.contains(.underline) { codes.append("4") }
        if style.attributes.contains(.reverse) { codes.append("7") }
        func color(_ c: Color, base: Int) -> String? {
            switch c {
            case .default: return nil
            case .indexed(let i): return "\(base + 8);5;\(i)"
            default: return String(base + c.paletteIndex)
            }
        }
        if let f = color(style.foreground, base: 30) { codes.append(f) }
        if let b = color(style.background, base: 40) { codes.append(b) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
