import Foundation

/// Number formatting for narrow panels.
public enum Format {
    /// A number in about `digits` significant digits: `0.123`, `-1.5`, `3.2e-05`, `NaN`, `Inf`.
    public static func number(_ x: Double, digits: Int = 3) -> String {
        if x.isNaN { return "NaN" }
        if x.isInfinite { return x > 0 ? "Inf" : "-Inf" }
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e4 || a < 1e-3 { return String(format: "%.\(max(0, digits - 2))e", x) }
        return String(format: "%.\(digits)g", x)
    }

    /// `x` with a fixed number of decimals and a sign column: `+0.50`, `-1.25`.
    public static func signed(_ x: Double, decimals: Int = 2) -> String {
        if !x.isFinite { return number(x) }
        return String(format: "%+.\(decimals)f", x)
    }
}
