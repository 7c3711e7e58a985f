import UnrollLessons

/// The in-app lesson picker (`o`): every built-in lesson, grouped by the topics of docs/teaching.md
/// (``LessonTopics``), one row each, with the lesson on screen marked. Enter opens the chosen lesson in place of the
/// one on screen, so changing lesson does not mean quitting.
public struct LessonPicker: Sendable, Equatable {
    /// One lesson's row.
    public struct Entry: Sendable, Equatable {
        /// The topic it is taught under.
        public var topic: String
        /// Its name, as `unroll lesson NAME` takes it.
        public var name: String
        /// Its title, as its header shows it.
        public var title: String
        /// A training lesson: it opens the training view, not the step-through.
        public var trains: Bool
    }

    /// Every lesson, topic by topic, in teaching order.
    public let entries: [Entry]
    /// The name of the lesson on screen.
    public let current: String
    /// The row chosen.
    public private(set) var selected: Int

    /// The picker over `lessons` (by default the built-in ones), starting on `current` when it is one of them.
    public init(current: String, lessons: [Lesson] = Lesson.builtin) {
        let byName = Dictionary(lessons.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        entries = LessonTopics.grouped(lessons.map(\.name)).flatMap { topic in
            topic.lessons.compactMap { name in
                byName[name].map {
                    Entry(topic: topic.title, name: name, title: $0.title, trains: $0.opensTrainingView)
                }
            }
        }
        self.current = current
        selected = entries.firstIndex { $0.name == current } ?? 0
    }

    /// The row chosen, or nil when there are no lessons.
    public var chosen: Entry? { entries.indices.contains(selected) ? entries[selected] : nil }

    /// Moves the choice by `rows` (negative: up), stopping at the first and last lesson.
    public mutating func move(by rows: Int) {
        guard !entries.isEmpty else { return }
        selected = min(entries.count - 1, max(0, selected + rows))
    }

    /// Moves the choice to the first lesson of the next (`forward`) or previous topic, or of this one when the
    /// choice is inside it.
    public mutating func moveTopic(forward: Bool) {
        guard let here = chosen else { return }
        if forward {
            if let next = entries.indices.first(where: { $0 > selected && entries[$0].topic != here.topic }) {
                selected = next
            } else {
                selected = entries.count - 1
            }
        } else {
            let start =
                entries.indices.last { $0 <= selected && ($0 == 0 || entries[$0 - 1].topic != entries[$0].topic) } ?? 0
            if start < selected {
                selected = start
            } else if start > 0 {
                let topic = entries[start - 1].topic
                selected = entries.indices.first { entries[$0].topic == topic } ?? 0
            }
        }
    }
}
