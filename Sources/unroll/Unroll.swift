import ArgumentParser
import Foundation
import UnrollEngine

/// The `unroll` command: the interactive step-through, and headless commands for labs.
@main
struct Unroll: ParsableCommand {
    /// Chooses OpenBLAS's kernels (possibly re-executing), then runs the command. A flag that the parser or
    /// a `validate()` refuses exits 2 like every other bad input (not swift-argument-parser's 64, EX_USAGE).
    static func main() {
        Startup.chooseOpenBLAS()
        Startup.refuseUnrunnableCore()
        OpenBLAS.chooseThreads(environment: ProcessInfo.processInfo.environment)
        Startup.keepMemory()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            printError(fullMessage(for: error))
            Foundation.exit(2)
        }
    }

    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "unroll",
        abstract: "Watch a recurrent neural network unroll in time: forward, then backpropagation through time.",
        discussion: """
            With no command, opens the default lesson. Keys: press ? in the program, or see docs/keys.md.
            Shell completions: unroll --generate-completion-script bash|zsh|fish.
            """,
        version: "unroll 0.1.0\n" + OpenBLAS.summary(environment: ProcessInfo.processInfo.environment),
        subcommands: [ShowCommand.self, LessonsCommand.self, LessonCommand.self, OpenCommand.self, PresentCommand.self, JoinCommand.self,
                      CheckCommand.self,
                      TraceCommand.self, TrainCommand.self, LessonWeightsCommand.self, BenchCommand.self],
        defaultSubcommand: ShowCommand.self) }

    /// Refuses a seed above 2^63 (the scenario format's limit), naming the flag.
    static func validate(seed: UInt64?) throws {
        if let seed, seed > 1 << 63 { throw ValidationError("--seed must be from 0 to 2^63, found \(seed)") }
    }
}
