/// A quick look for runaway nesting of flow collections (`[` and `{`) before the YAML parser runs.
///
/// The parser's work grows with the square of the nesting depth (a file of
/// 100,000 `[` takes many seconds), while a scenario never nests more than
/// three levels. This scan skips comments and quoted strings the way YAML
/// does in all ordinary files; where it errs (brackets in a block scalar, say)
/// it counts too many, never too few in such files. `LargeStack` keeps the
/// parser safe whatever this scan lets through.
enum ScenarioNesting {
    /// The deepest flow nesting accepted.
    static let limit = 64

    /// The 1-based line and column of the first `[` or `{` nested deeper than `limit`, if any.
    ///
    /// - Complexity: O(n) in the text's Unicode scalars.
    static func firstTooDeep(in text: String) -> (line: Int, column: Int)? {
        var line = 1, column = 0
        var depth = 0
        var quote: Unicode.Scalar?
        var escaped = false, comment = false
        var previous: Unicode.Scalar = "\n"
        var lastSignificant: Unicode.Scalar = "\n"
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar?
        while let u = pending ?? scalars.next() {
            pending = nil
            if u == "\n" {
                line += 1
                column = 0
                comment = false
                previous = u
                if quote == nil { lastSignificant = u }
                continue
            }
            column += 1
            defer { previous = u }
            if comment { continue }
            if let q = quote {
                if escaped {
                    escaped = false
                } else if q == "\"" && u == "\\" {
                    escaped = true
                } else if u == q {
                    if q == "'", let next = scalars.next() {
                        if next == "'" {
                            column += 1
                            continue
                        }
                        pending = next
                    }
                    quote = nil
                    lastSignificant = u
                }
                continue
            }
            switch u {
            case "#" where previous == " " || previous == "\t" || previous == "\n":
                comment = true
            case "\"", "'":
                if "\n[{,:-?".unicodeScalars.contains(lastSignificant) { quote = u }
            case "[", "{":
                depth += 1
                if depth > limit { return (line, column) }
            case "]", "}":
                depth = max(0, depth - 1)
            default:
                break
            }
            if u != " " && u != "\t" && quote == nil { lastSignificant = u }
        }
        return nil
    }
}
