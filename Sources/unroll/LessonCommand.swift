import ArgumentParser
import UnrollLessons

/// `unroll lesson NAME`.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesson", abstract: "Open a built-in lesson.")

    @Argument(help: "The lesson's name (see `unroll lessons`).", completion: .list(Lesson.builtinNames))
    var name: String

    @OptionGroup var display: DisplayOptions

    @OptionGroup var presenting: PresentOptions

    func validate() throws {
        _ = try Interactive.builtin(name)
    }

    func run() throws {
        try presenting.run(name, file: false, display) { try Interactive.builtin(name) }
    }
}
