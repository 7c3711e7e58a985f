/// How a cell is painted: foreground and background colour plus attributes.
public struct Style: Hashable, Sendable {
    /// Glyph colour.
    public var foreground: Color
    /// Cell background colour.
    public var background: Color
    /// Bold, dim, reverse, underline.
    public var attributes: TextAttributes

    /// Creates a style; every part defaults to the terminal's default.
    public init(foreground: Color = .default, background: Color = .default, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours with no attributes.
    public static let plain = Style()

    /// This style with `attributes` added.
    public func adding(_ attributes: TextAttributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    /// The closest style a terminal in `mode` can show: colours are
    /// approximated (see ``Color/approximated(for:)``); attributes are kept.
    public func approximated(for mode: ColorMode) -> Style {
        Style(
            foreground: foreground.approximated(for: mode),
            background: background.approximated(for: mode),
            attributes: attributes
        )
    }
}
