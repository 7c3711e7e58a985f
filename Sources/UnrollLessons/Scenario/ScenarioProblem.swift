/// One problem found in a scenario file, at a line and column of that file.
public struct ScenarioProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file, as given to the reader (`examples/memory.yaml`).
    public var path: String
    /// 1-based line of the problem; 0 when it concerns the whole file (it cannot be read, say).
    public var line: Int
    /// 1-based column, counted in Unicode scalars as YAML does; 0 when it concerns the whole file.
    public var column: Int
    /// What was found and what is allowed.
    public var message: String

    /// A problem at `line`:`column` of `path`.
    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path:line:column: message`, or `path: message` for the whole file.
    /// The path is cleaned of control characters (`ScenarioText.clean`): a file name can hold them too.
    public var description: String {
        let path = ScenarioText.clean(path)
        return line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)"
    }
}
