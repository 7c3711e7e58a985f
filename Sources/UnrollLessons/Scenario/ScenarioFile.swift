import Foundation

/// Reads a scenario file's text, refusing what cannot be a scenario.
///
/// Reading never modifies the file: it is opened read-only and read once.
enum ScenarioFile {
    /// The largest scenario file read: 1 MiB.
    static let byteLimit = 1 << 20

    /// The UTF-8 text of the file at `path`.
    ///
    /// - Throws: `ScenarioError` when the file is missing, a directory, unreadable,
    ///   larger than `byteLimit` or not UTF-8 (at the line and column of the first bad byte).
    /// - Complexity: reads at most `byteLimit + 1` bytes.
    static func read(_ path: String) throws(ScenarioError) -> String {
        let data = try bytes(
            at: path, limit: byteLimit, missing: "no such file", directory: "is a directory, not a scenario file")
        return try text(of: data, path: path)
    }

    /// At most `limit + 1` bytes of the file at `path` (one more than the limit, so the caller can tell a file
    /// over it); read-only, read once.
    /// - Throws: `ScenarioError` saying `missing` or `directory` when the path names no file or a directory, or
    ///   why the file cannot be opened or read.
    static func bytes(at path: String, limit: Int, missing: String, directory: String) throws(ScenarioError) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ScenarioError(path: path, message: missing)
        }
        if isDirectory.boolValue { throw ScenarioError(path: path, message: directory) }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ScenarioError(path: path, message: "cannot be opened for reading")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw ScenarioError(path: path, message: "cannot be read: \(error.localizedDescription)")
        }
        return data
    }

    /// The text of a scenario file's bytes (at most `byteLimit + 1` of them need be given).
    ///
    /// - Throws: `ScenarioError` when `data` is longer than `byteLimit` (at the line and column
    ///   where the limit is passed, a byte that is not UTF-8 counting as one column) or not UTF-8
    ///   (at the first bad byte).
    static func text(of data: Data, path: String) throws(ScenarioError) -> String {
        if data.count > byteLimit {
            let (line, column) = position(after: Data(String(decoding: data.prefix(byteLimit), as: UTF8.self).utf8))
            throw ScenarioError(
                path: path, line: line, column: column,
                message:
                    "the file is larger than 1 MiB (\(byteLimit) bytes) from here on; a scenario file is a few kilobytes of text"
            )
        }
        if let text = String(data: data, encoding: .utf8) { return text }
        let (line, column) = position(after: data)
        throw ScenarioError(
            path: path, line: line, column: column,
            message: "bytes that are not UTF-8 text; save the file as UTF-8")
    }

    /// The 1-based line and column (in Unicode scalars) just after the longest valid UTF-8 prefix of `data`.
    static func position(after data: Data) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var bytes = data.makeIterator()
        var decoder = UTF8()
        while case .scalarValue(let scalar) = decoder.decode(&bytes) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
