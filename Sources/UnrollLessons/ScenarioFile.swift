import Foundation

/// Reads a scenario file's text, refusing what cannot be a scenario.
enum ScenarioFile {
    /// The largest scenario file read: 1 MiB.
    static let byteLimit = 1 << 20

    /// The UTF-8 text of the file at `path`.
    ///
    /// - Throws: `ScenarioError` when the file is missing, a directory, unreadable,
    ///   larger than `byteLimit` or not UTF-8 (at the line and column of the first bad byte).
    /// - Complexity: reads at most `byteLimit + 1` bytes.
    static func read(_ path: String) throws(ScenarioError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(path: path, message: "no such file")
        }
        if isDirectory.boolValue { throw ScenarioError(path: path, message: "is a directory, not a scenario file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ScenarioError(path: path, message: "cannot be opened for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: byteLimit + 1) ?? Data()
        } catch {
            throw ScenarioError(path: path, message: "cannot be read: \(error.localizedDescription)")
        }
        if data.count > byteLimit {
            throw ScenarioError(path: path, message: "is larger than 1 MiB (\(byteLimit) bytes); a scenario file is a few kilobytes of text")
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        var line = 1, column = 1
        var bytes = data.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                throw ScenarioError(path: path, line: 1, column: 1, message: "is not UTF-8 text; save it as UTF-8")
            case .error:
                throw ScenarioError(path: path, line: line, column: column,
                                    message: "bytes that are not UTF-8 text; save the file as UTF-8")
            }
        }
    }
}
