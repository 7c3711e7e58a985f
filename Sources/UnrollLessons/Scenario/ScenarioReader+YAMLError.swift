import Yams

extension ScenarioReader {
    /// Reports a Yams parse error at its mark, in plain words.
    mutating func report(yamlError error: YamlError, in text: String) {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            if Self.character(at: mark, in: text) == "\t" {
                report(at: mark, "invalid YAML: a tab character here; YAML indents with spaces only")
                return
            }
            var message = "invalid YAML: \(problem)"
            if let context {
                message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
            }
            report(at: mark, message)
        case .reader(let problem, let offset, _, _):
            let (line, column) = Self.position(ofCharacter: offset ?? 0, in: text)
            report(line: line, column: column, "invalid YAML: \(problem)")
        default:
            report(at: nil, "invalid YAML: \(error)")
        }
    }

    /// The Unicode scalar at a 1-based line and column (counted in scalars), if any.
    static func character(at mark: Mark, in text: String) -> Unicode.Scalar? {
        var line = 1, column = 1
        for u in text.unicodeScalars {
            if line == mark.line && column == mark.column { return u }
            if line > mark.line { return nil }
            if u == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The 1-based line and column (in Unicode scalars) of the character at `offset` (in Characters).
    static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1, column = 1
        for ch in text.prefix(max(0, offset)) {
            if ch.isNewline {
                line += 1
                column = 1
            } else {
                column += ch.unicodeScalars.count
            }
        }
        return (line, column)
    }
}
