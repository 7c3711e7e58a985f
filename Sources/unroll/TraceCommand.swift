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

    @Option(
        help: ArgumentHelp(
            "Which input, numbered as the i key numbers them on screen: 1, the lesson's own sentence (default); 2 and on, its held-out inputs.",
            valueName: "n"))
    var input = 1

    @OptionGroup var options: HeadlessOptions<TraceCommand>

    static let forceHelp = "Overwrite the output file if it exists."
    static let seedHelp = "Seed for the initial weights (default: the lesson's)."

    func validate() throws {
        if let bad = format.rejected {
            throw ValidationError("--format must be \(Choice<TraceExport.Format>.list), found '\(bad)'")
        }
        guard input >= 1 else { throw ValidationError("--input counts from 1 (the lesson's own sentence), found \(input)") }
    }

    func run() throws {
        var lesson = try Interactive.lesson(source)
        let inputs = 1 + lesson.heldOut.count
        guard input <= inputs else {
            throw Refusal(
                "unroll: --input \(input): '\(lesson.name)' has "
                    + (inputs == 1 ? "only its own sentence (input 1)" : "inputs 1 to \(inputs) (1 is its own sentence)"))
        }
        lesson = lesson.input(input - 1)
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
