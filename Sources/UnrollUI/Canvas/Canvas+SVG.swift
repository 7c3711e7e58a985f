/// The colours a figure paints a canvas with: the terminal's default foreground and background, and the 16 system
/// colours (the 256-colour cube and grey ramp are computed as xterm does).
public struct SVGPalette: Hashable, Sendable {
    /// The default background, as `#rrggbb`.
    public var background: String
    /// The default foreground.
    public var foreground: String
    /// The 16 system colours, ANSI order (0–7, then the bright 8–15).
    public var system: [String]

    /// A dark terminal (xterm's system colours on a near-black background), as the screen looks in a lecture.
    public static let dark = SVGPalette(
        background: "#1c1c1c", foreground: "#d0d0d0",
        system: [
            "#000000", "#cd0000", "#00cd00", "#cdcd00", "#1e90ff", "#cd00cd", "#00cdcd", "#e5e5e5",
            "#7f7f7f", "#ff0000", "#00ff00", "#ffff00", "#5c5cff", "#ff00ff", "#00ffff", "#ffffff"
        ])

    /// The light theme's page (``Theme/Contrast/light`` paints every cell, so only the margin shows it).
    public static let light = SVGPalette(background: "#ffffff", foreground: "#262626", system: dark.system)

    /// The palette a figure in `theme` is painted with.
    public static func of(_ theme: Theme) -> SVGPalette { theme.contrast == .light ? .light : .dark }

    /// The `#rrggbb` of a colour; nil for the default (the caller picks foreground or background).
    public func hex(_ color: Color) -> String? {
        switch color {
        case .default: return nil
        case .indexed(let i) where i >= 16: return Self.xterm(Int(i))
        default: return system[color.paletteIndex % 16]
        }
    }

    /// xterm's 6×6×6 cube (16–231: levels 0, 95, 135, 175, 215, 255) and grey ramp (232–255: 8 + 10·k).
    static func xterm(_ i: Int) -> String {
        func h(_ v: Int) -> String {
            let digits = Array("0123456789abcdef")
            return String([digits[v / 16], digits[v % 16]])
        }
        if i >= 232 {
            let v = 8 + 10 * (i - 232)
            return "#" + h(v) + h(v) + h(v)
        }
        let c = i - 16
        let level = { (n: Int) in n == 0 ? 0 : 55 + 40 * n }
        return "#" + h(level(c / 36)) + h(level((c / 6) % 6)) + h(level(c % 6))
    }
}

extension Canvas {
    /// The width and height of one cell in a figure, in SVG user units (px): 10 × 20, so 128 × 36 cells make a
    /// 1280 × 720 (16:9) figure.
    public static let svgCell = (width: 10, height: 20)

    /// The canvas as an SVG figure: text as `<text>` in a monospace font stack, each run stretched to its cells so
    /// columns line up in any font; block elements, shades and box-drawing lines drawn as shapes, so bars and
    /// borders join without gaps at any zoom; colours and attributes from the cells' styles on `palette`.
    /// - Parameters:
    ///   - title: the figure's `<title>` (what a screen reader announces first).
    ///   - description: its `<desc>`; nil gives the canvas's text, line by line.
    public func svg(title: String, description: String? = nil, palette: SVGPalette = .dark) -> String {
        let (cw, ch) = Canvas.svgCell
        let (w, h) = (width * cw, height * ch)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" width="\(w)" height="\(h)" viewBox="0 0 \(w) \(h)" \
            role="img" aria-labelledby="title desc">
            <title id="title">\(Self.escaped(title))</title>
            <desc id="desc">\(Self.escaped(description ?? lines().joined(separator: "\n")))</desc>
            <style>text{font-family:'DejaVu Sans Mono','Menlo','Consolas','Liberation Mono',monospace;\
            font-size:16px;white-space:pre}</style>
            <rect width="\(w)" height="\(h)" fill="\(palette.background)"/>

            """
        for y in 0..<height {
            let row = cells[(y * width)..<((y + 1) * width)]
            out += backgrounds(row, y: y, palette: palette)
            out += foregrounds(row, y: y, palette: palette)
        }
        return out + "</svg>\n"
    }

    /// The fill and text colours of a style: reverse swaps them, the default ones come from the palette.
    static func colors(_ style: Style, _ palette: SVGPalette) -> (fill: String?, text: String) {
        let fg = palette.hex(style.foreground) ?? palette.foreground
        let bg = palette.hex(style.background)
        return style.attributes.contains(.reverse) ? (fg, bg ?? palette.background) : (bg, fg)
    }

    /// One rectangle per run of cells with the same background, where it is not the default.
    private func backgrounds(_ row: ArraySlice<Cell>, y: Int, palette: SVGPalette) -> String {
        let (cw, ch) = Canvas.svgCell
        var out = ""
        var x = 0
        let cells = Array(row)
        while x < cells.count {
            let fill = Self.colors(cells[x].style, palette).fill
            var end = x + 1
            while end < cells.count && Self.colors(cells[end].style, palette).fill == fill { end += 1 }
            if let fill {
                out += "<rect x=\"\(x * cw)\" y=\"\(y * ch)\" width=\"\((end - x) * cw)\" height=\"\(ch)\" "
                    + "fill=\"\(fill)\"/>\n"
            }
            x = end
        }
        return out
    }

    /// Text runs (cells of one style up to a drawn glyph or a style change) and the drawn glyphs' shapes.
    private func foregrounds(_ row: ArraySlice<Cell>, y: Int, palette: SVGPalette) -> String {
        let (cw, ch) = Canvas.svgCell
        let cells = Array(row)
        var out = ""
        var x = 0
        while x < cells.count {
            let cell = cells[x]
            let color = Self.colors(cell.style, palette).text
            let opacity = cell.style.attributes.contains(.dim) ? " fill-opacity=\"0.6\" stroke-opacity=\"0.6\"" : ""
            if let shape = Self.shape(cell.glyph, x: x * cw, y: y * ch, color: color) {
                out += opacity.isEmpty ? shape : "<g\(opacity)>\(shape)</g>"
                out += "\n"
                x += 1
                continue
            }
            if cell.glyph == " " {
                x += 1
                continue
            }
            var end = x + 1
            while end < cells.count, cells[end].style == cell.style,
                Self.shape(cells[end].glyph, x: 0, y: 0, color: "") == nil,
                !(cells[end].glyph == " " && (end + 1 == cells.count || cells[end + 1].glyph == " "))
            {
                end += 1
            }
            let text = String(cells[x..<end].map(\.glyph))
            var attributes = "x=\"\(x * cw)\" y=\"\(y * ch + 15)\" textLength=\"\((end - x) * cw)\" "
            attributes += "lengthAdjust=\"spacingAndGlyphs\" fill=\"\(color)\"\(opacity)"
            if cell.style.attributes.contains(.bold) { attributes += " font-weight=\"bold\"" }
            if cell.style.attributes.contains(.underline) { attributes += " text-decoration=\"underline\"" }
            out += "<text \(attributes)>\(Self.escaped(text))</text>\n"
            x = end
        }
        return out
    }

    /// The shape of a block element, shade or light box-drawing glyph in the cell at (`x`, `y`), or nil for a glyph
    /// drawn as text.
    static func shape(_ glyph: Character, x: Int, y: Int, color: String) -> String? {
        let (cw, ch) = Canvas.svgCell
        func rect(_ dx: Double, _ dy: Double, _ w: Double, _ h: Double, opacity: Double = 1) -> String {
            "<rect x=\"\(n(Double(x) + dx))\" y=\"\(n(Double(y) + dy))\" width=\"\(n(w))\" height=\"\(n(h))\" "
                + "fill=\"\(color)\"" + (opacity < 1 ? " fill-opacity=\"\(n(opacity))\"" : "") + "/>"
        }
        let (w, h) = (Double(cw), Double(ch))
        guard let scalar = glyph.unicodeScalars.first, glyph.unicodeScalars.count == 1 else { return nil }
        switch scalar.value {
        case 0x2581...0x2588:  // ▁ … █: the lower k eighths
            let k = Double(scalar.value - 0x2580)
            return rect(0, h - h * k / 8, w, h * k / 8)
        case 0x2580: return rect(0, 0, w, h / 2)  // ▀
        case 0x2589...0x258F:  // ▉ … ▏: the left k eighths
            let k = Double(0x2590 - scalar.value)
            return rect(0, 0, w * k / 8, h)
        case 0x2590: return rect(w / 2, 0, w / 2, h)  // ▐
        case 0x2594: return rect(0, 0, w, h / 8)  // ▔
        case 0x2595: return rect(w - w / 8, 0, w / 8, h)  // ▕
        case 0x2591, 0x2592, 0x2593:  // ░ ▒ ▓
            return rect(0, 0, w, h, opacity: Double(scalar.value - 0x2590) / 4)
        default: break
        }
        guard let arms = boxArms[scalar.value] else { return nil }
        // Arms from the cell's centre to the middle of each side it reaches; rounded corners as quarter circles.
        let (cx, cy) = (Double(x) + w / 2, Double(y) + h / 2)
        let dash = arms.dashed ? " stroke-dasharray=\"3 3\"" : ""
        let stroke = "stroke=\"\(color)\" stroke-width=\"1.5\" fill=\"none\"\(dash)"
        if arms.rounded {
            let r = w / 2
            let sx = arms.right ? 1.0 : -1.0, sy = arms.down ? 1.0 : -1.0
            let (vx, vy) = (cx, arms.down ? Double(y) + h : Double(y))
            let (hx, hy) = (arms.right ? Double(x) + w : Double(x), cy)
            return "<path d=\"M\(n(vx)) \(n(vy)) L\(n(cx)) \(n(cy + sy * r)) "
                + "Q\(n(cx)) \(n(cy)) \(n(cx + sx * r)) \(n(cy)) L\(n(hx)) \(n(hy))\" \(stroke)/>"
        }
        var d = ""
        if arms.left || arms.right {
            d += "M\(n(arms.left ? Double(x) : cx)) \(n(cy)) H\(n(arms.right ? Double(x) + w : cx)) "
        }
        if arms.up || arms.down {
            d += "M\(n(cx)) \(n(arms.up ? Double(y) : cy)) V\(n(arms.down ? Double(y) + h : cy))"
        }
        return "<path d=\"\(d.trimmingSuffix())\" \(stroke)/>"
    }

    /// Which sides a light box-drawing glyph reaches, whether it is dashed, and whether its corner is rounded.
    struct BoxArms {
        var up = false, down = false, left = false, right = false, dashed = false, rounded = false
    }

    static let boxArms: [UInt32: BoxArms] = {
        var t: [UInt32: BoxArms] = [:]
        t[0x2500] = BoxArms(left: true, right: true)  // ─
        t[0x2502] = BoxArms(up: true, down: true)  // │
        t[0x250C] = BoxArms(down: true, right: true)  // ┌
        t[0x2510] = BoxArms(down: true, left: true)  // ┐
        t[0x2514] = BoxArms(up: true, right: true)  // └
        t[0x2518] = BoxArms(up: true, left: true)  // ┘
        t[0x251C] = BoxArms(up: true, down: true, right: true)  // ├
        t[0x2524] = BoxArms(up: true, down: true, left: true)  // ┤
        t[0x252C] = BoxArms(down: true, left: true, right: true)  // ┬
        t[0x2534] = BoxArms(up: true, left: true, right: true)  // ┴
        t[0x253C] = BoxArms(up: true, down: true, left: true, right: true)  // ┼
        t[0x256D] = BoxArms(down: true, right: true, rounded: true)  // ╭
        t[0x256E] = BoxArms(down: true, left: true, rounded: true)  // ╮
        t[0x256F] = BoxArms(up: true, left: true, rounded: true)  // ╯
        t[0x2570] = BoxArms(up: true, right: true, rounded: true)  // ╰
        t[0x2574] = BoxArms(left: true)  // ╴
        t[0x2575] = BoxArms(up: true)  // ╵
        t[0x2576] = BoxArms(right: true)  // ╶
        t[0x2577] = BoxArms(down: true)  // ╷
        for dashedH: UInt32 in [0x2504, 0x2508, 0x254C] { t[dashedH] = BoxArms(left: true, right: true, dashed: true) }
        for dashedV: UInt32 in [0x2506, 0x250A, 0x254E] { t[dashedV] = BoxArms(up: true, down: true, dashed: true) }
        return t
    }()

    /// A coordinate with at most two decimals and no trailing zeros.
    private static func n(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// `text` safe inside an SVG element: markup characters escaped, control characters (which XML forbids)
    /// replaced by U+FFFD.
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                let forbidden = v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
                out.unicodeScalars.append(forbidden ? "\u{FFFD}" : scalar)
            }
        }
        return out
    }
}

extension String {
    fileprivate func trimmingSuffix() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
