import Foundation
import Testing
import UnrollLessons

@testable import UnrollUI

/// `present --results FILE.csv` and the end-of-class summary (issue 24, item 3), on the vanishing lesson's one
/// question (four choices, right: 1), with counts made up by hand.
@Suite("Class results: the CSV file and the summary")
struct ClassResultsTests {
    @Test func csvAndSummaryOfOneQuestion() throws {
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        let caption = try #require(lesson.captions.firstIndex { $0.question != nil })
        let question = try #require(lesson.captions[caption].question)
        try #require(question.choices.count == 4 && question.answer == 0)
        // 3 chose 1 (right), 1 chose 2, with names; a caption without a question is left out.
        let results = ClassResults(
            lesson: lesson,
            asked: [
                .init(
                    caption: caption, histogram: [3, 1, 0, 0],
                    named: [("bob", 0), ("al\u{1B}[2Jice", 1), ("carol", 0), ("dave", 0)]),
                .init(caption: caption == 0 ? 1 : 0, histogram: [1, 1])
            ])
        #expect(results.asked.count == 1)
        let rows = results.csv.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rows.count == 6 && rows.last == "", "\(rows)")
        #expect(rows[0] == "caption,question,choice,text,right,count,percent,students")
        // 3 of 4 is 75%, 1 of 4 is 25%; the question has a comma, so it is quoted; an escape in a name is cleaned.
        let q = "\"" + ScenarioText.clean(question.text).replacingOccurrences(of: "\"", with: "\"\"") + "\""
        #expect(rows[1] == "\(caption + 1),\(q),1,step 1,yes,3,75,bob carol dave")
        #expect(rows[2] == "\(caption + 1),\(q),2,step 5,no,1,25,\(ScenarioText.clean("al\u{1B}[2Jice"))")
        #expect(rows[3] == "\(caption + 1),\(q),3,step 11,no,0,0,")
        #expect(rows[4] == "\(caption + 1),\(q),4,the same at every step,no,0,0,")
        #expect(!results.csv.contains("\u{1B}"))
        let summary = results.summary
        #expect(summary.first == "1 question asked:")
        #expect(summary.count == 6)
        #expect(summary[1].hasPrefix("caption \(caption + 1): ") && summary[1].hasSuffix(" — 4 answers, 75% right"))
        #expect(Array(summary.dropFirst(2)) == [
            "  1) step 1 [right]: 3", "  2) step 5: 1", "  3) step 11: 0", "  4) the same at every step: 0"
        ])
        #expect(ClassResults(lesson: lesson, asked: []).summary == ["no question was asked"])
    }
}
