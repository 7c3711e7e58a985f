import ArgumentParser
import UnrollUI

/// Options of every interactive command.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Seed for the initial weights (default: the lesson's).")
    var seed: UInt64?

    @Option(help: "Colour theme.")
    var theme = Choice(Theme.Contrast.standard)

    @Flag(help: "Open in presenter mode: graph, gradient panel and the step's figures in large digits (P toggles it).")
    var presenter = false

    @Flag(help: "No colour: shading glyphs only (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "ASCII glyphs only (also when the locale is not UTF-8).")
    var ascii = false

    @Option(help: ArgumentHelp("Record the session as an asciicast v2 file for `asciinema play`.", valueName: "file.cast"))
    var record: String?

    @Flag(help: "Overwrite the --record file if it exists.")
    var force = false

    @OptionGroup var limits: LimitOptions

    @Option(help: ArgumentHelp("A second model stepped in lockstep below the lesson's, on the same input and seed: "
                               + "rnn|lstm|gru, tanh|sigmoid|relu|identity, skip=K or noskip (the lesson's model changed), "
                               + "or a lesson or scenario with as many steps; with a training lesson, a second one to train beside it.",
                               valueName: "spec"))
    var versus: String?

    func validate() throws {
        if let bad = theme.rejected {
            throw ValidationError("--theme: '\(bad)' is not a theme; use \(Choice<Theme.Contrast>.list)")
        }
        try Unroll.validate(seed: seed)
    }
}
