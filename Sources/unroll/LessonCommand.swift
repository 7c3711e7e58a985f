import ArgumentParser
import UnrollLessons

/// `unroll lesson NAME`.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesson", abstract: "Open a built-in lesson.")

    @Argument(help: "The lesson's name (see `unroll lessons`).", completion: .list(Lesson.builtinNames))
    var name: String

    @OptionGroup var display: DisplayOptions

    @Flag(help: "Present it to a class: students follow with `unroll join CODE` (as `unroll present`).")
    var present = false

    @OptionGroup var room: RoomFlags

    func validate() throws {
        _ = try Interactive.builtin(name, flag: "NAME")
        if room.isSet && !present { throw ValidationError("--group, --listen, --limit and --names need --present") }
    }

    func run() throws {
        if present { return try Interactive.present(name, file: false, display, room) }
        try Interactive.open(try Interactive.builtin(name, flag: "NAME"), display)
    }
}
