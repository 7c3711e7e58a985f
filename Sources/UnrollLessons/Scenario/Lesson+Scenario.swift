import Yams

extension Lesson {
    /// The lesson a scenario file's text describes (the format of docs/scenarios.md).
    ///
    /// Every problem in the text is collected, not only the first: broken YAML,
    /// unknown keys (with the likely intended one), wrong types, numbers out of
    /// range or not finite, invalid choices, steps past the end, then the
    /// combinations the engine cannot run (`problems`). Nothing the text says can trap:
    /// the lesson is checked before anything is built from it.
    ///
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - path: the file's path, used in messages and, without its folder and
    ///     extension, as the lesson's name when the text gives none.
    /// - Throws: `ScenarioError` listing every problem as `path:line:column: message`.
    /// - Complexity: linear in the text (nested collections included), on a thread with a large stack.
    public init(scenario text: String, path: String) throws(ScenarioError) {
        try self.init(scenario: text, path: path, folder: nil)
    }

    /// The lesson `text` describes, its `weights:` read from `folder` when given (the built-in
    /// lessons'), else from the file system; as `init(scenario:path:)` otherwise.
    init(scenario text: String, path: String, folder: ScenarioFolder?) throws(ScenarioError) {
        let result = LargeStack.run { Lesson.parseScenario(text, path: path, folder: folder) }
        switch result {
        case .success(let lesson): self = lesson
        case .failure(let error): throw error
        }
    }

    /// The lesson in the scenario file at `path`.
    ///
    /// - Throws: `ScenarioError` when the file is missing, unreadable, larger than
    ///   1 MiB, not UTF-8, or has any of the problems `init(scenario:path:)` finds.
    public static func load(contentsOf path: String) throws(ScenarioError) -> Lesson {
        let text = try ScenarioFile.read(path)
        return try Lesson(scenario: text, path: path)
    }

    /// The name a file at `path` gives a lesson: its last component without the extension.
    static func scenarioName(fromPath path: String) -> String {
        let file = path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }

    /// Parses and validates; the whole of `init(scenario:path:)` but the thread.
    static func parseScenario(
        _ text: String, path: String, folder: ScenarioFolder? = nil
    ) -> Result<Lesson, ScenarioError> {
        var reader = ScenarioReader(path: path, folder: folder)
        if let (line, column) = ScenarioNesting.firstTooDeep(in: text) {
            return .failure(
                ScenarioError(
                    path: path, line: line, column: column,
                    message:
                        "lists and mappings nested more than \(ScenarioNesting.limit) levels deep; a scenario needs three at most"
                ))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            reader.report(yamlError: error, in: text)
            return .failure(ScenarioError(path: path, problems: reader.problems))
        } catch {
            return .failure(ScenarioError(path: path, line: 1, column: 1, message: "invalid YAML: \(error)"))
        }
        if let lesson = reader.lesson(from: root, defaultName: ScenarioText.clean(scenarioName(fromPath: path))) {
            return .success(lesson)
        }
        let sorted = reader.problems.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        return .failure(ScenarioError(path: path, problems: sorted))
    }
}
