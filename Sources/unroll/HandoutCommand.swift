import ArgumentParser
import Foundation
import UnrollLessons
import UnrollUI

/// `unroll handout LESSON|FILE|all -o DIR`: every lesson as a static web page (``Handout``), for a course page.
struct HandoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handout",
        abstract: "Write lessons as static web pages (no script, no network) with an index by topic.",
        discussion: """
            DIR gets index.html (the lessons by topic) and, per lesson, NAME.html: its title and summary, its model \
            and parameter count, each caption with the screen at its step as an SVG figure (a question's step \
            drawn as the class sees it before the reveal, the answer and the revealed screen behind a <details>), \
            its worksheet, and links to its trace (NAME/trace.csv, NAME/trace.json, as `unroll trace` writes them) \
            and its scenario file (NAME/NAME.yaml). Every text of a lesson is escaped. DIR is built whole in a \
            temporary folder beside it and then renamed, so it is never left half written; an existing DIR needs \
            --force. The theme is light (for print) unless --theme says otherwise.
            """)

    @Argument(help: "A built-in lesson's name, a scenario file, or all (every built-in lesson).")
    var source: String

    @Option(name: .shortAndLong, help: "The folder to write (must not exist, unless --force).")
    var output: String

    @Flag(help: "Replace the folder if it exists.")
    var force = false

    @Option(help: "Colour theme of the figures.")
    var theme = Choice(Theme.Contrast.light)

    @OptionGroup var limits: LimitOptions

    func validate() throws {
        if let bad = theme.rejected {
            throw ValidationError("--theme: '\(bad)' is not a theme; use \(Choice<Theme.Contrast>.list)")
        }
    }

    func run() throws {
        var sources: [Handout.Source] = []
        if source == "all" && !FileManager.default.fileExists(atPath: source) {
            for name in Lesson.builtinNames {
                guard let lesson = Lesson.builtin(named: name), let text = Lesson.builtinScenario(named: name) else {
                    continue
                }
                sources.append(Handout.Source(lesson: lesson, scenario: text))
            }
        } else {
            let lesson = try Interactive.lesson(source)
            let text =
                FileManager.default.fileExists(atPath: source)
                ? (try? String(contentsOfFile: source, encoding: .utf8)) ?? lesson.scenarioYAML
                : Lesson.builtinScenario(named: lesson.name) ?? lesson.scenarioYAML
            sources.append(Handout.Source(lesson: lesson, scenario: text))
        }
        for s in sources { try limits.check(s.lesson) }
        let target = URL(fileURLWithPath: output).standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        let exists = fm.fileExists(atPath: target.path, isDirectory: &isDirectory)
        if exists && !force { throw Refusal("unroll: \(output) exists (--force replaces it)") }
        if exists && !isDirectory.boolValue { throw Refusal("unroll: \(output) is a file, not a folder") }
        let parent = target.deletingLastPathComponent()
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Refusal("unroll: cannot write \(output): its folder \(parent.path) does not exist")
        }
        let files: [Handout.File]
        do {
            files = try Handout.files(sources, theme: Theme(colorMode: .color256, glyphs: .unicode, contrast: theme.value))
        } catch {
            throw Refusal("unroll: \(error)")
        }
        // Built whole beside the target, then renamed into place: a reader never sees half a handout.
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).tmp")
        do {
            try fm.createDirectory(at: temporary, withIntermediateDirectories: false)
            for file in files {
                let url = temporary.appendingPathComponent(file.path)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.text.utf8).write(to: url)
            }
            if exists {
                let old = parent.appendingPathComponent(".\(target.lastPathComponent).\(getpid()).old")
                try fm.moveItem(at: target, to: old)
                try fm.moveItem(at: temporary, to: target)
                try? fm.removeItem(at: old)
            } else {
                try fm.moveItem(at: temporary, to: target)
            }
        } catch {
            try? fm.removeItem(at: temporary)
            throw Refusal("unroll: cannot write \(output): \(error.localizedDescription)")
        }
        let pages = sources.count == 1 ? "1 lesson" : "\(sources.count) lessons", output = target.path
        FileHandle.standardError.write(Data("unroll: wrote \(pages) to \(output) (open \(output)/index.html)\n".utf8))
    }
}
