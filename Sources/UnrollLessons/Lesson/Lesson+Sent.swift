import Foundation

extension Lesson {
    /// The lesson a scenario text received from elsewhere (a class's presenter) describes, read and validated as
    /// any file is; the weights it names come from `files` (by the path the scenario resolves them to) and never
    /// from the file system.
    ///
    /// - Parameters:
    ///   - text: the YAML text (at most 1 MiB, as a file).
    ///   - path: the path the text was read from, for messages and to resolve `weights:`.
    ///   - files: the bytes of the files the scenario names, by resolved path.
    /// - Throws: `ScenarioError` with every problem, as ``init(scenario:path:)``, and when the text is over 1 MiB.
    public init(scenario text: String, path: String, files: [String: [UInt8]]) throws(ScenarioError) {
        _ = try ScenarioFile.text(of: Data(text.utf8), path: path)
        let folder = ScenarioFolder(path: "", order: [], texts: [:], data: [:], resolved: files)
        try self.init(scenario: text, path: path, folder: folder)
    }

    /// The text of the scenario file at `path`, refused as ``load(contentsOf:)`` refuses it (missing, over 1 MiB, not UTF-8).
    /// - Throws: `ScenarioError`.
    public static func scenarioText(contentsOf path: String) throws(ScenarioError) -> String {
        try ScenarioFile.read(path)
    }
}
