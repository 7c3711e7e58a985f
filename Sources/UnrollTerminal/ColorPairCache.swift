import CNcursesw

/// Allocates ncurses colour pairs on demand and remembers them.
///
/// A pair is created the first time a (foreground, background) combination
/// is drawn. Pair 0 is the terminal's default colours. When the terminal's
/// pairs run out, further combinations fall back to pair 0.
struct ColorPairCache {
    private struct Key: Hashable {
        var foreground: Int
        var background: Int
    }

    private var pairs: [Key: Int16] = [:]
    private var next: Int = 1
    private let limit: Int
    private let defaultColors: Bool

    /// - Parameter defaultColors: whether `use_default_colors()` succeeded, so
    ///   -1 means the terminal's own colour. Otherwise default foreground
    ///   becomes white and default background black.
    init(defaultColors: Bool) {
        self.defaultColors = defaultColors
        self.limit = min(Int(unroll_color_pairs()) - 1, Int(Int16.max))
    }

    /// The pair for `foreground`/`background` palette numbers (-1 for default).
    /// - Complexity: O(1) amortised.
    mutating func pair(foreground: Int, background: Int) -> Int16 {
        var fg = foreground, bg = background
        if !defaultColors {
            if fg < 0 { fg = 7 }
            if bg < 0 { bg = Int(unroll_color_black()) }
        }
        if fg < 0 && bg < 0 { return 0 }
        let key = Key(foreground: fg, background: bg)
        if let pair = pairs[key] { return pair }
        guard next <= limit else { return 0 }
        let pair = Int16(next)
        guard init_pair(pair, Int16(fg), Int16(bg)) == unroll_ok() else { return 0 }
        next += 1
        pairs[key] = pair
        return pair
    }

    /// Forgets every pair (after the terminal was re-initialised).
    mutating func reset() {
        pairs.removeAll()
        next = 1
    }
}
