import Yams

/// The checked entries of one YAML mapping of a scenario: known keys only, each once.
struct ScenarioFields {
    /// Where the mapping starts.
    var mark: Mark?
    /// The key node of each entry, by key.
    var keys: [String: Node] = [:]
    /// The value of each entry, by key.
    var values: [String: Node] = [:]

    /// The value of `key`, if present.
    subscript(key: String) -> Node? { values[key] }
}
