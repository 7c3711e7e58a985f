#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Colour and glyph tables for heatmaps, and the binning that indexes them.
///
/// Two maps are provided, each with fallbacks for 8 colours and monochrome:
/// - a diverging map for signed values in [-1, 1]: blue ↔ white ↔ orange/red,
///   which stays distinguishable with red-green colour blindness;
/// - a sequential map for magnitudes in [0, 1] (use ``logFraction(_:floor:ceiling:)``
///   to log-scale them first): dark purple → blue → teal → green → yellow,
///   after viridis (with 8 colours: blue → cyan → yellow → white).
///
/// Tables are ordered from the most negative (or smallest) bin to the most
/// positive (or largest).
public enum Palette {
    /// Diverging map, 11 bins, xterm 256-colour indices: five blues, white, five oranges/reds.
    public static let diverging256: [UInt8] = [25, 32, 68, 110, 153, 231, 223, 216, 209, 202, 166]
    /// Diverging map for projectors: as text, every colour stands out from a dark background by at least 4.5:1
    /// (WCAG AA; checked by a test), so the darkest blue and red of the standard map are replaced.
    public static let diverging256Projector: [UInt8] = [33, 39, 75, 117, 153, 231, 222, 214, 208, 202, 196]
    /// Diverging map with the 8 ANSI colours, 5 bins.
    public static let diverging8: [Color] = [.blue, .cyan, .white, .yellow, .red]
    /// Diverging map without colour, 5 bins: sign shown by the glyph family,
    /// `=` `-` for negative, `+` `#` for positive; the outer bins are also bold.
    public static let divergingMonochrome: [Character] = ["=", "-", ".", "+", "#"]

    /// Sequential (viridis-like) map, 8 bins, xterm 256-colour indices.
    public static let sequential256: [UInt8] = [53, 61, 67, 30, 36, 71, 148, 226]
    /// Sequential map for projectors: every bin at least 4.5:1 against a dark background (a vanished gradient
    /// must not vanish from the screen too), from violet through teal and green to yellow, in rising luminance.
    public static let sequential256Projector: [UInt8] = [98, 68, 37, 43, 78, 148, 184, 226]
    /// Sequential map with the 8 ANSI colours, 4 bins, in rising luminance; no green, so no red/green pair
    /// with the diverging map's red.
    public static let sequential8: [Color] = [.blue, .cyan, .yellow, .white]

    /// The bin of a signed value for a table of `count` bins (`count` odd,
    /// centre bin is zero).
    ///
    /// `value` is clamped to [-1, 1] (infinities clamp too) and scaled so each
    /// bin is `2 / (count - 1)` wide, rounding to nearest: with 11 bins, bin 5
    /// covers (-0.1, 0.1). Returns nil for NaN.
    public static func signedBin(_ value: Double, count: Int) -> Int? {
        guard !value.isNaN, count > 0 else { return nil }
        let half = (count - 1) / 2
        let clamped = Swift.min(1, Swift.max(-1, value))
        return Int((clamped * Double(half)).rounded()) + half
    }

    /// The bin of a fraction for a table of `count` bins: `fraction` is clamped
    /// to [0, 1] and bin `i` covers [i / count, (i + 1) / count), with 1 in the
    /// last bin. Returns nil for NaN.
    public static func fractionBin(_ fraction: Double, count: Int) -> Int? {
        guard !fraction.isNaN, count > 0 else { return nil }
        let clamped = Swift.min(1, Swift.max(0, fraction))
        return Swift.min(count - 1, Int(clamped * Double(count)))
    }

    /// Maps a magnitude onto [0, 1] on a log scale: `|magnitude| ≤ floor` gives
    /// 0, `≥ ceiling` gives 1, and in between
    /// `log(|m| / floor) / log(ceiling / floor)`.
    ///
    /// Suited to gradient norms that span many decades (vanishing and exploding
    /// gradients). Returns NaN for a NaN magnitude.
    /// - Precondition: `0 < floor < ceiling`.
    public static func logFraction(_ magnitude: Double, floor: Double, ceiling: Double) -> Double {
        precondition(floor > 0 && floor < ceiling, "logFraction needs 0 < floor < ceiling")
        if magnitude.isNaN { return .nan }
        let m = Swift.abs(magnitude)
        if m <= floor { return 0 }
        if m >= ceiling { return 1 }
        return log(m / floor) / log(ceiling / floor)
    }
}
