import ArgumentParser
import Foundation
import UnrollClass
import UnrollTerminal
import UnrollUI

/// `unroll join CODE`: a student's side of a class.
struct JoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join",
        abstract: "Join a class: follow the presenter's lesson on this terminal (docs/teaching.md).",
        discussion: """
            Exit status: 0 when the student quits or the presenter ends the class, 1 when the connection to the
            presenter is lost, 2 for a wrong, expired or malformed code, a full room, an incompatible version or a
            bad --connect.
            """)

    @Argument(help: "The join code the presenter shows (e.g. 7Q4K-M2XD; case and dashes do not matter).")
    var code: String

    @Option(
        help: ArgumentHelp(
            "Join over TCP at HOST:PORT (the presenter's --listen) instead of this machine's socket.",
            valueName: "host:port"))
    var connect: String?

    @OptionGroup var appearance: AppearanceOptions

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
        // After joining, so that a wrong code or a full room says so first, whatever the terminal.
        guard TerminalSession.isInteractive else {
            throw Refusal("unroll: following a class needs a terminal (stdin and stdout must be one)")
        }
        let outcome: ClassOutcome
        do {
            outcome = try TerminalApp.follow(
                follower, code: joinCode,
                display: DisplaySettings(
                    colorMode: appearance.colorMode, glyphs: appearance.glyphs, contrast: appearance.theme.value))
        } catch let error as ClassStateError {
            throw Refusal("unroll: the presenter's lesson cannot be shown: \(error)")
        } catch let error as TerminalError {
            throw Refusal("unroll: \(error)")
        }
        switch outcome {
        case .quit: return
        case .presenterEnded: print("the presenter ended the class")
        case .lost(let why):
            printError("unroll: lost the connection to the presenter: \(why)")
            throw ExitCode(1)
        }
    }

    /// Refuses (exit 2) with the class error's message.
    private func fail(_ error: ClassError) throws(Refusal) {
        throw Refusal("unroll: \(error)")
    }
}
