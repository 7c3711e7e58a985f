extension SafetensorsFile {
    /// The first name given twice among the top-level keys of a JSON object, compared as written
    /// (escapes undecoded); nil when none is, or when `json` is not an object this scan can follow.
    ///
    /// JSON decoders keep one of two equal keys silently; a safetensors header naming a tensor
    /// twice is refused instead, since which of the two was meant cannot be known.
    /// - Complexity: O(n), never traps whatever the bytes.
    static func duplicateKey<C: Collection<UInt8>>(in json: C) -> String? where C.Index == Int {
        var i = json.startIndex
        let end = json.endIndex
        func skipSpace() { while i < end, [0x20, 0x09, 0x0A, 0x0D].contains(json[i]) { i += 1 } }
        /// Reads a string starting at its opening quote; returns its raw bytes.
        func string() -> ArraySlice<UInt8>? {
            guard i < end, json[i] == UInt8(ascii: "\"") else { return nil }
            let start = i + 1
            i += 1
            while i < end {
                if json[i] == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if json[i] == UInt8(ascii: "\"") {
                    defer { i += 1 }
                    return ArraySlice(json[start..<i])
                }
                i += 1
            }
            return nil
        }
        /// Skips one value (any nesting), stopping at the `,` or `}` after it at depth 0.
        func skipValue() -> Bool {
            var depth = 0
            while i < end {
                switch json[i] {
                case UInt8(ascii: "\""):
                    guard string() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    if depth == 0 { return true }
                    depth -= 1
                case UInt8(ascii: ","): if depth == 0 { return true }
                default: break
                }
                i += 1
            }
            return false
        }
        skipSpace()
        guard i < end, json[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        var seen: Set<ArraySlice<UInt8>> = []
        while true {
            skipSpace()
            guard let key = string() else { return nil }
            if !seen.insert(key).inserted { return String(decoding: key, as: UTF8.self) }
            skipSpace()
            guard i < end, json[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            guard skipValue(), i < end else { return nil }
            if json[i] == UInt8(ascii: "}") { return nil }
            i += 1
        }
    }
}
