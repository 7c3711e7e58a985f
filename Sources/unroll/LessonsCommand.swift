import ArgumentParser
import Foundation
import UnrollLessons

/// `unroll lessons`: every built-in lesson, one line each, under the topics of docs/teaching.md's lesson plan.
struct LessonsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lessons", abstract: "List the built-in lessons, by topic.")

    func run() {
        let width = Lesson.builtin.map(\.name.count).max() ?? 0
        let byName = Dictionary(Lesson.builtin.map { ($0.name, $0) }) { a, _ in a }
        for (n, topic) in LessonTopics.grouped(Lesson.builtin.map(\.name)).enumerated() {
            print("\(n + 1). \(topic.title)")
            for name in topic.lessons {
                guard let l = byName[name] else { continue }
                print(
                    "   " + l.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + l.title
                        + (l.summary.isEmpty ? "" : ": " + l.summary))
            }
        }
    }
}
