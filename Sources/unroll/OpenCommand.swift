import ArgumentParser

/// `unroll open FILE`.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open",
                                                    abstract: "Open a scenario file (YAML; see docs/scenarios.md).")

    @Argument(help: "The scenario file.")
    var file: String

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try Interactive.open(try Interactive.load(file), display)
    }
}
