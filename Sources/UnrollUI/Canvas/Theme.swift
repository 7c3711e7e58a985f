/// Colours and glyphs for one terminal: maps values to heatmap cells and
/// names the styles views use for text, borders and highlights.
///
/// Every style a theme returns is already approximated for its
/// ``colorMode``, so views never need to check capabilities themselves.
public struct Theme: Hashable, Sendable {
    /// Standard styling, or high contrast for classroom projectors.
    public enum Contrast: Hashable, Sendable, CaseIterable {
        /// For a laptop or lab screen.
        case standard
        /// For projectors: bolder text, no dim text, saturated heatmap ends.
        case projector
        /// For bright rooms and print: dark text on a white screen, painted on every cell (``Theme/painted(_:)``), so
        /// a dark terminal shows it too; every text colour darkened to 4.5:1 or better against the white.
        case light
    }

    /// How many colours may be used.
    public var colorMode: ColorMode
    /// Which characters may be used.
    public var glyphs: GlyphSet
    /// Standard, projector or light.
    public var contrast: Contrast

    /// Creates a theme.
    public init(colorMode: ColorMode, glyphs: GlyphSet, contrast: Contrast = .standard) {
        self.colorMode = colorMode
        self.glyphs = glyphs
        self.contrast = contrast
    }

    /// The high-contrast theme for projectors.
    public static func projector(colorMode: ColorMode, glyphs: GlyphSet) -> Theme {
        Theme(colorMode: colorMode, glyphs: glyphs, contrast: .projector)
    }

    /// The heatmap cell for a signed value in [-1, 1] (clamped), on the
    /// diverging map.
    ///
    /// - `.color256`: a space on one of 11 ``Palette/diverging256`` backgrounds
    ///   (``Palette/diverging256Projector`` for projectors).
    /// - `.color8`: a space on one of 5 ``Palette/diverging8`` backgrounds.
    /// - `.monochrome`: one of 5 ``Palette/divergingMonochrome`` glyphs (the
    ///   centre is `·` with Unicode glyphs), outer bins bold.
    ///
    /// NaN gives ``invalidValue``.
    public func style(forSigned value: Double) -> Cell {
        switch colorMode {
        case .color256:
            let table = contrast == .projector ? Palette.diverging256Projector : Palette.diverging256
            guard let bin = Palette.signedBin(value, count: table.count) else { return invalidValue }
            return Cell(" ", style: Style(background: .indexed(table[bin])))
        case .color8:
            guard let bin = Palette.signedBin(value, count: Palette.diverging8.count) else { return invalidValue }
            return Cell(" ", style: Style(background: Palette.diverging8[bin]))
        case .monochrome:
            let table = Palette.divergingMonochrome
            guard let bin = Palette.signedBin(value, count: table.count) else { return invalidValue }
            let center = table.count / 2
            let glyph: Character = bin == center && glyphs == .unicode ? "·" : table[bin]
            let outer = bin == 0 || bin == table.count - 1
            return Cell(glyph, style: outer ? Style(attributes: .bold) : .plain)
        }
    }

    /// The heatmap cell for a magnitude already scaled to [0, 1] (clamped;
    /// see ``Palette/logFraction(_:floor:ceiling:)``), on the sequential map.
    ///
    /// - `.color256`: a space on one of 8 ``Palette/sequential256`` backgrounds
    ///   (``Palette/sequential256Projector`` for projectors).
    /// - `.color8`: a space on one of 4 ``Palette/sequential8`` backgrounds.
    /// - `.monochrome`: a shading glyph from ``GlyphSet/shade(_:)``, a space at 0.
    ///
    /// NaN gives ``invalidValue``.
    public func style(forMagnitude fraction: Double) -> Cell {
        switch colorMode {
        case .color256:
            let table = contrast == .projector ? Palette.sequential256Projector : Palette.sequential256
            guard let bin = Palette.fractionBin(fraction, count: table.count) else { return invalidValue }
            return Cell(" ", style: Style(background: .indexed(table[bin])))
        case .color8:
            guard let bin = Palette.fractionBin(fraction, count: Palette.sequential8.count) else { return invalidValue }
            return Cell(" ", style: Style(background: Palette.sequential8[bin]))
        case .monochrome:
            guard !fraction.isNaN else { return invalidValue }
            return Cell(glyphs.shade(fraction))
        }
    }

    /// The cell for a value that cannot be shown (NaN): a bold reversed `?`,
    /// magenta where colour is available.
    public var invalidValue: Cell {
        Cell("?", style: Style(foreground: .magenta, attributes: [.bold, .reverse]).approximated(for: colorMode))
    }

    /// Body text: plain, bold on projectors.
    public var text: Style { contrast == .projector ? Style(attributes: .bold) : .plain }

    /// Secondary text: dim, but plain on projectors where dim text vanishes.
    public var muted: Style { contrast == .projector ? .plain : Style(attributes: .dim) }

    /// Panel titles: bold, also underlined on projectors.
    public var title: Style {
        Style(attributes: contrast == .projector ? [.bold, .underline] : .bold)
    }

    /// Panel frames: grey (cyan with 8 colours); bold default colour on projectors.
    public var border: Style {
        if contrast == .projector { return Style(attributes: .bold) }
        return Style(foreground: colorMode == .color8 ? .cyan : .indexed(244)).approximated(for: colorMode)
    }

    /// The current selection or time step: reversed, also bold on projectors.
    public var highlight: Style {
        Style(attributes: contrast == .projector ? [.reverse, .bold] : .reverse)
    }

    /// Warnings (exploding gradients, a terminal too small): bold yellow,
    /// bold underlined in monochrome.
    public var warning: Style {
        if colorMode == .monochrome { return Style(attributes: [.bold, .underline]) }
        return Style(foreground: .yellow, attributes: .bold)
    }
}
