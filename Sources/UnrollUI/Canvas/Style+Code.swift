extension Style {
    /// Compact text form used by ``Canvas/styledLines()``: empty for
    /// ``plain``, otherwise `fg/bg` plus ` ` and attribute letters (BDRU).
    public var code: String {
        if self == .plain { return "" }
        var letters = ""
        if attributes.contains(.bold) { letters += "B" }
        if attributes.contains(.dim) { letters += "D" }
        if attributes.contains(.reverse) { letters += "R" }
        if attributes.contains(.underline) { letters += "U" }
        let colors = "\(Style.code(for: foreground))/\(Style.code(for: background))"
        return letters.isEmpty ? colors : "\(colors) \(letters)"
    }

    /// One colour's code: `-` default, `k r g y b m c w` for the ANSI colours,
    /// the decimal index for a palette colour.
    public static func code(for color: Color) -> String {
        switch color {
        case .default: return "-"
        case .black: return "k"
        case .red: return "r"
        case .green: return "g"
        case .yellow: return "y"
        case .blue: return "b"
        case .magenta: return "m"
        case .cyan: return "c"
        case .white: return "w"
        case .indexed(let index): return String(index)
        }
    }
}
