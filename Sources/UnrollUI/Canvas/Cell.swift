/// One terminal cell: a single-column glyph and its style.
///
/// Glyphs are assumed to occupy exactly one column; double-width characters
/// (CJK, most emoji) are not supported by ``Canvas``.
public struct Cell: Hashable, Sendable {
    /// The character shown in the cell.
    public var glyph: Character
    /// How the glyph and cell background are painted.
    public var style: Style

    /// Creates a cell.
    public init(_ glyph: Character, style: Style = .plain) {
        self.glyph = glyph
        self.style = style
    }

    /// A space in the plain style.
    public static let blank = Cell(" ")
}
