import Testing

@testable import UnrollUI

@Suite("Colour maps")
struct PaletteTests {
    static let theme256 = Theme(colorMode: .color256, glyphs: .unicode)
    static let theme8 = Theme(colorMode: .color8, glyphs: .unicode)
    static let mono = Theme(colorMode: .monochrome, glyphs: .unicode)
    static let monoASCII = Theme(colorMode: .monochrome, glyphs: .ascii)

    static func bg(_ index: UInt8) -> Cell { Cell(" ", style: Style(background: .indexed(index))) }
    static func bg(_ color: Color) -> Cell { Cell(" ", style: Style(background: color)) }

    @Test(
        "diverging, 256 colours",
        arguments: [
            (-1.0, bg(25)), (-5.0, bg(25)), (-0.91, bg(25)), (-0.85, bg(32)), (-0.8, bg(32)), (-0.5, bg(68)),
            (-0.45, bg(110)), (-0.11, bg(153)),
            (-0.09, bg(231)), (0.0, bg(231)), (0.09, bg(231)), (0.11, bg(223)), (0.5, bg(209)), (0.8, bg(202)),
            (1.0, bg(166)), (Double.infinity, bg(166)), (-Double.infinity, bg(25))
        ] as [(Double, Cell)])
    func diverging256(value: Double, expected: Cell) {
        #expect(Self.theme256.style(forSigned: value) == expected)
    }

    @Test("diverging, projector", arguments: [(-1.0, bg(33)), (0.0, bg(231)), (1.0, bg(196))] as [(Double, Cell)])
    func divergingProjector(value: Double, expected: Cell) {
        #expect(Theme.projector(colorMode: .color256, glyphs: .unicode).style(forSigned: value) == expected)
    }

    @Test(
        "diverging, 8 colours",
        arguments: [
            (-1.0, bg(.blue)), (-0.8, bg(.blue)), (-0.6, bg(.cyan)), (-0.4, bg(.cyan)), (-0.2, bg(.white)),
            (0.0, bg(.white)),
            (0.3, bg(.yellow)), (0.75, bg(.red)), (2.0, bg(.red))
        ] as [(Double, Cell)])
    func diverging8(value: Double, expected: Cell) {
        #expect(Self.theme8.style(forSigned: value) == expected)
    }

    static let bold = Style(attributes: .bold)

    @Test(
        "diverging, monochrome",
        arguments: [
            (-1.0, Cell("=", style: bold), Cell("=", style: bold)),
            (-0.5, Cell("-"), Cell("-")),
            (0.0, Cell("·"), Cell(".")),
            (0.5, Cell("+"), Cell("+")),
            (0.9, Cell("#", style: bold), Cell("#", style: bold))
        ] as [(Double, Cell, Cell)])
    func divergingMonochrome(value: Double, unicode: Cell, ascii: Cell) {
        #expect(Self.mono.style(forSigned: value) == unicode)
        #expect(Self.monoASCII.style(forSigned: value) == ascii)
    }

    @Test(
        "sequential, 256 colours",
        arguments: [
            (0.0, bg(53)), (0.124, bg(53)), (0.125, bg(61)), (0.5, bg(36)), (0.99, bg(226)), (1.0, bg(226)),
            (-1.0, bg(53)), (7.0, bg(226))
        ] as [(Double, Cell)])
    func sequential256(fraction: Double, expected: Cell) {
        #expect(Self.theme256.style(forMagnitude: fraction) == expected)
    }

    @Test func sequentialProjectorStartsVisible() {
        let projector = Theme.projector(colorMode: .color256, glyphs: .ascii)
        #expect(projector.style(forMagnitude: 0) == Self.bg(98))
        #expect(projector.style(forMagnitude: 1) == Self.bg(226))
    }

    @Test(
        "sequential, 8 colours",
        arguments: [
            (0.0, bg(.blue)), (0.3, bg(.cyan)), (0.6, bg(.yellow)), (1.0, bg(.white))
        ] as [(Double, Cell)])
    func sequential8(fraction: Double, expected: Cell) {
        #expect(Self.theme8.style(forMagnitude: fraction) == expected)
    }

    @Test(
        "sequential, monochrome shading",
        arguments: [
            (0.0, " ", " "), (0.01, "░", "."), (0.25, "░", "."), (0.26, "▒", ":"), (0.6, "▓", "#"), (1.0, "█", "@")
        ] as [(Double, Character, Character)])
    func sequentialMonochrome(fraction: Double, unicode: Character, ascii: Character) {
        #expect(Self.mono.style(forMagnitude: fraction) == Cell(unicode))
        #expect(Self.monoASCII.style(forMagnitude: fraction) == Cell(ascii))
    }

    @Test("NaN is flagged in every mode", arguments: ColorMode.allCases)
    func nanIsInvalid(mode: ColorMode) {
        let theme = Theme(colorMode: mode, glyphs: .unicode)
        let expected = Cell(
            "?",
            style: Style(
                foreground: mode == .monochrome ? .default : .magenta, attributes: [.bold, .reverse]))
        #expect(theme.style(forSigned: .nan) == expected)
        #expect(theme.style(forMagnitude: .nan) == expected)
    }

    @Test(
        "log fraction",
        arguments: [
            (0.0, 0.0), (1e-6, 0.0), (1e-5, 0.25), (1e-4, 0.5), (-1e-3, 0.75), (1e-2, 1.0), (5.0, 1.0)
        ] as [(Double, Double)])
    func logFraction(magnitude: Double, expected: Double) {
        let f = Palette.logFraction(magnitude, floor: 1e-6, ceiling: 1e-2)
        #expect(abs(f - expected) < 1e-12)
    }

    @Test func logFractionOfNaNIsNaN() {
        #expect(Palette.logFraction(.nan, floor: 1, ceiling: 10).isNaN)
    }

    @Test func tablesHaveTheDocumentedShapes() {
        #expect(Palette.diverging256.count == 11 && Palette.diverging256[5] == 231)
        #expect(Palette.diverging256Projector.count == 11 && Palette.diverging256Projector[5] == 231)
        #expect(Palette.sequential256.count == 8 && Palette.sequential256Projector.count == 8)
        #expect(Palette.diverging8.count == 5 && Palette.divergingMonochrome.count == 5)
    }
}

@Suite("Colour approximation")
struct ColorApproximationTests {
    @Test(
        "to 8 colours",
        arguments: [
            (Color.indexed(1), Color.red), (.indexed(12), .blue), (.indexed(16), .black), (.indexed(196), .red),
            (.indexed(226), .yellow), (.indexed(231), .white), (.indexed(25), .blue), (.indexed(17), .black),
            (.indexed(33), .blue),
            (.indexed(232), .black), (.indexed(250), .white), (.green, .green), (.default, .default)
        ] as [(Color, Color)])
    func eight(color: Color, expected: Color) {
        #expect(color.approximated(for: .color8) == expected)
        #expect(color.approximated(for: .color256) == color)
        #expect(color.approximated(for: .monochrome) == .default)
    }

    @Test func styleKeepsAttributesInMonochrome() {
        let style = Style(foreground: .red, background: .indexed(17), attributes: [.bold, .underline])
        #expect(style.approximated(for: .monochrome) == Style(attributes: [.bold, .underline]))
    }

    @Test(arguments: [(Color.default, -1), (.black, 0), (.white, 7), (.indexed(200), 200)] as [(Color, Int)])
    func paletteIndex(color: Color, expected: Int) {
        #expect(color.paletteIndex == expected)
    }
}

@Suite("Theme styles")
struct ThemeStyleTests {
    @Test(arguments: ColorMode.allCases)
    func standardVersusProjector(mode: ColorMode) {
        let standard = Theme(colorMode: mode, glyphs: .unicode)
        let projector = Theme.projector(colorMode: mode, glyphs: .unicode)
        #expect(standard.muted == Style(attributes: .dim))
        #expect(projector.muted == .plain)
        #expect(projector.text == Style(attributes: .bold))
        #expect(projector.title == Style(attributes: [.bold, .underline]))
        #expect(projector.highlight == Style(attributes: [.reverse, .bold]))
        #expect(projector.border == Style(attributes: .bold))
    }

    @Test(arguments: [
        (ColorMode.color256, Style(foreground: .indexed(244))),
        (.color8, Style(foreground: .cyan)),
        (.monochrome, Style.plain)
    ])
    func border(mode: ColorMode, expected: Style) {
        #expect(Theme(colorMode: mode, glyphs: .ascii).border == expected)
    }

    @Test func warningInMonochromeUsesAttributes() {
        #expect(Theme(colorMode: .monochrome, glyphs: .ascii).warning == Style(attributes: [.bold, .underline]))
        #expect(Theme(colorMode: .color8, glyphs: .ascii).warning == Style(foreground: .yellow, attributes: .bold))
    }
}
