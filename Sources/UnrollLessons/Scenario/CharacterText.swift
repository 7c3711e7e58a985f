import Foundation
import UnrollEngine
import UnrollTraining

/// Reads a text of one's own for the characters task, refusing what cannot be one.
///
/// Limits: at most `byteLimit` bytes (10 MB; no more than `byteLimit + 1` bytes are ever read, so
/// `/dev/zero` or a 2 GB file costs 10 MB), at least `minimumCharacters` characters once whitespace
/// is folded, UTF-8 without NUL bytes, no control character but tab and line breaks (no escape
/// sequence, no bidirectional control: the characters end up on screen), no character built of more
/// than `clusterLimit` Unicode scalars. A byte-order mark at the start is dropped.
public enum CharacterText {
    /// The largest text read: 10 MB.
    public static let byteLimit = 10_000_000
    /// The shortest text trained on, in characters after folding whitespace (its last tenth is held out).
    public static let minimumCharacters = 200
    /// The most Unicode scalars one character (grapheme cluster) may be built of.
    public static let clusterLimit = 16

    /// The corpus of the text file at `path`.
    /// - Throws: `ScenarioError` naming the file and the reason it is refused.
    /// - Complexity: reads at most `byteLimit + 1` bytes.
    public static func read(_ path: String) throws(ScenarioError) -> CharacterCorpus {
        let data = try ScenarioFile.bytes(
            at: path, limit: byteLimit, missing: "no such text file", directory: "is a directory, not a text file")
        return try corpus(of: data, path: path)
    }

    /// The corpus of a text file's bytes (at most `byteLimit + 1` of them need be given).
    /// - Throws: `ScenarioError` naming `path` and the reason the bytes are refused.
    public static func corpus(of data: Data, path: String) throws(ScenarioError) -> CharacterCorpus {
        let need = "a text to train on needs at least \(minimumCharacters) characters"
        if data.isEmpty { throw ScenarioError(path: path, message: "is empty (0 bytes); \(need)") }
        if data.count > byteLimit {
            throw ScenarioError(
                path: path,
                message: "is larger than 10 MB (\(byteLimit) bytes), the limit of a text to train on; only that much is read")
        }
        if let nul = data.firstIndex(of: 0) {
            let (line, column) = ScenarioFile.position(after: data.prefix(nul - data.startIndex))
            throw ScenarioError(
                path: path, line: line, column: column,
                message: "holds a NUL byte (byte \(nul - data.startIndex + 1)): a binary file, not text")
        }
        guard var text = String(data: data, encoding: .utf8) else {
            let (line, column) = ScenarioFile.position(after: data)
            throw ScenarioError(
                path: path, line: line, column: column,
                message: "bytes that are not UTF-8 text; save the file as UTF-8")
        }
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        var line = 1, column = 1
        for ch in text {
            let scalars = ch.unicodeScalars
            if scalars.count > clusterLimit {
                throw ScenarioError(
                    path: path, line: line, column: column,
                    message: "a character built of \(scalars.count) Unicode scalars (more than \(clusterLimit)): "
                        + "stacked combining marks are refused")
            }
            if let what = scalars.lazy.compactMap(forbidden).first {
                throw ScenarioError(
                    path: path, line: line, column: column,
                    message: "\(what): a text to train on holds no terminal controls; remove them")
            }
            if ch == "\n" || ch == "\r\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        let corpus = CharacterCorpus(text, lowercased: false, source: path)
        guard corpus.classes.count >= minimumCharacters else {
            throw ScenarioError(
                path: path,
                message: "has \(corpus.classes.count) character\(corpus.classes.count == 1 ? "" : "s") "
                    + "once whitespace is folded; \(need)")
        }
        guard corpus.alphabet.count >= 2 else {
            throw ScenarioError(path: path, message: "has only one distinct character; there is nothing to predict")
        }
        return corpus
    }

    /// What `u` is when a text may not hold it (an escape, a bidirectional control, a Unicode line or paragraph
    /// separator, another control character but tab and line breaks), or nil: the characters end up on screen.
    static func forbidden(_ u: Unicode.Scalar) -> String? {
        guard ScenarioText.needsCleaning(u), !"\t\n\r\u{0B}\u{0C}".unicodeScalars.contains(u) else { return nil }
        let hex = String(u.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        switch u.value {
        case 0x1B: return "an escape sequence (ESC, \(code))"
        case 0x2028: return "a line separator (\(code))"
        case 0x2029: return "a paragraph separator (\(code))"
        case 0x200...: return "a bidirectional control (\(code)), which can make text read in another order"
        default: return "a control character (\(code))"
        }
    }

    /// The most UTF-8 bytes a step-through text may have before its characters are looked at: 4096.
    public static let promptByteLimit = 4096

    /// The classes of a text a character model steps through (`unroll open … --text`, `training.step_through`),
    /// over `alphabet`: whitespace folded to single spaces as the training text was, at most
    /// `TrainingTask.promptLimit` characters (and `promptByteLimit` bytes), at least 2, no terminal control
    /// (escape, bidirectional control, other control characters), no character of more than `clusterLimit` scalars.
    /// A character outside the alphabet becomes its unknown symbol when it has one (counted in `unknown`), else
    /// is refused.
    /// - Parameter name: what gave the text, leading every message (`--text`).
    /// - Throws: ``PromptError`` saying why the text is refused.
    /// - Complexity: O(n) in the text, after a check of its byte count.
    public static func prompt(
        _ text: String, alphabet: [Character], name: String
    ) throws(PromptError) -> (classes: [UInt8], unknown: Int) {
        let limit = TrainingTask.promptLimit
        func refuse(_ why: String) -> PromptError { PromptError(message: "\(name): \(why)") }
        guard text.utf8.count <= promptByteLimit else {
            throw refuse("is \(text.utf8.count) bytes long; a text to step through has at most \(limit) characters (\(promptByteLimit) bytes)")
        }
        var folded: [Character] = []
        for ch in text {
            if ch.unicodeScalars.count > clusterLimit {
                throw refuse("character \(folded.count + 1) is built of \(ch.unicodeScalars.count) Unicode scalars (more than \(clusterLimit))")
            }
            if let what = ch.unicodeScalars.lazy.compactMap(forbidden).first {
                throw refuse("character \(folded.count + 1) is \(what); a text to step through holds no terminal controls")
            }
            let c: Character = ch.isWhitespace ? " " : ch
            if c == " ", folded.last == " " { continue }
            folded.append(c)
        }
        guard folded.count >= 2 else {
            throw refuse("has \(folded.count) character\(folded.count == 1 ? "" : "s"); a text to step through has at least 2 (each is read, then predicted)")
        }
        guard folded.count <= limit else {
            throw refuse("has \(folded.count) characters; a text to step through has at most \(limit)")
        }
        let index = Dictionary(alphabet.enumerated().map { ($1, UInt8($0)) }, uniquingKeysWith: { a, _ in a })
        let unknownClass = alphabet.last == CharacterCorpus.unknown ? UInt8(alphabet.count - 1) : nil
        var classes: [UInt8] = [], unknown = 0
        for (i, c) in folded.enumerated() {
            if let k = index[c] {
                classes.append(k)
            } else if let unknownClass {
                classes.append(unknownClass)
                unknown += 1
            } else {
                let shown = alphabet.map { $0 == " " ? "␣" : String($0) }.joined()
                throw refuse(
                    "'\(ScenarioText.clean(String(c)))' (character \(i + 1)) is not in the model's vocabulary, the "
                        + "\(alphabet.count) characters of the text it was trained on: \(ScenarioText.clean(shown))")
            }
        }
        return (classes, unknown)
    }

    /// The scenario `unroll train --text FILE` trains: a character model on the file, at `path`, with `cell` and `hidden` units.
    public static func scenario(text path: String, cell: CellKind, hidden: Int) -> String {
        let name = Lesson.scenarioName(fromPath: path)
        return """
            # Unroll scenario written by `unroll train --text`. Every key: docs/scenarios.md
            name: \(yamlQuoted(name.isEmpty ? "text" : name))
            title: \(yamlQuoted("Training a character-level \(cell.rawValue.uppercased()) on \(name)"))
            summary: "next-character prediction on a text of one's own, against its unigram baseline"

            model:
              cell: \(cell.rawValue)
              hidden_size: \(hidden)

            init:
              seed: 1
              scheme: uniform

            training:
              task: characters
              text: \(yamlQuoted(path))
              length: 50
              optimizer: adam
              learning_rate: 0.005
              clipping: {norm: 5.0}
              batch_size: 16
              iterations: 2000
              seed: 1

            """
    }

}

/// A step-through text refused (``CharacterText/prompt(_:alphabet:name:)``), the message naming where it came from.
public struct PromptError: Error, Equatable, CustomStringConvertible {
    /// Why, led by the flag or key that gave the text.
    public var message: String
    /// The message.
    public var description: String { message }
}
