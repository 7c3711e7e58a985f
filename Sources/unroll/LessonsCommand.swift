import ArgumentParser
import Foundation
import UnrollLessons

/// `unroll lessons`: every built-in lesson, one line each.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lessons", abstract: "List the built-in lessons.")

    func run() {
        let width = Lesson.builtin.map(\.name.count).max() ?? 0
        for l in Lesson.builtin {
            print(
                l.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + l.title
                    + (l.summary.isEmpty ? "" : ": " + l.summary))
        }
    }
}
