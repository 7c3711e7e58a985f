import Foundation
import Testing
import UnrollLessons

@testable import UnrollUI

/// `R` in a class (issue 24, item 3): where the answers go, on the vanishing lesson's one question (its right
/// answer is choice 1 of 4, by the lesson's text).
@Suite("Class results: the R key's file")
struct ResultsFileTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "unroll-results-\(UInt32.random(in: 0...UInt32.max))/"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    static let header = "caption,question,choice,text,right,count,percent"

    @Test("Without --results, R makes unroll-results-LESSON.csv (another name when taken) and keeps it; with it, R writes there")
    func keyWrites() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        let q = try #require(lesson.captions.firstIndex { $0.question != nil })
        let answers = [ClassResults.Asked(caption: q, histogram: [3, 1, 0, 0])]
        let file = ResultsFile(lesson: lesson, path: nil, folder: folder)
        #expect(file.path == nil)
        file.update(answers)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty, "no file before R")
        #expect(file.write(answers) == "answers saved to \(folder)unroll-results-vanishing.csv")
        #expect(file.path == folder + "unroll-results-vanishing.csv")
        let rows = try String(contentsOfFile: folder + "unroll-results-vanishing.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        try #require(rows.count == 5)
        // 3 of 4 chose the right answer (75 %), 1 the second choice (25 %).
        #expect(rows[0] == Self.header)
        #expect(rows[1].hasSuffix(",yes,3,75") && rows[2].hasSuffix(",no,1,25"), "\(rows)")
        // Kept up to date from then on.
        file.update([ClassResults.Asked(caption: q, histogram: [0, 0, 2, 0])])
        let again = try String(contentsOfFile: folder + "unroll-results-vanishing.csv", encoding: .utf8)
        #expect(again.split(separator: "\n").dropFirst(3).first?.hasSuffix(",no,2,100") == true, "\(again)")
        // A second class in the same folder does not overwrite the first's file.
        let second = ResultsFile(lesson: lesson, path: nil, folder: folder)
        #expect(second.write([]) == "answers saved to \(folder)unroll-results-vanishing-2.csv")
        #expect(try String(contentsOfFile: folder + "unroll-results-vanishing-2.csv", encoding: .utf8) == Self.header + "\n")
        // --results: R writes that file.
        let given = ResultsFile(lesson: lesson, path: folder + "mine.csv")
        #expect(given.write(answers) == "answers saved to \(folder)mine.csv")
        #expect(FileManager.default.fileExists(atPath: folder + "mine.csv"))
    }

    @Test("A folder R cannot write to: the status line says why, and the class keeps no file")
    func unwritable() throws {
        let lesson = try #require(Lesson.builtin(named: "vanishing"))
        let file = ResultsFile(lesson: lesson, path: nil, folder: "/proc/no-such-folder/")
        let said = file.write([])
        #expect(said.hasPrefix("answers not saved: "), "\(said)")
        #expect(file.path == nil)
    }
}
