/// A safetensors file that cannot be read, or whose tensors do not fit a model.
public struct SafetensorsError: Error, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    public var path: String
    /// What is wrong, naming the tensor and offset where there is one.
    public var message: String

    /// An error about `path`.
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    /// `path: message`, with control and bidirectional characters (which a tensor name in the file
    /// or the file's name can hold) written as `\u{1B}`, so printing it cannot drive the terminal.
    public var description: String { Self.escaped("\(path): \(message)") }

    /// `text` with C0 and C1 controls, DEL and bidirectional controls written as `\u{XX}`.
    static func escaped(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            let v = u.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x061C || v == 0x200E || v == 0x200F
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
