/// A terminal colour: the terminal's default, one of the 8 ANSI colours, or a
/// 256-colour palette index.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background colour.
    case `default`
    /// ANSI colour 0.
    case black
    /// ANSI colour 1.
    case red
    /// ANSI colour 2.
    case green
    /// ANSI colour 3.
    case yellow
    /// ANSI colour 4.
    case blue
    /// ANSI colour 5.
    case magenta
    /// ANSI colour 6.
    case cyan
    /// ANSI colour 7.
    case white
    /// An xterm 256-colour palette index: 0–15 system colours, 16–231 the
    /// 6×6×6 cube (`16 + 36r + 6g + b`), 232–255 a grey ramp.
    case indexed(UInt8)

    /// The 8 ANSI colours in palette order (index 0 is black).
    public static let ansi: [Color] = [.black, .red, .green, .yellow, .blue, .magenta, .cyan, .white]

    /// The palette number a terminal library expects, or -1 for `.default`.
    public var paletteIndex: Int {
        switch self {
        case .default: return -1
        case .black: return 0
        case .red: return 1
        case .green: return 2
        case .yellow: return 3
        case .blue: return 4
        case .magenta: return 5
        case .cyan: return 6
        case .white: return 7
        case .indexed(let index): return Int(index)
        }
    }

    /// The closest colour a terminal in `mode` can show.
    ///
    /// - `.color256`: unchanged.
    /// - `.color8`: indices 0–15 fold onto the 8 ANSI colours; cube colours map
    ///   to the ANSI colour whose channels are on where the cube channel is
    ///   at least half (level ≥ 3 of 0…5), with all-off becoming black; greys
    ///   below 244 become black, the rest white.
    /// - `.monochrome`: always `.default`.
    public func approximated(for mode: ColorMode) -> Color {
        switch mode {
        case .color256:
            return self
        case .monochrome:
            return .default
        case .color8:
            guard case .indexed(let index) = self else { return self }
            let value = Int(index)
            if value < 16 { return Color.ansi[value % 8] }
            if value >= 232 { return value < 244 ? .black : .white }
            let cube = value - 16
            let r = cube / 36, g = (cube / 6) % 6, b = cube % 6
            let bits = (r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0)
            return Color.ansi[bits]
        }
    }
}
