import ArgumentParser
import UnrollLessons

/// `unroll` and `unroll show`: opens the default lesson (or `--lesson NAME`).
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Open the default lesson.",
        shouldDisplay: false)

    @Option(help: "A built-in lesson to open instead of the default.", completion: .list(Lesson.builtinNames))
    var lesson: String = Lesson.defaultLesson.name

    @OptionGroup var display: DisplayOptions

    func validate() throws {
        _ = try Interactive.builtin(lesson, flag: "--lesson")
    }

    func run() throws {
        try Interactive.open(try Interactive.builtin(lesson, flag: "--lesson"), display)
    }
}
