/// Cleans text read from a file before anything can show it on a terminal.
///
/// A scenario's title, summary, narration, tokens and targets end up on screen; YAML's
/// double-quoted escapes (`"\e[2J"`, `"\x9b"`, `"\u202e"`) can put any character in them. The
/// reader passes every such string through ``clean(_:)``, so no view has to care: escape
/// sequences (CSI, OSC such as a window-title change, DCS, SOS, PM, APC, and two-character ESC
/// sequences, with intermediate bytes as in `ESC ( 0`) are removed whole, other C0 and C1 control characters and DEL are removed, tabs,
/// line breaks and the Unicode line and paragraph separators become spaces, and the
/// bidirectional overrides, embeddings, isolates and marks (which can make text read in a
/// different order than it is stored) are removed.
public enum ScenarioText {
    /// `text` with every escape sequence and control character removed (see the type's summary).
    ///
    /// - Complexity: O(n) in the text's Unicode scalars.
    public static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsCleaning) else { return text }
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let u = scalars.next() {
            switch u.value {
            case 0x1B:
                guard let next = scalars.next() else { break }
                switch next {
                case "[": skipControlSequence(&scalars)
                case "]", "P", "X", "^", "_": skipControlString(&scalars)
                case " "..."/":
                    // Intermediate bytes, then one final byte (ESC ( 0 selects a character set).
                    while let u = scalars.next(), (0x20...0x2F).contains(u.value) {}
                default: break // ESC and one character (ESC 7, ESC c, …)
                }
            case 0x9B: skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F: skipControlString(&scalars)
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029: out.append(" ")
            default:
                if !needsCleaning(u) { out.append(u) }
            }
        }
        return String(out)
    }

    /// Whether `u` is a control character, DEL, a line or paragraph separator, or a bidirectional control.
    static func needsCleaning(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// Skips the rest of a CSI sequence: parameter and intermediate bytes up to a final byte (0x40–0x7E).
    /// A character outside the sequence's range ends it too (and is dropped with it).
    private static func skipControlSequence(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let u = scalars.next() {
            if !(0x20...0x3F).contains(u.value) { return }
        }
    }

    /// Skips the rest of a control string (OSC, DCS, SOS, PM, APC) up to BEL, ESC \ or ST (0x9C).
    private static func skipControlString(_ scalars: inout String.UnicodeScalarView.Iterator) {
        while let u = scalars.next() {
            switch u.value {
            case 0x07, 0x9C: return
            case 0x1B:
                _ = scalars.next()
                return
            default: continue
            }
        }
    }
}
