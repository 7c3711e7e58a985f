extension Theme {
    /// Text or edge colour for a magnitude fraction in [0, 1] on the sequential map
    /// (monochrome: dim below 1/3, bold above 2/3).
    public func foreground(forMagnitude fraction: Double) -> Style {
        if fraction.isNaN { return invalidValue.style }
        switch colorMode {
        case .monochrome:
            if fraction > 2.0 / 3 { return Style(attributes: .bold) }
            if fraction < 1.0 / 3 { return muted }
            return .plain
        case .color256, .color8:
            return legible(style(forMagnitude: fraction).style.background)
        }
    }

    /// A scale colour as text: the colour itself, bold on projectors; on a projector, a colour too dark to read on a
    /// dark background (below 4.5:1, e.g. the 8-colour blue) becomes a chip: bold white on that colour.
    func legible(_ colour: Color) -> Style {
        guard contrast == .projector else { return Style(foreground: colour) }
        if let ratio = colour.contrast(with: .black), ratio < 4.5 {
            return Style(foreground: .white, background: colour, attributes: .bold)
        }
        return Style(foreground: colour, attributes: .bold)
    }

    /// Text colour for a signed value in [−1, 1] on the diverging map (monochrome: plain).
    public func foreground(forSigned value: Double) -> Style {
        if value.isNaN { return invalidValue.style }
        switch colorMode {
        case .monochrome:
            return abs(value) > 2.0 / 3 ? Style(attributes: .bold) : .plain
        case .color256, .color8:
            // The white centre of the diverging map is invisible as text: use the default colour there.
            if abs(value) < 0.1 { return text }
            return legible(style(forSigned: value).style.background)
        }
    }
}
