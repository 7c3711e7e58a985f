import UnrollEngine

/// The unit line: one hidden unit's h_t over the whole text a character model reads, each character on a background
/// coloured by the value (blue −1, white 0, red +1 on the diverging map), in the manner of Karpathy, Johnson &
/// Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks". Under each line of text a row of shade
/// characters carries the same values without colour (`=` `-` `.` `+` `#` from −1 to +1, `·` at 0 with Unicode), so
/// NO_COLOR, ASCII and a printout keep them. The text wraps at spaces (never inside a word shorter than the line);
/// when its lines do not all fit, the lines round the inspected step are shown.
public enum UnitLineView {
    /// What the unit line draws.
    public struct Model: Sendable, Equatable {
        /// The text's characters, in order (a space as a space).
        public var characters: [Character]
        /// The unit's h_t after reading each character: nil where not revealed yet, and for the last character,
        /// which is only predicted.
        public var values: [Double?]
        /// The unit (0-based).
        public var unit: Int
        /// The units of the layer.
        public var units: Int
        /// The character of the inspected step.
        public var column: Int
    }

    /// The heading line at `width`: the unit, the scale and the keys, shortened to fit.
    static func heading(_ m: Model, width: Int, centre: Character = ".") -> String {
        let u = m.unit + 1
        let forms = [
            "unit line: h_t of unit \(u) of \(m.units) after each character, shades -1 =-\(centre)+# +1 (. , choose the unit)",
            "unit line: h_t of unit \(u) by character, shades -1 =-\(centre)+# +1 (. , other unit)",
            "unit \(u): h_t, shades -1 =-\(centre)+# +1 (. ,)", "unit \(u)"
        ]
        return forms.first { $0.count <= width } ?? ""
    }

    /// The text's lines at `width`: ranges of `characters`, broken after a space; a word longer than the line is cut.
    static func lines(_ characters: [Character], width: Int) -> [Range<Int>] {
        guard width > 0 else { return [] }
        var out: [Range<Int>] = []
        var start = 0
        while start < characters.count {
            var end = min(characters.count, start + width)
            if end < characters.count, characters[end] != " ", let space = characters[start..<end].lastIndex(of: " ") {
                end = space + 1
            }
            out.append(start..<end)
            start = end
        }
        return out
    }

    /// Lines the whole unit line takes at `width`: the heading and two per line of text; 0 without a model.
    public static func height(_ m: Model?, width: Int) -> Int {
        guard let m else { return 0 }
        return 1 + 2 * lines(m.characters, width: width).count
    }

    /// Draws the unit line into `rect`: the heading when there is room for it and a line of text, then as many lines
    /// of text (each with its shade row) as fit, those round the inspected step.
    public static func render(_ m: Model?, theme: Theme, into canvas: inout Canvas, _ rect: Rect) {
        guard let m, rect.height >= 2, rect.width >= 1 else { return }
        let all = lines(m.characters, width: rect.width)
        let headed = rect.height >= 3
        let fit = max(1, (rect.height - (headed ? 1 : 0)) / 2)
        let current = all.firstIndex { $0.contains(m.column) } ?? 0
        let first = max(0, min(current - (fit - 1) / 2, all.count - fit))
        var y = rect.y
        if headed {
            canvas.put(heading(m, width: rect.width, centre: theme.glyphs == .unicode ? "·" : "."), x: rect.x, y: y, style: theme.muted, clip: rect)
            y += 1
        }
        let shades = Theme(colorMode: .monochrome, glyphs: theme.glyphs, contrast: theme.contrast)
        for line in all[first..<min(all.count, first + fit)] {
            for (i, c) in line.enumerated() {
                let x = rect.x + i
                let value = m.values.indices.contains(c) ? m.values[c] : nil
                var style = theme.text
                if let value, theme.colorMode != .monochrome { style.background = theme.style(forSigned: value).style.background }
                if c == m.column { style.attributes.insert(.underline) }
                canvas.set(Cell(Canvas.printable(m.characters[c]), style: style), x: x, y: y)
                if let value { canvas.set(shades.style(forSigned: value), x: x, y: y + 1) }
            }
            y += 2
        }
    }
}
