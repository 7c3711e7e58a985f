import ArgumentParser

/// `unroll open FILE`.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open a scenario file (YAML; see docs/scenarios.md).")

    @Argument(help: "The scenario file.")
    var file: String

    @OptionGroup var display: DisplayOptions

    @OptionGroup var presenting: PresentOptions

    func run() throws {
        try presenting.run(file, file: true, display) { try Interactive.load(file) }
    }
}
