import Yams

/// Reads a composed YAML tree into a `Lesson`, collecting every problem it finds on the way.
///
/// Each `read…` helper reports its own problem (with the node's position) and
/// returns nil, so the caller only has to skip the field and go on.
struct ScenarioReader {
    /// The file the problems are reported in.
    let path: String
    /// The in-memory folder the scenario is in (the built-in lessons'), whose files `weights:` names;
    /// nil: the file system.
    var folder: ScenarioFolder? = nil
    /// Every problem found so far, in the order found.
    var problems: [ScenarioProblem] = []
    /// Dotted paths (`model.cell`) of the fields that were present and could not be read.
    var failed: Set<String> = []
    /// The value node of each field read successfully, by dotted path.
    var located: [String: Node] = [:]
    /// Keys suggested for unknown keys, as `place key` (`in input tokens`): not reported missing as well.
    var suggested: Set<String> = []
    /// Mappings merge keys (`<<`) may still bring in. Aliases let a small file merge a mapping
    /// exponentially often (a "billion laughs" of merges), so the reader stops at `mergeLimit`.
    var mergesLeft = Self.mergeLimit
    /// The most mappings merge keys may bring in, over the whole file.
    static let mergeLimit = 1000

    /// Reports `key` missing at `mark` unless an unknown key there was already taken for a misspelling of it.
    mutating func reportMissing(_ key: String, place: String, at mark: Mark?, _ message: String) {
        if !suggested.contains("\(place) \(key)") { report(at: mark, message) }
    }

    /// Passes `value` through, noting whether the field at `path` was read (`located`) or not (`failed`).
    mutating func take<T>(_ path: String, _ node: Node, _ value: T?) -> T? {
        if value == nil { failed.insert(path) } else { located[path] = node }
        return value
    }

    /// Records `message` at `mark` (1:1 when the position is unknown).
    mutating func report(at mark: Mark?, _ message: String) {
        report(line: mark?.line ?? 1, column: mark?.column ?? 1, message)
    }

    /// Records `message` at a 1-based `line` and `column`, cleaned of control characters (it may quote the file).
    mutating func report(line: Int, column: Int, _ message: String) {
        problems.append(ScenarioProblem(path: path, line: line, column: column, message: ScenarioText.clean(message)))
    }

    /// Records `message` at `node`'s position.
    mutating func report(_ node: Node, _ message: String) {
        report(at: node.mark, message)
    }

    /// The entries of the mapping `node`, reporting non-mappings, unknown keys (with a
    /// suggestion), duplicate keys and keys that are not names. `<<` merge keys are applied.
    ///
    /// - Parameters:
    ///   - name: the mapping's name in messages (`model`, `deep`).
    ///   - place: where an unknown key is, in messages (`in model`, `at the top level`).
    ///   - allowed: the keys allowed, in the order the documentation gives them.
    mutating func fields(of node: Node, name: String, place: String, allowed: [String]) -> ScenarioFields? {
        guard case .mapping(let mapping) = node else {
            report(
                node,
                "\(name) must be a mapping with keys such as \(allowed.prefix(3).joined(separator: ", ")), found \(node.found)"
            )
            return nil
        }
        var result = ScenarioFields(mark: mapping.mark)
        var merged: [Node] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalarText else {
                report(keyNode, "keys must be names, found \(keyNode.found) as a key \(place)")
                continue
            }
            if key == "<<", keyNode.plainText != nil {
                if case .sequence(let list) = value { merged.append(contentsOf: list) } else { merged.append(value) }
                continue
            }
            guard allowed.contains(key) else {
                if let guess = closestMatch(to: key, among: allowed) {
                    report(keyNode, "unknown key '\(key)' \(place); did you mean '\(guess)'?")
                    suggested.insert("\(place) \(guess)")
                } else {
                    report(keyNode, "unknown key '\(key)' \(place); allowed: \(allowed.joined(separator: ", "))")
                }
                continue
            }
            if let first = result.keys[key] {
                report(keyNode, "duplicate key '\(key)' \(place); it is first given at line \(first.mark?.line ?? 1)")
                continue
            }
            result.keys[key] = keyNode
            result.values[key] = value
        }
        for source in merged {
            guard mergesLeft > 0 else {
                if mergesLeft == 0 {
                    report(
                        source,
                        "merge keys (<<) bring in more than \(Self.mergeLimit) mappings (through aliases); a scenario needs a few"
                    )
                    mergesLeft = -1
                }
                return nil
            }
            mergesLeft -= 1
            guard case .mapping = source else {
                report(source, "a merge key (<<) needs a mapping or a list of mappings, found \(source.found)")
                continue
            }
            guard let extra = fields(of: source, name: name, place: place, allowed: allowed) else { continue }
            for (key, value) in extra.values where result.values[key] == nil {
                result.values[key] = value
                result.keys[key] = extra.keys[key]
            }
        }
        return result
    }

    /// An integer in `range`, or nil after reporting what was found.
    mutating func integer(_ node: Node, _ name: String, _ range: ClosedRange<Int>) -> Int? {
        if let v = node.integer(as: Int.self), range.contains(v) { return v }
        report(node, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound), found \(node.found)")
        return nil
    }

    /// Null (`.some(nil)`) or an integer in `range`; nil after reporting what was found.
    mutating func optionalInteger(_ node: Node, _ name: String, _ range: ClosedRange<Int>) -> Int?? {
        if node.isNull { return .some(nil) }
        if let v = node.integer(as: Int.self), range.contains(v) { return .some(v) }
        report(
            node,
            "\(name) must be null or an integer from \(range.lowerBound) to \(range.upperBound), found \(node.found)")
        return nil
    }

    /// A finite number satisfying `isValid` (described by `requirement`), or nil after reporting.
    mutating func number(_ node: Node, _ name: String, _ requirement: String, _ isValid: (Double) -> Bool) -> Double? {
        if let v = node.number, v.isFinite, isValid(v) { return v }
        report(node, "\(name) must be \(requirement), found \(node.found)")
        return nil
    }

    /// `true` or `false`, or nil after reporting.
    mutating func boolean(_ node: Node, _ name: String) -> Bool? {
        if let v = node.boolean { return v }
        report(node, "\(name) must be true or false, found \(node.found)")
        return nil
    }

    /// One of `E`'s raw values, or nil after reporting the allowed ones (and a likely one).
    mutating func choice<E: RawRepresentable & CaseIterable>(_ node: Node, _ name: String, _: E.Type) -> E?
    where E.RawValue == String {
        if let t = node.scalarText, let v = E(rawValue: t) { return v }
        let allowed = E.allCases.map(\.rawValue)
        var message = "\(name) must be one of \(allowed.joined(separator: ", ")), found \(node.found)"
        if let t = node.scalarText, let guess = closestMatch(to: t, among: allowed) {
            message += "; did you mean '\(guess)'?"
        }
        report(node, message)
        return nil
    }

    /// A string: any scalar but a plain null, cleaned of control characters and escape sequences
    /// (`ScenarioText.clean`). Nil after reporting.
    mutating func text(_ node: Node, _ name: String) -> String? {
        if let t = node.scalarText, !node.isNull { return ScenarioText.clean(t) }
        report(node, "\(name) must be a string, found \(node.found)")
        return nil
    }

    /// Words: a string split on whitespace, or a list of non-empty strings; between 1 and `limit` of them.
    /// Each is cleaned of control characters and escape sequences (`ScenarioText.clean`) first.
    mutating func words(_ node: Node, _ name: String, limit: Int) -> [String]? {
        var words: [String] = []
        switch node {
        case .scalar:
            guard !node.isNull || node.plainText == "", let t = node.scalarText else {
                report(node, "\(name) must be a string of words or a list of words, found \(node.found)")
                return nil
            }
            words = ScenarioText.clean(t).split(whereSeparator: \.isWhitespace).map(String.init)
        case .sequence(let list):
            var ok = true
            for item in list {
                if let t = item.scalarText.map(ScenarioText.clean), !t.isEmpty {
                    words.append(t)
                } else {
                    report(item, "each word of \(name) must be a non-empty string, found \(item.found)")
                    ok = false
                }
            }
            if !ok { return nil }
        case .mapping:
            report(node, "\(name) must be a string of words or a list of words, found a mapping")
            return nil
        }
        guard (1...limit).contains(words.count) else {
            report(node, "\(name) must have from 1 to \(limit) words, found \(words.count)")
            return nil
        }
        return words
    }
}
