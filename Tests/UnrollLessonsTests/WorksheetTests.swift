import Foundation
import Testing

@testable import UnrollLessons

// The worksheets (docs/labs/NAME.md): one per built-in lesson, each opening with objectives and a time,
// with at least one predict-first question and an answer for every question; and one lesson order,
// examples/index.txt's, shared by docs/labs/README.md and docs/teaching.md's lesson plan.

/// A file of the repository, by its path from the root.
private func repositoryText(_ path: String) throws -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(path)
    return try String(contentsOf: url, encoding: .utf8)
}

/// The lesson names of examples/index.txt, in its order (comments and blank lines skipped).
private func indexOrder() throws -> [String] {
    try repositoryText("examples/index.txt").split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}

/// The numbers of a section's numbered items ("3. …" at the start of a line).
private func itemNumbers(_ section: Substring) -> [Int] {
    section.split(separator: "\n").compactMap { line in line.firstIndex(of: ".").flatMap { Int(line[..<$0]) } }
}

/// The text between a "## " heading starting with `heading` and the next "## " heading.
private func section(_ text: String, _ heading: String) -> Substring? {
    guard let start = text.range(of: "\n## \(heading)") else { return nil }
    let rest = text[start.upperBound...]
    let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
    return rest[..<end]
}

/// The names among `names` that `text` writes in backticks or as a Markdown link target `NAME.md`, each at its
/// first appearance, in order.
private func mentions(of names: [String], in text: Substring) -> [String] {
    let known = Set(names)
    var seen: [String] = []
    let pattern = try? NSRegularExpression(pattern: #"`([a-z0-9-]+)`|\]\(([a-z0-9-]+)\.md\)"#)
    let s = String(text), ns = s as NSString
    for m in pattern?.matches(in: s, range: NSRange(location: 0, length: ns.length)) ?? [] {
        let r = m.range(at: 1).location != NSNotFound ? m.range(at: 1) : m.range(at: 2)
        let name = ns.substring(with: r)
        if known.contains(name), !seen.contains(name) { seen.append(name) }
    }
    return seen
}

@Test("examples/index.txt lists every built-in lesson, in Lesson.builtin's order")
func indexIsTheBuiltinOrder() throws {
    let order = try indexOrder()
    #expect(order.count == 44)
    #expect(order == Lesson.builtin.map(\.name))
}

@Test(
    "Every built-in lesson has a worksheet: objectives, a time in minutes, a predict-first question, an answer key",
    arguments: try indexOrder())
func worksheetIsComplete(_ name: String) throws {
    let sheet = try repositoryText("docs/labs/\(name).md")
    let lines = sheet.split(separator: "\n", omittingEmptySubsequences: false)
    let title = try #require(lines.first)
    #expect(title.hasPrefix("# Lab "), "\(name): the sheet opens with '# Lab N: title'")
    // Objectives and Time open the sheet: before its goal and its questions.
    let objectives = try #require(sheet.range(of: "\n**Objectives.**"), "\(name): no **Objectives.**")
    let time = try #require(
        sheet.range(of: #"\n\*\*Time\.\*\* \d+ minutes\."#, options: .regularExpression),
        "\(name): no '**Time.** N minutes.'")
    let questionsHeading = try #require(sheet.range(of: "\n## Questions"), "\(name): no questions")
    #expect(objectives.lowerBound < time.lowerBound && time.lowerBound < questionsHeading.lowerBound)
    if let goal = sheet.range(of: "\n**Goal.**") {
        #expect(time.lowerBound < goal.lowerBound, "\(name): Time after Goal")
    }
    let bullets = sheet[objectives.upperBound..<time.lowerBound].split(separator: "\n").filter { $0.hasPrefix("- ") }
    #expect((2...3).contains(bullets.count), "\(name): \(bullets.count) objectives, not 2–3")
    let minutes = try #require(Int(sheet[time].filter(\.isNumber)))
    #expect((5...60).contains(minutes), "\(name): \(minutes) minutes")

    let questions = try #require(section(sheet, "Questions"))
    let key = try #require(section(sheet, "Answer key"), "\(name): no answer key")
    let asked = itemNumbers(questions), answered = itemNumbers(key)
    #expect(!asked.isEmpty && asked == Array(1...asked.count), "\(name): questions numbered \(asked)")
    #expect(answered == asked, "\(name): questions \(asked), answers \(answered)")
    let predicting = questions.split(separator: "\n").filter { $0.contains("**Predict first.**") }
    #expect(!predicting.isEmpty, "\(name): no question marked **Predict first.**")
    for q in predicting { #expect(q.contains("efore"), "\(name): a predict-first question says before what: \(q)") }
}

@Test("docs/labs/README.md lists the worksheets in examples/index.txt's order, numbered as the sheets")
func labsReadmeFollowsTheIndex() throws {
    let order = try indexOrder()
    let readme = try repositoryText("docs/labs/README.md")
    #expect(mentions(of: order, in: readme[...]) == order)
    for (i, name) in order.enumerated() {
        #expect(readme.contains("\(i + 1). [\(name)](\(name).md)"), "README: \(name) is not item \(i + 1)")
        let sheet = try repositoryText("docs/labs/\(name).md")
        #expect(sheet.hasPrefix("# Lab \(i + 1): "), "\(name).md is not Lab \(i + 1)")
    }
}

@Test("docs/teaching.md's lesson plan names every lesson, in examples/index.txt's order")
func teachingPlanFollowsTheIndex() throws {
    let order = try indexOrder()
    let plan = try #require(section(try repositoryText("docs/teaching.md"), "A lesson plan"))
    #expect(mentions(of: order, in: plan) == order)
}
