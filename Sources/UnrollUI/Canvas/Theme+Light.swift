extension Theme {
    /// The light theme's page and ink: white and near-black (xterm 231 and 235) with 256 colours, the ANSI white
    /// and black with 8.
    var paper: Color { colorMode == .color8 ? .white : .indexed(231) }
    var ink: Color { colorMode == .color8 ? .black : .indexed(235) }

    /// The canvas as this theme shows it. The light theme (in colour) paints the terminal's default colours as
    /// paper and ink on every cell, darkens a text colour that reads below 4.5:1 on its background (WCAG AA; with
    /// 8 colours, where none can be darkened, it becomes ink), and writes text on a coloured cell in whichever of
    /// ink and paper reads better there. The other themes, and monochrome, leave the canvas as drawn.
    public func painted(_ canvas: Canvas) -> Canvas {
        guard contrast == .light, colorMode != .monochrome else { return canvas }
        var out = canvas
        var memo: [Style: Style] = [:]
        for i in out.cells.indices {
            let style = out.cells[i].style
            if let known = memo[style] {
                out.cells[i].style = known
                continue
            }
            let lit = light(style)
            memo[style] = lit
            out.cells[i].style = lit
        }
        return out
    }

    /// One style on paper (see ``painted(_:)``).
    func light(_ style: Style) -> Style {
        var s = style
        switch (style.foreground, style.background) {
        case (.default, .default): (s.foreground, s.background) = (ink, paper)
        case (.default, let behind): s.foreground = readable(on: behind)
        case (let colour, .default): (s.foreground, s.background) = (darkened(colour), paper)
        default: break
        }
        return s
    }

    /// Ink or paper, whichever reads better on `colour`.
    func readable(on colour: Color) -> Color {
        let onInk = colour.contrast(with: ink) ?? 1, onPaper = colour.contrast(with: paper) ?? 1
        return onInk >= onPaper ? ink : paper
    }

    /// `colour`, or the nearest darker colour of xterm's cube, that reads at 4.5:1 or better on paper; with 8
    /// colours, ink when the colour does not.
    func darkened(_ colour: Color) -> Color {
        guard let ratio = colour.contrast(with: paper), ratio < 4.5 else { return colour }
        guard colorMode == .color256, let (r, g, b) = colour.rgb else { return ink }
        // The cube's levels 0, 95, 135, 175, 215, 255: the colour's nearest levels, then each lowered a step at a time.
        let levels = [0, 95, 135, 175, 215, 255]
        func level(_ v: Int) -> Int { levels.indices.min { abs(levels[$0] - v) < abs(levels[$1] - v) } ?? 0 }
        var (lr, lg, lb) = (level(r), level(g), level(b))
        while lr + lg + lb > 0 {
            (lr, lg, lb) = (max(0, lr - 1), max(0, lg - 1), max(0, lb - 1))
            let candidate = Color.indexed(UInt8(16 + 36 * lr + 6 * lg + lb))
            if let c = candidate.contrast(with: paper), c >= 4.5 { return candidate }
        }
        return ink
    }
}
