import UnrollLessons

/// What the class answered, for the lecturer (`unroll present --results FILE.csv` and the summary printed when the
/// class ends): each question asked, its choices and how many chose each; students' names only when the room
/// collected them (`--names`).
public struct ClassResults: Sendable, Equatable {
    /// One question: its caption's index, the counts per choice and, with names, who chose what.
    public struct Asked: Sendable, Equatable {
        public var caption: Int
        public var histogram: [Int]
        /// Names per choice (empty without `--names`).
        public var names: [[String]]

        /// A question's answers; `named` pairs a student's name with a 0-based choice.
        public init(caption: Int, histogram: [Int], named: [(name: String, choice: Int)] = []) {
            self.caption = caption
            self.histogram = histogram
            var names = [[String]](repeating: [], count: histogram.count)
            for (name, choice) in named where names.indices.contains(choice) { names[choice].append(name) }
            self.names = names
        }
    }

    /// The lesson asked.
    public var lesson: Lesson
    /// The questions asked, in caption order (ids that name no question of the lesson are left out).
    public var asked: [Asked]

    /// The results of `asked` on `lesson`.
    public init(lesson: Lesson, asked: [Asked]) {
        self.lesson = lesson
        self.asked = asked.filter { lesson.captions.indices.contains($0.caption) && lesson.captions[$0.caption].question != nil }
            .sorted { $0.caption < $1.caption }
    }

    /// The question of `asked`.
    private func question(_ asked: Asked) -> Question? { lesson.captions[asked.caption].question }

    /// CSV, one row per choice: caption (1-based), question, choice (1-based), its text, whether it is right,
    /// the count, its share of the answers in percent and, with names, the students who chose it (space-separated).
    public var csv: String {
        func field(_ text: String) -> String {
            let clean = ScenarioText.clean(text)
            return clean.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
                ? "\"" + clean.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : clean
        }
        let withNames = asked.contains { $0.names.contains { !$0.isEmpty } }
        var lines = ["caption,question,choice,text,right,count,percent" + (withNames ? ",students" : "")]
        for a in asked {
            guard let q = question(a) else { continue }
            let total = a.histogram.reduce(0, +)
            for (index, text) in q.choices.enumerated() {
                let count = a.histogram.indices.contains(index) ? a.histogram[index] : 0
                let percent = total == 0 ? 0 : (100 * count + total / 2) / total
                var row = [
                    "\(a.caption + 1)", field(q.text), "\(index + 1)", field(text), index == q.answer ? "yes" : "no",
                    "\(count)", "\(percent)"
                ]
                if withNames { row.append(field((a.names.indices.contains(index) ? a.names[index] : []).joined(separator: " "))) }
                lines.append(row.joined(separator: ","))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary printed when the class ends: each question on one line (its share right) and one per choice.
    public var summary: [String] {
        guard !asked.isEmpty else { return ["no question was asked"] }
        var lines = ["\(asked.count) question\(asked.count == 1 ? "" : "s") asked:"]
        for a in asked {
            guard let q = question(a) else { continue }
            let total = a.histogram.reduce(0, +)
            let right = a.histogram.indices.contains(q.answer) ? a.histogram[q.answer] : 0
            let share = total == 0 ? "no answers" : "\(total) answer\(total == 1 ? "" : "s"), \((100 * right + total / 2) / total)% right"
            lines.append("caption \(a.caption + 1): \(String(ScenarioText.clean(q.text).prefix(60))) — \(share)")
            for (index, text) in q.choices.enumerated() {
                let count = a.histogram.indices.contains(index) ? a.histogram[index] : 0
                lines.append("  \(index + 1)) \(String(ScenarioText.clean(text).prefix(40)))\(index == q.answer ? " [right]" : ""): \(count)")
            }
        }
        return lines
    }
}
