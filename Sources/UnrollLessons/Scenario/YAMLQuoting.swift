/// `s` as a YAML double-quoted scalar: backslash, quote and every character
/// YAML would not read back verbatim (controls, line and paragraph separators,
/// byte-order marks, non-characters, bidirectional controls) escaped.
func yamlQuoted(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            let v = u.value
            if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029
                || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF || ScenarioText.needsCleaning(u)
            {
                let hex = String(v, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(u)
            }
        }
    }
    return out + "\""
}
