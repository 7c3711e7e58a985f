import ArgumentParser
import Foundation
import UnrollLessons

/// `unroll trace LESSON|FILE`.
struct TraceCommand: ParsableCommand, HeadlessHelp {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Write a lesson's trace (every number the screen shows) as JSON or CSV.",
        discussion: "The format is described in docs/trace-format.md. Parameters use PyTorch's names and layout.")

    @Argument(help: "A built-in lesson's name or a scenario file.")
    var source: String

    @Option(help: "The export format (docs/trace-format.md).")
    var format = Choice(TraceExport.Format.json)

    @Option(help: "Write to this file instead of standard output (atomically).")
    var output: String?

    @OptionGroup var options: HeadlessOptions<TraceCommand>

    static let forceHelp = "Overwrite the output file if it exists."
    static let seedHelp = "Seed for the initial weights (default: the lesson's)."

    func validate() throws {
        if let bad = format.rejected {
            throw ValidationError("--format must be \(Choice<TraceExport.Format>.list), found '\(bad)'")
        }
    }

    func run() throws {
        var lesson = try Interactive.lesson(source)
        if let seed = options.seed { lesson.seed = seed }
        try options.limits.check(lesson)
        let (run, trace) = try Interactive.trace(lesson)
        let text = format.value.text(lesson: lesson, run: run, trace: trace)
        if let output {
            do { try TraceExport.write(text, to: output, force: options.force) } catch {
                throw Refusal("unroll: \(error)")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
