/// The characters used for lines, arrows, shading and bars.
///
/// `.unicode` uses box-drawing and block elements; `.ascii` uses only
/// printable ASCII so the UI stays legible in a non-UTF-8 locale (LANG=C),
/// on a serial console or on a terminal with a poor font.
public enum GlyphSet: Hashable, Sendable, CaseIterable {
    /// Box drawing, arrows and block elements.
    case unicode
    /// Printable ASCII only.
    case ascii

    /// Chooses a glyph set from the locale's character set name
    /// (`nl_langinfo(CODESET)`): UTF-8 (any case, with or without the dash)
    /// gives `.unicode`, anything else `.ascii`.
    public static func detect(codeset: String) -> GlyphSet {
        let normalized = codeset.uppercased().filter { $0 != "-" && $0 != "_" }
        return normalized == "UTF8" ? .unicode : .ascii
    }

    /// Horizontal line: `─` or `-`.
    public var horizontal: Character { self == .unicode ? "─" : "-" }
    /// Vertical line: `│` or `|`.
    public var vertical: Character { self == .unicode ? "│" : "|" }
    /// Top-left corner: `┌` or `+`.
    public var topLeft: Character { self == .unicode ? "┌" : "+" }
    /// Top-right corner: `┐` or `+`.
    public var topRight: Character { self == .unicode ? "┐" : "+" }
    /// Bottom-left corner: `└` or `+`.
    public var bottomLeft: Character { self == .unicode ? "└" : "+" }
    /// Bottom-right corner: `┘` or `+`.
    public var bottomRight: Character { self == .unicode ? "┘" : "+" }

    /// Right arrow: `→` or `>`.
    public var arrowRight: Character { self == .unicode ? "→" : ">" }
    /// Left arrow: `←` or `<`.
    public var arrowLeft: Character { self == .unicode ? "←" : "<" }
    /// Up arrow: `↑` or `^`.
    public var arrowUp: Character { self == .unicode ? "↑" : "^" }
    /// Down arrow: `↓` or `v`.
    public var arrowDown: Character { self == .unicode ? "↓" : "v" }

    /// Shading from light to full: `░▒▓█` or `.:#@`.
    public var shades: [Character] {
        self == .unicode ? ["░", "▒", "▓", "█"] : [".", ":", "#", "@"]
    }

    /// Eighth blocks from 1/8 to 8/8: `▁▂▃▄▅▆▇█`, or the ASCII density ramp `.,:;=+*#`.
    public var eighths: [Character] {
        self == .unicode
            ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
            : [".", ",", ":", ";", "=", "+", "*", "#"]
    }

    /// The shading glyph for `fraction` in [0, 1]: a space at 0 (and for NaN
    /// or negative values), otherwise one of ``shades`` chosen by rounding
    /// `fraction × 4` up, so any positive value is visible.
    public func shade(_ fraction: Double) -> Character {
        guard fraction > 0 else { return " " }
        let level = Int((Swift.min(fraction, 1) * 4).rounded(.up))
        return shades[Swift.max(1, level) - 1]
    }

    /// The sparkline/bar glyph for `fraction` in [0, 1]: a space at 0 (and for
    /// NaN or negative values), otherwise one of ``eighths`` chosen by rounding
    /// `fraction × 8` to nearest, with any positive value at least 1/8.
    public func bar(_ fraction: Double) -> Character {
        guard fraction > 0 else { return " " }
        let level = Int((Swift.min(fraction, 1) * 8).rounded())
        return eighths[Swift.max(1, level) - 1]
    }
}
