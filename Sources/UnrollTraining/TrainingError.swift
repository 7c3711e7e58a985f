/// Why an iteration could not start: the task, settings or model do not fit together.
public struct TrainingError: Error, Equatable, CustomStringConvertible {
    /// Every problem found, as sentences.
    public var problems: [String]
    /// The problems, separated by semicolons.
    public var description: String { problems.joined(separator: "; ") }
}
