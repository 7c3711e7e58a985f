import Testing

@testable import UnrollUI

@Suite("Glyph sets")
struct GlyphSetTests {
    @Test func unicodeAndASCIIGlyphs() {
        let u = GlyphSet.unicode, a = GlyphSet.ascii
        #expect(String([u.horizontal, u.vertical, u.topLeft, u.topRight, u.bottomLeft, u.bottomRight]) == "─│┌┐└┘")
        #expect(String([a.horizontal, a.vertical, a.topLeft, a.topRight, a.bottomLeft, a.bottomRight]) == "-|++++")
        #expect(String([u.arrowRight, u.arrowLeft, u.arrowUp, u.arrowDown]) == "→←↑↓")
        #expect(String([a.arrowRight, a.arrowLeft, a.arrowUp, a.arrowDown]) == "><^v")
        #expect(String(u.shades) == "░▒▓█" && String(a.shades) == ".:#@")
        #expect(String(u.eighths) == "▁▂▃▄▅▆▇█" && String(a.eighths) == ".,:;=+*#")
    }

    @Test func asciiGlyphsAreASCII() {
        let a = GlyphSet.ascii
        let all =
            [a.horizontal, a.vertical, a.topLeft, a.arrowRight, a.arrowLeft, a.arrowUp, a.arrowDown]
            + a.shades + a.eighths
        #expect(all.allSatisfy { $0.isASCII })
    }

    @Test(
        "bars for sparklines",
        arguments: [
            (0.0, " ", " "), (-0.5, " ", " "), (Double.nan, " ", " "), (0.01, "▁", "."), (0.125, "▁", "."),
            (0.5, "▄", ";"), (0.56, "▄", ";"), (0.57, "▅", "="), (1.0, "█", "#"), (3.0, "█", "#")
        ] as [(Double, Character, Character)])
    func bar(fraction: Double, unicode: Character, ascii: Character) {
        #expect(GlyphSet.unicode.bar(fraction) == unicode)
        #expect(GlyphSet.ascii.bar(fraction) == ascii)
    }

    @Test(
        "codeset detection",
        arguments: [
            ("UTF-8", GlyphSet.unicode), ("utf8", .unicode), ("UTF_8", .unicode),
            ("ANSI_X3.4-1968", .ascii), ("ISO-8859-1", .ascii), ("", .ascii)
        ])
    func detect(codeset: String, expected: GlyphSet) {
        #expect(GlyphSet.detect(codeset: codeset) == expected)
    }
}

@Suite("Colour mode detection")
struct ColorModeTests {
    @Test(
        arguments: [
            (nil, true, 256, ColorMode.color256),
            (nil, true, 16777216, .color256),
            (nil, true, 8, .color8),
            (nil, true, 16, .color8),
            (nil, true, 2, .monochrome),
            (nil, false, 256, .monochrome),
            ("1", true, 256, .monochrome),
            ("", true, 256, .color256)
        ] as [(String?, Bool, Int, ColorMode)])
    func detect(noColor: String?, hasColors: Bool, count: Int, expected: ColorMode) {
        #expect(ColorMode.detect(noColor: noColor, hasColors: hasColors, colorCount: count) == expected)
    }
}

@Suite("Key decoding")
struct KeyTests {
    @Test(
        arguments: [
            (0x0D, Key.enter), (0x0A, .enter), (0x1B, .escape), (0x09, .tab), (0x7F, .backspace), (0x08, .backspace),
            (0x03, .interrupt), (0x0C, .control("l")), (0x01, .control("a")), (0x1A, .control("z")),
            (0x00, .control("@")), (0x1F, .control("_")), (0x71, .character("q")), (0x20, .character(" ")),
            (0xE9, .character("é"))
        ] as [(UInt32, Key)])
    func decode(code: UInt32, expected: Key) throws {
        let scalar = try #require(Unicode.Scalar(code))
        #expect(Key(scalar: scalar) == expected)
    }

    @Test func c1ControlsAreDropped() throws {
        #expect(Key(scalar: try #require(Unicode.Scalar(0x9B))) == nil)
    }
}
