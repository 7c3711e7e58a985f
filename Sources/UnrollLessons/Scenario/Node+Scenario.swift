import Yams

extension Node {
    /// The scalar's text when it is written plain (unquoted), else nil.
    var plainText: String? {
        guard case .scalar(let s) = self, s.style == .plain || s.style == .any else { return nil }
        return s.string
    }

    /// The scalar's text, however it is quoted; nil for a list or mapping.
    var scalarText: String? {
        guard case .scalar(let s) = self else { return nil }
        return s.string
    }

    /// Whether this is YAML's null: an empty value, `~` or `null` written plain.
    var isNull: Bool {
        guard let t = plainText else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(t)
    }

    /// The plain scalar as an integer of type `I`, if it is written as one (`-3`, `+7`, `0012`).
    /// Nil for other spellings, and for integers `I` cannot hold.
    func integer<I: FixedWidthInteger>(as _: I.Type = I.self) -> I? {
        guard let t = plainText, isIntegerSpelling(t) else { return nil }
        return I(t.hasPrefix("+") ? String(t.dropFirst()) : t)
    }

    /// Whether the plain scalar is spelled as an integer, whatever its size.
    var isIntegerLiteral: Bool { plainText.map(isIntegerSpelling) ?? false }

    /// The plain scalar as a number (`0.6`, `1e-5`, `3`, `.nan`, `-.inf`); nil for anything else.
    var number: Double? {
        guard let t = plainText else { return nil }
        switch t {
        case ".nan", ".NaN", ".NAN": return .nan
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        default: break
        }
        guard t.contains(where: \.isNumber),
            t.allSatisfy({ "0123456789+-.eE".contains($0) })
        else { return nil }
        return Double(t)
    }

    /// The plain scalar `true` or `false` (any capitalisation YAML allows); nil for anything else.
    var boolean: Bool? {
        switch plainText {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// How a value is named in a message: its text (quoted when the file quoted it), `a list` or `a mapping`.
    var found: String {
        switch self {
        case .scalar(let s):
            let text = s.string.count > 40 ? String(s.string.prefix(40)) + "…" : s.string
            if s.style == .plain || s.style == .any {
                if s.string.isEmpty { return "nothing" }
                return text.unicodeScalars.contains(where: ScenarioText.needsCleaning) ? yamlQuoted(text) : text
            }
            return yamlQuoted(text)
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// Whether `t` is an optional sign followed by decimal digits.
private func isIntegerSpelling(_ t: String) -> Bool {
    let digits = t.hasPrefix("-") || t.hasPrefix("+") ? t.dropFirst() : Substring(t)
    return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
}
