import ArgumentParser
import Foundation
import UnrollClass
import UnrollLessons
import UnrollTerminal
import UnrollUI

/// `unroll join CODE`: a student's side of a class.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a class: follow the presenter's lesson on this terminal (docs/teaching.md).",
        discussion: """
            Exit status: 0 when the student quits or the presenter ends the class, 1 when the connection to the
            presenter is lost, 2 for a wrong, expired or malformed code, a full room, an incompatible version, a
            bad --connect or a lesson over the memory limit.
            """)

    @Argument(help: "The join code the presenter shows (e.g. K7QD-7Q4K-M2XD; case and dashes do not matter).")
    var code: String

    @Option(
        help: ArgumentHelp(
            "Join over TCP at HOST:PORT (the presenter's --listen) instead of this machine's socket.",
            valueName: "host:port"))
    var connect: String?

    @OptionGroup var appearance: AppearanceOptions

    @OptionGroup var limits: LimitOptions

    func run() throws {
        guard let joinCode = JoinCode(code) else { return try fail(.malformedCode(code)) }
        let follower: ClassFollower
        do {
            follower = try ClassFollower.join(
                code: joinCode, options: JoinOptions(connect: connect),
                wake: TerminalSession.requestRedraw)
        } catch {
            return try fail(error)
        }
        defer { follower.leave() }
        // The lesson is read and held to the memory limit (`--memory-limit`, UNROLL_MEMORY_LIMIT, as `check` does,
        // for any cell the presenter may switch to) before anything of it is built or the terminal is taken.
        let lesson: Lesson
        do {
            lesson = try ClassLesson.lesson(from: follower.lesson, limit: ClassLimits.lesson)
        } catch {
            throw Refusal("unroll: the presenter's lesson cannot be shown: \(error)")
        }
        try limits.check(lesson, anyCell: true)
        // After joining, so that a wrong code or a full room says so first, whatever the terminal.
        guard TerminalSession.isInteractive else {
            throw Refusal("unroll: following a class needs a terminal (stdin and stdout must be one)")
        }
        let outcome: ClassOutcome
        do {
            outcome = try TerminalApp.follow(
                follower, lesson: lesson, code: joinCode,
                display: DisplaySettings(
                    colorMode: appearance.colorMode, glyphs: appearance.glyphs, contrast: appearance.theme.value))
        } catch let error as TerminalError {
            throw Refusal("unroll: \(error)")
        }
        switch outcome {
        case .quit: return
        case .presenterEnded: print("the presenter ended the class")
        case .lost(let why):
            printError("unroll: lost the connection to the presenter: \(why)")
            throw ExitCode(1)
        case .dropped(let why):
            printError("unroll: the room dropped you: \(why)")
            throw ExitCode(1)
        }
    }

    /// Refuses (exit 2) with the class error's message.
    private func fail(_ error: ClassError) throws(Refusal) {
        throw Refusal("unroll: \(error)")
    }
}
