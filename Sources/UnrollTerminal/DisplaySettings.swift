import UnrollUI

/// How an interactive view is shown, as the command line chose it (`--no-color`, `--ascii`, `--theme`,
/// `--presenter`, `--record`): one value for ``TerminalApp``'s step-through, class and training loops.
public struct DisplaySettings {
    /// A colour mode to force; nil detects it from `NO_COLOR` and the terminal.
    public var colorMode: ColorMode?
    /// A glyph set to force; nil uses Unicode in a UTF-8 locale, else ASCII.
    public var glyphs: GlyphSet?
    /// The theme's contrast (`--theme`).
    public var contrast: Theme.Contrast
    /// Open the step-through in presenter mode (`--presenter`; `P` toggles it). A student's view follows the
    /// presenter's state instead, and the training view has no presenter mode.
    public var presenter: Bool
    /// Makes a recorder, given the terminal's width and height, that receives every frame drawn (`--record`).
    public var record: ((Int, Int) throws -> AsciicastRecorder)?

    /// Settings; the defaults detect the colours and glyphs and record nothing.
    public init(
        colorMode: ColorMode? = nil, glyphs: GlyphSet? = nil, contrast: Theme.Contrast = .standard,
        presenter: Bool = false, record: ((Int, Int) throws -> AsciicastRecorder)? = nil
    ) {
        self.colorMode = colorMode
        self.glyphs = glyphs
        self.contrast = contrast
        self.presenter = presenter
        self.record = record
    }
}
