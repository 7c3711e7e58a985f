import Foundation
import UnrollLessons

/// Where a class's answers are kept: the file of `present --results`, or the one `R` first wrote when there was
/// none. The whole file is written again at every reveal, at `R` and when the class ends, so it always holds every
/// question asked so far (anonymous unless the room keeps names).
public final class ResultsFile {
    /// The file, once there is one.
    public private(set) var path: String?
    /// The lesson the class runs (the CSV names its questions and right answers).
    let lesson: Lesson
    /// Where `R` makes a file when there is none: a folder ("" is the current one).
    let folder: String

    /// The results of a class on `lesson`, written to `path` when given; `R` without one makes a file in `folder`.
    public init(lesson: Lesson, path: String?, folder: String = "") {
        self.lesson = lesson
        self.path = path
        self.folder = folder
    }

    /// The CSV of `answers` (one row per choice of every question asked).
    func csv(_ answers: [ClassResults.Asked]) -> [UInt8] {
        Array(ClassResults(lesson: lesson, asked: answers).csv.utf8)
    }

    /// Writes the file again, when there is one (at a reveal and at the end of the class); a failure is said by
    /// ``write(_:)`` and by the end of the class, not here, so the class goes on.
    public func update(_ answers: [ClassResults.Asked]) {
        guard let path else { return }
        try? TraceExport.write(bytes: csv(answers), to: path, force: true)
    }

    /// `R` during a class: writes the answers so far now and says where, in few words (the status line shares its
    /// width with the class's line). Without a file yet
    /// it makes `unroll-results-LESSON.csv` in `folder` (another name when one is taken), kept up to date from then
    /// on.
    public func write(_ answers: [ClassResults.Asked]) -> String {
        if let path {
            do {
                try TraceExport.write(bytes: csv(answers), to: path, force: true)
                return "answers saved to \(path)"
            } catch {
                return "answers not saved: \(error)"
            }
        }
        let stem = folder + "unroll-results-" + Session.fileSafe(lesson.name)
        do {
            guard let written = try TraceExport.writeNew(bytes: csv(answers), stem: stem, suffix: ".csv") else {
                return "answers not saved: \(stem).csv to \(stem)-99.csv all exist"
            }
            path = written + ".csv"
            return "answers saved to \(written).csv"
        } catch {
            return "answers not saved: \(error)"
        }
    }
}
