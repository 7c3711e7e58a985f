/// Every problem found in one scenario file; thrown by `Lesson(scenario:path:)` and `Lesson.load(contentsOf:)`.
///
/// The problems are sorted by position. `description` lists them one per line
/// in the compiler's format, `path:line:column: message`, so editors and
/// terminals can jump to them.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The most problems listed; beyond this, one last line tells how many more there were.
    public static let problemLimit = 100

    /// The file, as given to the reader.
    public var path: String
    /// The problems, sorted by line and column; never empty.
    public var problems: [ScenarioProblem]

    /// The error of `problems` in `path`; `problems` should not be empty.
    public init(path: String, problems: [ScenarioProblem]) {
        self.path = path
        self.problems = problems
    }

    /// An error with one problem at `line`:`column` (0, 0: the whole file).
    public init(path: String, line: Int = 0, column: Int = 0, message: String) {
        self.init(path: path, problems: [ScenarioProblem(path: path, line: line, column: column, message: message)])
    }

    /// The line of the first problem (0: the whole file).
    public var line: Int { problems.first?.line ?? 0 }
    /// The column of the first problem (0: the whole file).
    public var column: Int { problems.first?.column ?? 0 }
    /// The message of the first problem.
    public var message: String { problems.first?.message ?? "" }

    /// The problems, one per line; past `problemLimit`, a last line tells how many were left out.
    public var description: String {
        var lines = problems.prefix(Self.problemLimit).map(\.description)
        if problems.count > Self.problemLimit {
            lines.append("\(path): and \(problems.count - Self.problemLimit) more problems")
        }
        return lines.joined(separator: "\n")
    }
}
