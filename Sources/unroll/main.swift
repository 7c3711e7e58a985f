import ArgumentParser
import UnrollEngine
import UnrollLessons
import UnrollTerminal
import UnrollUI

import Foundation

/// The `unroll` command: the interactive step-through of a lesson.
@main
struct Unroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unroll",
        abstract: "Watch a recurrent neural network unroll in time: forward, then backpropagation through time.",
        discussion: "With no lesson named, opens the default lesson. Keys: ? in the program, or docs/keys.md.")

    @Option(name: .long, help: "The built-in lesson to open (\(Lesson.builtin.map(\.name).joined(separator: ", "))).")
    var lesson: String = Lesson.defaultLesson.name

    @Option(name: .long, help: "Seed for the initial weights (default: the lesson's).")
    var seed: UInt64?

    @Option(name: .long, help: "Colour theme: standard or projector (high contrast).")
    var theme: String = "standard"

    @Flag(name: .long, help: "No colour: shading glyphs only (also when NO_COLOR is set).")
    var noColor = false

    @Flag(name: .long, help: "ASCII glyphs only (also when the locale is not UTF-8).")
    var ascii = false

    func validate() throws {
        guard Lesson.builtin(named: lesson) != nil else {
            throw ValidationError("--lesson: no lesson named '\(lesson)'; the lessons are \(Lesson.builtin.map(\.name).joined(separator: ", "))")
        }
        guard ["standard", "projector"].contains(theme) else {
            throw ValidationError("--theme: '\(theme)' is not a theme; use standard or projector")
        }
    }

    func run() throws {
        guard var chosen = Lesson.builtin(named: lesson) else { throw ExitCode(2) }
        if let seed { chosen.seed = seed }
        guard TerminalSession.isInteractive else {
            printError("unroll: the interactive view needs a terminal (stdout is not one). "
                + "For files and pipes use the headless commands, e.g. `unroll --help`.")
            throw ExitCode(2)
        }
        let session: Session
        do {
            session = try Session(lesson: chosen)
        } catch {
            printError("unroll: lesson '\(chosen.name)' cannot run: \(error)")
            throw ExitCode(2)
        }
        do {
            try TerminalApp.run(session, colorMode: noColor ? .monochrome : nil, glyphs: ascii ? .ascii : nil,
                                contrast: theme == "projector" ? .projector : .standard)
        } catch let error as TerminalError {
            printError("unroll: \(error)")
            throw ExitCode(2)
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
