import Foundation

/// A folder of scenario files held in memory: the built-in lessons are examples/, embedded in the
/// binary at build time (`EmbeddedExamples`, written by the EmbedExamplesPlugin).
///
/// A scenario read from it resolves `weights:` among the folder's own files and never the file
/// system, so a binary copied alone still finds its lessons and their weights.
struct ScenarioFolder: Sendable {
    /// The folder's path in the lessons' paths and messages (`examples/memory.yaml:3:5: …`).
    var path: String
    /// The lesson names in order: one `NAME.yaml` in `texts` each.
    var order: [String]
    /// The text files (scenarios, the index) by file name.
    var texts: [String: String]
    /// The other files (weights) by file name, as base64.
    var data: [String: String]
    /// Files by the exact path a scenario resolves them to (a class lesson's weights, as the presenter sent them).
    var resolved: [String: [UInt8]] = [:]

    /// The built-in lessons: the package's examples/ folder as the build embedded it.
    static let builtin = ScenarioFolder(
        path: "examples", order: EmbeddedExamples.order,
        texts: EmbeddedExamples.texts, data: EmbeddedExamples.data)

    /// The lesson in the folder's `name`.yaml, or nil when there is no such file.
    ///
    /// - Throws: `ScenarioError` with the scenario's problems, at `path/name.yaml`.
    /// - Complexity: parses that one file, and decodes the weights it names.
    func lesson(named name: String) throws(ScenarioError) -> Lesson? {
        guard let text = texts[name + ".yaml"] else { return nil }
        return try Lesson(scenario: text, path: "\(path)/\(name).yaml", folder: self)
    }

    /// Every lesson of `order` that parses, in order, all parsed on one large-stack thread (not one thread each).
    /// - Complexity: parses every file once.
    func lessons() -> [Lesson] {
        let folder = self
        return LargeStack.run {
            folder.order.compactMap { name in
                folder.texts[name + ".yaml"].flatMap {
                    try? Lesson.parseScenario($0, path: "\(folder.path)/\(name).yaml", folder: folder).get()
                }
            }
        }
    }

    /// The text file a scenario here names, as the scenario resolves it (`examples/texts/sonnets.txt`); nil if none.
    func text(atPath resolved: String) -> String? {
        guard resolved.hasPrefix(path + "/") else { return nil }
        return texts[String(resolved.dropFirst(path.count + 1))]
    }

    /// The bytes of the file a scenario here names, as the scenario resolves it (`examples/w.safetensors`); nil if none.
    func bytes(atPath resolved: String) -> [UInt8]? {
        if let bytes = self.resolved[resolved] { return bytes }
        guard resolved.hasPrefix(path + "/"), let base64 = data[String(resolved.dropFirst(path.count + 1))] else {
            return nil
        }
        return Data(base64Encoded: base64).map { Array($0) }
    }
}
