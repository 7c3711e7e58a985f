import ArgumentParser
import Foundation
import UnrollLessons

/// `unroll lessons`: every built-in lesson, one line each, under the topics of docs/teaching.md's lesson plan.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons", abstract: "List the built-in lessons, by topic.")

    /// A built-in lesson that does not parse (a build defect the tests catch) is listed as such, not left out,
    /// and the command then exits 1.
    func run() throws {
        let names = Lesson.builtinNames
        let width = names.map(\.count).max() ?? 0
        let byName = Dictionary(Lesson.builtin.map { ($0.name, $0) }) { a, _ in a }
        for (n, topic) in LessonTopics.grouped(names).enumerated() {
            print("\(n + 1). \(topic.title)")
            for name in topic.lessons {
                let padded = "   " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                guard let l = byName[name] else {
                    print(padded + "(does not parse: a build defect, see below)")
                    continue
                }
                print(padded + l.title + (l.summary.isEmpty ? "" : ": " + l.summary))
            }
        }
        let problems = names.filter { byName[$0] == nil }.map { Lesson.builtinProblem(named: $0) ?? "examples/\($0).yaml" }
        guard problems.isEmpty else {
            problems.forEach(printError)
            throw Refusal.alreadyPrinted
        }
    }
}
