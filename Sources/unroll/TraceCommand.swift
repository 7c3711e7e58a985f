import ArgumentParser
import Foundation
import UnrollLessons

/// `unroll trace LESSON|FILE`.
struct TraceCommand: ParsableCommand {
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

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    @Option(help: "Seed for the initial weights (default: the lesson's).")
    var seed: UInt64?

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let bad = format.rejected {
            throw ValidationError("--format must be \(Choice<TraceExport.Format>.list), found '\(bad)'")
        }
        try Unroll.validate(seed: seed)
    }

    func run() throws {
        var lesson = try Interactive.lesson(source)
        if let seed { lesson.seed = seed }
        try limits.check(lesson)
        let (run, trace) = try Interactive.trace(lesson)
        let text = format.value.text(lesson: lesson, run: run, trace: trace)
        if let output {
            do { try TraceExport.write(text, to: output, force: force) } catch {
                throw Refusal("unroll: \(error)")
            }
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
