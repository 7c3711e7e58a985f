import Foundation

/// Number formatting for narrow panels.
public enum Format {
    /// A number in about `digits` significant digits: `0.123`, `-1.5`, `3.2e-05`, `NaN`, `Inf`.
    public static func number(_ x: Double, digits: Int = 3) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e4 || a < 1e-3 { return printf(digits == 3 ? "%.1e" : "%.\(max(0, digits - 2))e", x) }
        return printf(digits == 3 ? "%.3g" : "%.\(digits)g", x)
    }

    /// `x` formatted by C's `printf` with `format` (one double conversion), as `String(format:)` formats it
    /// (Foundation formats a double with the C library too) without the detour through `NSString`, which took
    /// about 5 % of the UI thread's time per frame.
    /// - Complexity: O(length of the result).
    static func printf(_ format: String, _ x: Double) -> String {
        let capacity = 64
        let text: String? = withUnsafeTemporaryAllocation(of: CChar.self, capacity: capacity) { buffer in
            guard let base = buffer.baseAddress else { return nil }
            let n = withVaList([x]) { vsnprintf(base, capacity, format, $0) }
            guard n >= 0, n < capacity else { return nil }
            return String(cString: base)
        }
        return text ?? String(format: format, x)
    }

    /// `x` with a fixed number of decimals and a sign column: `+0.50`, `-1.25`.
    public static func signed(_ x: Double, decimals: Int = 2) -> String {
        if !x.isFinite { return number(x) }
        return printf(decimals == 2 ? "%+.2f" : "%+.\(decimals)f", x)
    }

    /// `text` fitted to `width` characters without cutting a word in half: whole words up to the width and
    /// "…" after them; a single word too long for the width is abbreviated, its last kept character replaced by "…".
    public static func fitted(_ text: String, width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        let head = text.prefix(width - 1)
        if let space = head.lastIndex(of: " "), head[..<space].contains(where: { $0 != " " }) {
            // A text cut after its own "…" (a title's "France … French") keeps that one.
            let kept = String(head[..<space]).trimmingTrailingSpaces
            return kept.hasSuffix("…") ? kept : kept + "…"
        }
        return String(head) + "…"
    }

    /// Whole items of `items`, joined by `separator`, as many as fit in `width` from the first.
    public static func fittingItems(_ items: [String], separator: String, width: Int) -> String {
        var out = ""
        for item in items {
            let next = out.isEmpty ? item : out + separator + item
            guard next.count <= width else { break }
            out = next
        }
        return out
    }
}

extension String {
    /// The string without trailing spaces.
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
