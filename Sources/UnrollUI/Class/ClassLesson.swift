import Foundation
import UnrollLessons

/// The lesson a class's presenter sends each follower on joining: a built-in lesson by name, or a scenario file's
/// text with the weights file it names, read on the follower's side by the same reader as any file (so all of its
/// validation applies) and never touching the follower's file system.
public struct ClassLesson: Codable, Sendable, Equatable {
    /// The built-in lesson's name, or nil for a file.
    public var builtin: String?
    /// The file's path on the presenter's machine (for messages and to resolve `weights:`).
    public var path: String?
    /// The file's scenario text.
    public var text: String?
    /// The weights file the scenario names, by resolved path, as base64.
    public var files: [String: String]?
    /// The seed the presenter opened the lesson with (`--seed`), if not its own.
    public var seed: UInt64?

    /// A built-in lesson by name.
    public init(builtin name: String, seed: UInt64? = nil) {
        builtin = name
        self.seed = seed
    }

    /// A scenario file and the weights file it names, read from the presenter's file system.
    /// - Throws: `ScenarioError` when the file (or its weights) cannot be read or has problems.
    public init(file path: String, seed: UInt64? = nil) throws {
        let text = try Lesson.scenarioText(contentsOf: path)
        let lesson = try Lesson(scenario: text, path: path)
        self.path = path
        self.text = text
        self.seed = seed
        if let weights = lesson.weights {
            let data = try Data(contentsOf: URL(fileURLWithPath: weights.path))
            files = [weights.path: data.base64EncodedString()]
        }
    }

    /// The bytes sent: JSON.
    public func encoded() -> Data {
        (try? JSONEncoder().encode(self)) ?? Data()
    }

    /// The lesson in bytes received from a presenter, at most `limit` of them.
    /// - Throws: ``ClassStateError`` when the bytes are too many, not a class lesson, name no built-in lesson, or
    ///   the scenario has problems (every one of them, as `unroll check` lists them).
    public static func lesson(from data: Data, limit: Int) throws(ClassStateError) -> Lesson {
        guard data.count <= limit else {
            throw ClassStateError("a lesson of \(data.count) bytes, over the limit of \(limit)")
        }
        guard let sent = try? JSONDecoder().decode(ClassLesson.self, from: data) else {
            throw ClassStateError("the presenter sent something that is not a lesson")
        }
        var lesson: Lesson
        if let name = sent.builtin {
            guard let l = Lesson.builtin(named: name) else {
                throw ClassStateError(
                    "the presenter's lesson '\(ScenarioText.clean(String(name.prefix(40))))' is not built into this unroll"
                )
            }
            lesson = l
        } else if let text = sent.text, let path = sent.path {
            var files: [String: [UInt8]] = [:]
            for (name, base64) in sent.files ?? [:] {
                guard let bytes = Data(base64Encoded: base64) else {
                    throw ClassStateError("the lesson's weights are not base64")
                }
                files[name] = Array(bytes)
            }
            guard path.utf8.count <= 4096, ScenarioText.clean(path) == path else {
                throw ClassStateError("the lesson's path is over 4096 bytes or has control characters")
            }
            do {
                lesson = try Lesson(scenario: text, path: path, files: files)
            } catch {
                throw ClassStateError("the presenter's lesson has problems:\n\(error)")
            }
        } else {
            throw ClassStateError("the presenter sent a lesson with neither a name nor a scenario")
        }
        if let seed = sent.seed {
            guard seed <= 1 << 63 else { throw ClassStateError("the lesson's seed \(seed) is above 2^63") }
            lesson.seed = seed
        }
        let problems = lesson.problems
        guard problems.isEmpty else {
            throw ClassStateError("the presenter's lesson cannot run: " + problems.joined(separator: "; "))
        }
        return lesson
    }
}
