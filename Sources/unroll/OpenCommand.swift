import ArgumentParser

/// `unroll open FILE`.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open",
                                                    abstract: "Open a scenario file (YAML; see docs/scenarios.md).")

    @Argument(help: "The scenario file.")
    var file: String

    @OptionGroup var display: DisplayOptions

    @Flag(help: "Present it to a class: students follow with `unroll join CODE` (as `unroll present`).")
    var present = false

    @OptionGroup var room: RoomFlags

    func validate() throws {
        if room.isSet && !present { throw ValidationError("--group, --listen, --limit and --names need --present") }
    }

    func run() throws {
        if present { return try Interactive.present(file, file: true, display, room) }
        try Interactive.open(try Interactive.load(file), display)
    }
}
