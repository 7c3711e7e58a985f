/// A JSON value whose objects keep their keys in the order they were built, with a
/// deterministic pretty printer; the trace export's serialiser.
///
/// Numbers print with Swift's `description`, the shortest text that reads back as the
/// same Double. NaN and ±Inf, which JSON cannot hold, print as the strings `"NaN"`,
/// `"Infinity"` and `"-Infinity"`.
enum TraceExportJSON: Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// An integer.
    case int(Int)
    /// A Double, or a string for a non-finite one.
    case number(Double)
    /// A string, escaped.
    case string(String)
    /// An array.
    case array([TraceExportJSON])
    /// An object, keys in this order.
    case object([(String, TraceExportJSON)])

    /// Arrays without objects whose one-line form is at most this long print on one line;
    /// so do arrays of scalars and one-row matrices, however long.
    static let inlineWidth = 100

    /// `value` as an optional: `.null` for nil.
    static func optional<V>(_ value: V?, _ make: (V) -> TraceExportJSON) -> TraceExportJSON {
        value.map(make) ?? .null
    }

    /// The text, indented by two spaces per level, ending without a newline.
    /// - Complexity: O(n) in the size of the output, plus O(n) per nesting level of arrays
    ///   for the width test of inline arrays.
    func rendered() -> String {
        var out = ""
        render(indent: 0, into: &out)
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private var isScalarArray: Bool {
        if case .array(let items) = self { return items.allSatisfy(\.isScalar) }
        return false
    }

    private var containsObject: Bool {
        switch self {
        case .object: return true
        case .array(let items): return items.contains { $0.containsObject }
        default: return false
        }
    }

    private func render(indent: Int, into out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d): out += Self.number(d)
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]"
                return
            }
            if !containsObject {
                var line = ""
                renderInline(into: &line)
                if items.allSatisfy(\.isScalar) || (items.count == 1 && items[0].isScalarArray)
                    || line.count + indent <= Self.inlineWidth
                {
                    out += line
                    return
                }
            }
            let pad = String(repeating: " ", count: indent + 2)
            out += "[\n"
            for (k, item) in items.enumerated() {
                out += pad
                item.render(indent: indent + 2, into: &out)
                out += k == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty {
                out += "{}"
                return
            }
            let pad = String(repeating: " ", count: indent + 2)
            out += "{\n"
            for (k, (key, value)) in members.enumerated() {
                out += pad
                Self.quote(key, into: &out)
                out += ": "
                value.render(indent: indent + 2, into: &out)
                out += k == members.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    private func renderInline(into out: inout String) {
        switch self {
        case .array(let items):
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += ", " }
                item.renderInline(into: &out)
            }
            out += "]"
        default:
            render(indent: 0, into: &out)
        }
    }

    /// A Double as JSON: its round-tripping description, or a string when not finite.
    static func number(_ d: Double) -> String {
        if d.isNaN { return "\"NaN\"" }
        if d.isInfinite { return d > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        return d.description
    }

    /// Appends `s` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}
