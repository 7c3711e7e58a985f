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
            let bg = style(forMagnitude: fraction).style.background
            return Style(foreground: bg, attributes: contrast == .projector ? .bold : [])
        }
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
            let bg = style(forSigned: value).style.background
            return Style(foreground: bg, attributes: contrast == .projector ? .bold : [])
        }
    }
}
