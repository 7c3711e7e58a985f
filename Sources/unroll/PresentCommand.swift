import ArgumentParser
import UnrollLessons

/// `unroll present LESSON|FILE`: the lecturer's side of a class.
struct PresentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "present",
        abstract: "Present a lesson to a class: students follow with `unroll join CODE` (docs/teaching.md).")

    @Argument(help: "A built-in lesson's name (see `unroll lessons`) or a scenario file.")
    var lesson: String

    @OptionGroup var display: DisplayOptions

    @OptionGroup var room: RoomFlags

    func run() throws {
        try Interactive.present(lesson, display, room)
    }
}
