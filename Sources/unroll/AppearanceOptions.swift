import ArgumentParser
import UnrollUI

/// `--theme`, `--no-color` and `--ascii`: how every interactive view looks, the step-through's (in
/// ``DisplayOptions``) and a student's (`unroll join`).
struct AppearanceOptions: ParsableArguments {
    @Option(help: "Colour theme.")
    var theme = Choice(Theme.Contrast.standard)

    @Flag(help: "No colour: shading glyphs only (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "ASCII glyphs only (also when the locale is not UTF-8).")
    var ascii = false

    func validate() throws {
        if let bad = theme.rejected {
            throw ValidationError("--theme: '\(bad)' is not a theme; use \(Choice<Theme.Contrast>.list)")
        }
    }

    /// The colour mode asked for: monochrome with `--no-color`, else nil (the terminal's and `NO_COLOR` decide).
    var colorMode: ColorMode? { noColor ? .monochrome : nil }

    /// The glyphs asked for: ASCII with `--ascii`, else nil (the locale decides).
    var glyphs: GlyphSet? { ascii ? .ascii : nil }
}
