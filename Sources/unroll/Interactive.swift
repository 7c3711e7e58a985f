import ArgumentParser
import Foundation
import UnrollClass
import UnrollEngine
import UnrollLessons
import UnrollTerminal
import UnrollUI

/// Shared steps of the commands: finding a lesson, running it, opening the terminal.
enum Interactive {
    /// A built-in lesson by name, or a validation error listing the names (led by the flag that named it, nil
    /// for the command's argument: "Error: no lesson named 'x'", never "Error: NAME: …").
    static func builtin(_ name: String, flag: String? = nil) throws -> Lesson {
        guard let l = Lesson.builtin(named: name) else {
            throw ValidationError(
                (flag.map { "\($0): " } ?? "") + "no lesson named '\(name)'; the lessons are: "
                    + Lesson.builtinNames.joined(separator: ", "))
        }
        return l
    }

    /// A scenario file, or a ``Refusal`` with its problems.
    static func load(_ path: String) throws -> Lesson {
        do {
            return try Lesson.load(contentsOf: path)
        } catch {
            throw Refusal("\(error)")
        }
    }

    /// A built-in lesson's name, or else a file.
    static func lesson(_ source: String) throws -> Lesson {
        if let l = Lesson.builtin(named: source), !FileManager.default.fileExists(atPath: source) { return l }
        guard FileManager.default.fileExists(atPath: source) || source.hasSuffix(".yaml") || source.hasSuffix(".yml")
        else {
            throw ValidationError("'\(source)' is neither a lesson (see `unroll lessons`) nor a file")
        }
        return try load(source)
    }

    /// The lesson's trace, or a ``Refusal`` with the engine's problems.
    static func trace(_ lesson: Lesson) throws -> (LessonRun<Double>, Trace<Double>) {
        do {
            return try lesson.trace()
        } catch {
            throw Refusal("unroll: lesson '\(lesson.name)' cannot run: \(error)")
        }
    }

    /// Opens the interactive view on a lesson.
    static func open(_ lesson: Lesson, _ options: DisplayOptions) throws {
        var lesson = lesson
        if let seed = options.seed { lesson.seed = seed }
        try options.limits.check(lesson, anyCell: lesson.training == nil)
        let spec: VersusSpec?
        do {
            spec = try options.versus.map(VersusSpec.init(parsing:))
        } catch {
            throw Refusal("unroll: --versus \(error)")
        }
        var versus: Lesson?
        if case .lesson(let source) = spec {
            versus = try Interactive.lesson(source)
            if let seed = options.seed { versus?.seed = seed }
        } else {
            versus = spec?.applied(to: lesson)
        }
        if let versus { try options.limits.check(versus) }
        // A change that leaves the model as it is ("--versus lstm" on an LSTM lesson) would show it twice.
        if versus == lesson, let text = options.versus {
            throw Refusal(
                "unroll: --versus \(text): '\(lesson.name)' already has that model, so both sides would be the same; "
                    + "use another spec (\(VersusSpec.forms))")
        }
        // A training lesson on either side opens the training view (which says when the other does not train).
        if lesson.opensTrainingView || versus?.opensTrainingView == true {
            return try openTraining([lesson] + (versus.map { [$0] } ?? []), options)
        }
        guard TerminalSession.isInteractive else {
            throw Refusal(
                "unroll: the interactive view needs a terminal (stdin and stdout must be one). "
                    + "For files and pipes use the headless commands: unroll lessons, unroll check FILE, "
                    + "unroll trace LESSON --format json|csv.")
        }
        let models =
            [("lesson '\(lesson.name)'", lesson)] + (versus.map { [("--versus \(options.versus ?? "")", $0)] } ?? [])
        for (name, l) in models {
            let problems = l.problems
            guard problems.isEmpty else {
                throw Refusal("unroll: \(name) cannot run: " + problems.joined(separator: "\n"))
            }
        }
        do {
            try terminal(options, title: lesson.title) { display in
                // A lesson from the picker: its own seed (--seed was for the lesson named), the same limits.
                try TerminalApp.run(lesson, versus: versus, display: display) { chosen in
                    try options.limits.check(chosen, anyCell: chosen.training == nil)
                    return chosen.opensTrainingView ? try trainingWorker([chosen]) : nil
                }
            }
        } catch let error as EngineError {
            throw Refusal("unroll: lesson '\(lesson.name)' cannot run: \(error)")
        } catch let error as VersusSpecError {
            throw Refusal("unroll: --versus: \(error)")
        }
    }

    /// Presents a built-in lesson (by name, unless a file of that name exists) or a scenario file to a class
    /// (`unroll present`, `--present`): opens a room, prints its join code, runs the presenter's view.
    /// - Parameter file: true: `source` is a file (`open`), false: a built-in lesson (`lesson`), nil: either.
    static func present(_ source: String, file: Bool? = nil, _ options: DisplayOptions, _ room: RoomFlags) throws {
        let isFile = file ?? (Lesson.builtin(named: source) == nil || FileManager.default.fileExists(atPath: source))
        var lesson =
            file == nil
            ? try Interactive.lesson(source) : isFile ? try load(source) : try builtin(source)
        if let seed = options.seed { lesson.seed = seed }
        try options.limits.check(lesson, anyCell: true)
        for (refused, why) in [
            (options.versus != nil, "--versus"), (lesson.opensTrainingView, "a training lesson"),
            (options.record != nil, "--record")
        ] where refused {
            throw Refusal("unroll: \(why) cannot be presented to a class: present a lesson that steps through")
        }
        let sent: ClassLesson
        do {
            sent =
                isFile
                ? try ClassLesson(file: source, seed: options.seed)
                : ClassLesson(builtin: lesson.name, seed: options.seed)
        } catch {
            throw Refusal("unroll: \(error)")
        }
        let size = sent.encoded().count
        guard size <= ClassLimits.lesson else {
            throw Refusal(
                "unroll: the lesson and its weights take \(size) bytes to send, over the class limit of \(ClassLimits.lesson)"
            )
        }
        guard TerminalSession.isInteractive else {
            throw Refusal("unroll: presenting to a class needs a terminal (stdin and stdout must be one)")
        }
        let problems = lesson.problems
        guard problems.isEmpty else {
            throw Refusal("unroll: lesson '\(lesson.name)' cannot run: " + problems.joined(separator: "\n"))
        }
        let name = ClassDefaults.userName
        // The results file is made (empty) now, so a path that cannot be written is said before the class starts.
        if let path = room.results, !FileManager.default.createFile(atPath: path, contents: nil) {
            throw Refusal("unroll: --results: cannot write \(path)")
        }
        // `R` makes one in the current folder when there is none.
        let results = ResultsFile(lesson: lesson, path: room.results)
        do {
            // --record was refused above: a class's screen is not recorded.
            var answers: [QuestionResult] = []
            try terminal(options, title: lesson.title) { display in
                answers = try TerminalApp.present(
                    lesson, sent: sent, room: room.room, presenterName: name,
                    opened: { code, address in
                        print("class \(code): students join with `unroll join \(code)` (\(address))")
                    }, display: display, results: results)
            }
            // The end of the class: every question asked, on one screen.
            for line in ClassResults(lesson: lesson, asked: answers.map(\.asked)).summary { print(line) }
            if let path = results.path { print("answers written to \(path)") }
        } catch let error as ClassError {
            throw Refusal("unroll: \(error)")
        } catch let error as EngineError {
            throw Refusal("unroll: lesson '\(lesson.name)' cannot run: \(error)")
        }
    }

    /// Runs an interactive loop with the display options (colour, glyphs, theme, presenter mode, `--record` titled
    /// `title`); a terminal that cannot be used or a recording that cannot be written is a ``Refusal`` with the reason.
    static func terminal(_ options: DisplayOptions, title: String, _ body: (DisplaySettings) throws -> Void) throws {
        do {
            try body(options.settings(title: title))
        } catch let error as TerminalError {
            throw Refusal("unroll: \(error)")
        } catch let error as RecordingError {
            throw Refusal("unroll: --record \(error)")
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
