import ArgumentParser
import UnrollLessons

/// `--present` and the room's flags, for `lesson` and `open`: open the lesson on this terminal, or present it to a
/// class (as `unroll present`).
struct PresentOptions: ParsableArguments {
    @Flag(help: "Present it to a class: students follow with `unroll join CODE` (as `unroll present`).")
    var present = false

    @OptionGroup var room: RoomFlags

    func validate() throws {
        if room.isSet && !present {
            throw ValidationError("--group, --listen, --limit, --names, --per-address and --results need --present")
        }
    }

    /// Presents `source` to a class with `--present`; otherwise opens the interactive view on `lesson()`.
    /// - Parameter file: whether `source` is a scenario file (`open`) or a built-in lesson's name (`lesson`).
    func run(_ source: String, file: Bool, _ display: DisplayOptions, lesson: () throws -> Lesson) throws {
        if present { return try Interactive.present(source, file: file, display, room) }
        try Interactive.open(try lesson(), display)
    }
}
