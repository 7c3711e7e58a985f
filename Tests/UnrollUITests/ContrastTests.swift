import Testing
import UnrollLessons

@testable import UnrollUI

/// The terminal background the themes are designed for: dark (black), as on the lab machines and most projectors' setups.
private let background = Color.black

@Test("xterm's palette: luminance and contrast follow WCAG 2 (black on white is 21:1, a colour with itself 1:1)")
func contrastArithmetic() throws {
    #expect(abs(try #require(Color.indexed(16).contrast(with: .indexed(231))) - 21) < 1e-9)
    #expect(try #require(Color.indexed(30).contrast(with: .indexed(30))) == 1)
    let rgb = try #require(Color.indexed(67).rgb)
    #expect(rgb.r == 95 && rgb.g == 135 && rgb.b == 175)
    #expect(try #require(Color.indexed(244).rgb).r == 128)
}

/// Every style a theme draws text, arrows or bars in for magnitudes (fractions at each bin's centre) and signed values,
/// as (text colour, the colour behind it: the cell's background, else the terminal's dark background).
private func foregrounds(_ theme: Theme) -> [(String, Color, Color)] {
    var out: [(String, Color, Color)] = []
    func add(_ what: String, _ style: Style) {
        guard style.foreground != .default else { return }
        out.append((what, style.foreground, style.background == .default ? background : style.background))
    }
    for i in 0..<16 {
        add("magnitude \((Double(i) + 0.5) / 16)", theme.foreground(forMagnitude: (Double(i) + 0.5) / 16))
    }
    for i in -10...10 { add("signed \(Double(i) / 10)", theme.foreground(forSigned: Double(i) / 10)) }
    return out
}

@Test(
    "Projector theme: every colour of the gradient and value scales, as text, stands out from what is behind it (≥ 4.5:1)",
    arguments: [ColorMode.color256, .color8])
func projectorContrast(_ mode: ColorMode) throws {
    let theme = Theme.projector(colorMode: mode, glyphs: .unicode)
    let colours = foregrounds(theme)
    #expect(colours.count > 10)
    for (what, colour, behind) in colours {
        let ratio = try #require(colour.contrast(with: behind))
        #expect(ratio >= 4.5, "\(mode) \(what): \(colour) on \(behind) has contrast \(ratio)")
    }
}

@Test("8 colours: the value and gradient scales never pair red with green (colour-blind safe)")
func eightColoursNoRedGreen() {
    let all = Set(Palette.diverging8 + Palette.sequential8)
    #expect(!(all.contains(.red) && all.contains(.green)))
}

@Test(
    "Projector theme: the phase badge (dark text on its colour) reads at 4.5:1 or better, forward and backward",
    arguments: [ColorMode.color256, .color8])
func projectorPhaseBadge(_ mode: ColorMode) throws {
    var s = try Session(lesson: .defaultLesson)
    for phase in 0..<2 {
        if phase == 1 { s.handle(.switchPhase) }
        let canvas = Screen.render(s, theme: .projector(colorMode: mode, glyphs: .unicode), width: 100, height: 30)
        let badge = try #require(
            canvas.cells.prefix(100).first { $0.style.attributes.contains(.reverse) && $0.style.foreground != .default }
        )
        let ratio = try #require(badge.style.foreground.contrast(with: background))
        #expect(ratio >= 4.5, "\(mode) phase \(phase): badge \(badge.style.foreground) on black is \(ratio)")
    }
}

/// Whether a glyph is drawn as a shape in a figure (a bar, a shade, a border): not text, so not held to 4.5:1.
private func isShape(_ glyph: Character) -> Bool { Canvas.shape(glyph, x: 0, y: 0, color: "") != nil }

@Test(
    "Light theme: every cell is painted, and every text cell of the step-through reads at 4.5:1 or better on what is behind it",
    arguments: [ColorMode.color256, .color8])
func lightContrast(_ mode: ColorMode) throws {
    let theme = Theme(colorMode: mode, glyphs: .unicode, contrast: .light)
    var checked = 0
    for (name, keys) in [("vanishing", [Action]()), ("exploding", []), ("memory", [.switchPhase]), ("lstm", [.switchPhase])]
    {
        var s = try Session(lesson: try #require(Lesson.builtin.first { $0.name == name }), asksQuestions: true)
        for key in keys { s.handle(key) }
        for _ in 0..<2 {
            let canvas = Screen.render(s, theme: theme, width: 120, height: 40)
            for (i, cell) in canvas.cells.enumerated() {
                #expect(cell.style.foreground != .default && cell.style.background != .default, "\(name) cell \(i)")
                guard cell.glyph != " ", !isShape(cell.glyph), !cell.style.attributes.contains(.dim) else { continue }
                let ratio = try #require(cell.style.foreground.contrast(with: cell.style.background))
                #expect(ratio >= 4.5, "\(mode) \(name) cell \(i) '\(cell.glyph)': \(cell.style) is \(ratio)")
                checked += 1
            }
            s.handle(.stepForward)
        }
    }
    #expect(checked > 2000)
}

@Test("Light theme: the standard theme's colours are darkened to read on white, never lightened or left as yellow")
func lightDarkens() throws {
    let theme = Theme(colorMode: .color256, glyphs: .unicode, contrast: .light)
    let yellow = theme.light(Style(foreground: .yellow, attributes: .bold))
    let ratio = try #require(yellow.foreground.contrast(with: .indexed(231)))
    #expect(ratio >= 4.5, "\(yellow)")
    let rgb = try #require(yellow.foreground.rgb)
    #expect(rgb.r == rgb.g && rgb.b == 0 && rgb.r < 205, "still a yellow hue, darker: \(rgb)")
    // A colour that already reads on white is kept: xterm 25 (#005faf) is 6.4:1.
    #expect(theme.light(Style(foreground: .indexed(25))).foreground == .indexed(25))
    // Other themes are not touched.
    let canvas = Canvas(width: 3, height: 1)
    #expect(Theme(colorMode: .color256, glyphs: .unicode).painted(canvas) == canvas)
}
