import ArgumentParser
import Foundation
import UnrollEngine
import UnrollLessons

/// The `unroll` command: the interactive step-through, and headless commands for labs.
@main
struct Unroll: ParsableCommand {
    /// Chooses OpenBLAS's kernels (possibly re-executing), then runs the command.
    static func main() {
        Startup.chooseOpenBLASCore()
        Startup.keepMemory()
        main(nil)
    }

    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "unroll",
        abstract: "Watch a recurrent neural network unroll in time: forward, then backpropagation through time.",
        discussion: """
            With no command, opens the default lesson. Keys: press ? in the program, or see docs/keys.md.
            Shell completions: unroll --generate-completion-script bash|zsh|fish.
            """,
        version: "unroll 0.1.0\n" + OpenBLAS.summary(environment: ProcessInfo.processInfo.environment),
        subcommands: [Show.self, Lessons.self, LessonCommand.self, Open.self, Check.self, TraceCommand.self, TrainCommand.self, Bench.self],
        defaultSubcommand: Show.self) }
}

/// Options of every interactive command.
struct DisplayOptions: ParsableArguments {
    @Option(help: "Seed for the initial weights (default: the lesson's).")
    var seed: UInt64?

    @Option(help: "Colour theme: standard, or projector (high contrast).")
    var theme: String = "standard"

    @Flag(help: "No colour: shading glyphs only (also when NO_COLOR is set).")
    var noColor = false

    @Flag(help: "ASCII glyphs only (also when the locale is not UTF-8).")
    var ascii = false

    @Option(help: ArgumentHelp("Record the session as an asciicast v2 file for `asciinema play`.", valueName: "file.cast"))
    var record: String?

    @Flag(help: "Overwrite the --record file if it exists.")
    var force = false

    @OptionGroup var limits: LimitOptions

    @Option(help: ArgumentHelp("A second training lesson or scenario to train side by side with a training lesson.",
                               valueName: "lesson"))
    var versus: String?

    func validate() throws {
        guard ["standard", "projector"].contains(theme) else {
            throw ValidationError("--theme: '\(theme)' is not a theme; use standard or projector")
        }
        if let seed, seed > 1 << 63 { throw ValidationError("--seed must be from 0 to 2^63, found \(seed)") }
    }
}

/// Opens the default lesson (or `--lesson NAME`).
struct Show: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Open the default lesson.",
                                                    shouldDisplay: false)

    @Option(help: "A built-in lesson to open instead of the default.")
    var lesson: String = Lesson.defaultLesson.name

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try Interactive.open(try Interactive.builtin(lesson, flag: "--lesson"), display)
    }
}

/// `unroll lessons`: every built-in lesson, one line each.
struct Lessons: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the built-in lessons.")

    func run() {
        let width = Lesson.builtin.map(\.name.count).max() ?? 0
        for l in Lesson.builtin {
            print(l.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + l.title + (l.summary.isEmpty ? "" : ": " + l.summary))
        }
    }
}

/// `unroll lesson NAME`.
struct LessonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesson", abstract: "Open a built-in lesson.")

    @Argument(help: "The lesson's name (see `unroll lessons`).")
    var name: String

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try Interactive.open(try Interactive.builtin(name, flag: "NAME"), display)
    }
}

/// `unroll open FILE`.
struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open a scenario file (YAML; see docs/scenarios.md).")

    @Argument(help: "The scenario file.")
    var file: String

    @OptionGroup var display: DisplayOptions

    func run() throws {
        try Interactive.open(try Interactive.load(file), display)
    }
}

/// `unroll check FILE…`.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate scenario files and explain every problem.",
        discussion: "Exits 0 when every file is valid, 2 when any is not.")

    @Argument(help: "The scenario files.")
    var files: [String]

    @OptionGroup var limits: LimitOptions

    func run() throws {
        var failed = false
        let limit = try MemoryLimit.resolve(flag: limits.memoryLimit)
        for file in files {
            do {
                let lesson = try Lesson.load(contentsOf: file)
                do { try limit.check(lesson) } catch {
                    printError("\(file): \(error)")
                    failed = true
                    continue
                }
                let (run, trace) = try lesson.trace(recordJacobians: false)
                print("\(file): ok: '\(lesson.title)', \(lesson.cell.rawValue) \(lesson.configuration.rawValue), \(trace.columns) steps, "
                      + "\(run.model.parameterCount) parameters, \(lesson.captions.count) captions")
            } catch {
                printError("\(error)")
                failed = true
            }
        }
        if failed { throw ExitCode(2) }
    }
}

