#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Color {
    /// The colour's sRGB channels in 0…255 as xterm draws it (the ANSI colours as xterm's defaults:
    /// 0 black, 1 #cd0000, … 7 #e5e5e5; the cube levels 0, 95, 135, 175, 215, 255; the grey ramp 8 + 10·i);
    /// nil for `.default`, whose colour only the terminal knows.
    public var rgb: (r: Int, g: Int, b: Int)? {
        let ansi = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229),
            (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
            (255, 255, 255)
        ]
        let index = paletteIndex
        switch index {
        case ..<0: return nil
        case 0..<16: return ansi[index]
        case 16..<232:
            let levels = [0, 95, 135, 175, 215, 255]
            let cube = index - 16
            return (levels[cube / 36], levels[(cube / 6) % 6], levels[cube % 6])
        default:
            let v = 8 + 10 * (index - 232)
            return (v, v, v)
        }
    }

    /// WCAG 2 relative luminance in [0, 1]; nil for `.default`.
    public var relativeLuminance: Double? {
        guard let (r, g, b) = rgb else { return nil }
        func linear(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// WCAG 2 contrast ratio with `other`, from 1 (none) to 21 (black on white); nil when either is `.default`.
    public func contrast(with other: Color) -> Double? {
        guard let a = relativeLuminance, let b = other.relativeLuminance else { return nil }
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }
}
