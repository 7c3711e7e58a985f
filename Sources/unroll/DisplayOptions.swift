import ArgumentParser
import UnrollTerminal
import UnrollUI

/// Options of every interactive command.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Seed for the initial weights (default: the lesson's).")
    var seed: UInt64?

    @OptionGroup var appearance: AppearanceOptions

    @Flag(help: "Open in presenter mode: graph, gradient panel and the step's figures in large digits (P toggles it).")
    var presenter = false

    @Option(
        help: ArgumentHelp("Record the session as an asciicast v2 file for `asciinema play`.", valueName: "file.cast"))
    var record: String?

    @Flag(help: "Overwrite the --record file if it exists.")
    var force = false

    @OptionGroup var limits: LimitOptions

    @Option(
        help: ArgumentHelp(
            "A second model stepped in lockstep below the lesson's, on the same input and seed: "
                + "rnn|lstm|gru, tanh|sigmoid|relu|identity, skip=K or noskip (the lesson's model changed), "
                + "or a lesson or scenario with as many steps; with a training lesson, a second one to train beside it.",
            valueName: "spec"))
    var versus: String?

    func validate() throws {
        try Unroll.validate(seed: seed)
    }

    /// The settings of the interactive loop: the appearance, presenter mode, and a recorder of `--record`'s file
    /// titled "Unroll: `title`".
    func settings(title: String) -> DisplaySettings {
        let record: ((Int, Int) throws -> AsciicastRecorder)? = record.map { path in
            { w, h in try AsciicastRecorder(path: path, width: w, height: h, title: "Unroll: " + title, force: force) }
        }
        return DisplaySettings(
            colorMode: appearance.colorMode, glyphs: appearance.glyphs, contrast: appearance.theme.value,
            presenter: presenter, record: record)
    }
}
