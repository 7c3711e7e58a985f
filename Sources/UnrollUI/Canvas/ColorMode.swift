/// How many colours the UI may use.
public enum ColorMode: Hashable, Sendable, CaseIterable {
    /// The xterm 256-colour palette.
    case color256
    /// Only the 8 ANSI colours.
    case color8
    /// No colour at all: meaning is carried by glyphs and attributes.
    case monochrome

    /// Chooses a mode from the environment and terminal capabilities.
    ///
    /// - Parameters:
    ///   - noColor: the value of the `NO_COLOR` environment variable, or nil
    ///     when unset. Any non-empty value forces `.monochrome`
    ///     (https://no-color.org).
    ///   - hasColors: whether the terminal supports colour at all.
    ///   - colorCount: the number of colours the terminal reports.
    public static func detect(noColor: String?, hasColors: Bool, colorCount: Int) -> ColorMode {
        if let noColor, !noColor.isEmpty { return .monochrome }
        guard hasColors else { return .monochrome }
        if colorCount >= 256 { return .color256 }
        if colorCount >= 8 { return .color8 }
        return .monochrome
    }
}
