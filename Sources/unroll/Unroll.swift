import ArgumentParser
import Foundation
import UnrollEngine

/// The `unroll` command: the interactive step-through, and headless commands for labs.
@main
struct Unroll: ParsableCommand {
    /// Chooses OpenBLAS's kernels (possibly re-executing), then runs the command. Every refusal of bad input
    /// exits 2 here, with its message on standard error: a ``Refusal`` a command throws, and a flag that the
    /// parser or a `validate()` refuses (not swift-argument-parser's 64, EX_USAGE).
    static func main() {
        do {
            Startup.chooseOpenBLAS()
            try Startup.refuseUnrunnableCore()
            OpenBLAS.chooseThreads(environment: ProcessInfo.processInfo.environment)
            Startup.keepMemory()
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let message: String?
            if let refusal = error as? Refusal {
                message = refusal.message
            } else if exitCode(for: error) == .validationFailure {
                message = fullMessage(for: error)
            } else {
                exit(withError: error)
            }
            if let message { printError(message) }
            exit(withError: ExitCode(2))
        }
    }

    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "unroll",
            abstract: "Watch a recurrent neural network unroll in time: forward, then backpropagation through time.",
            discussion: """
                With no command, opens the default lesson. Keys: press ? in the program, or see docs/keys.md.
                Shell completions: unroll --generate-completion-script bash|zsh|fish.
                """,
            version: "unroll 0.1.0\n" + OpenBLAS.summary(environment: ProcessInfo.processInfo.environment) + "\n"
                + GateKernels.summary,
            subcommands: [
                ShowCommand.self, LessonsCommand.self, LessonCommand.self, OpenCommand.self, PresentCommand.self,
                JoinCommand.self,
                CheckCommand.self,
                TraceCommand.self, FigureCommand.self, HandoutCommand.self, TrainCommand.self, SampleCommand.self,
                LessonWeightsCommand.self, BenchCommand.self
            ],
            defaultSubcommand: ShowCommand.self)
    }

    /// Refuses a seed above 2^63 (the scenario format's limit), naming the flag.
    static func validate(seed: UInt64?) throws {
        if let seed, seed > 1 << 63 { throw ValidationError("--seed must be from 0 to 2^63, found \(seed)") }
    }
}
