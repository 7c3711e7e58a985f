import Foundation
import Testing

/// `unroll open … --text "…"`: the step-through view on a trained character model reading a text of one's own.
@Suite("Step through a character model on a typed text")
struct StepThroughTextTests {
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    /// Weights of a small character LSTM trained for 3 iterations on the sonnets, in a folder removed afterwards.
    private func weights(_ body: (String) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-step-text-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let w = dir.appendingPathComponent("s.safetensors").path
        let r = try run([
            unrollBinary, "train", "--text", examples.appendingPathComponent("texts/sonnets.txt").path, "--hidden", "8",
            "--iterations", "3", "--save", w
        ])
        try #require(r.status == 0, "\(r.err)")
        try body(w)
    }

    @Test(
        "unroll open W.safetensors --text: the step-through reads the text, shows the top-k next characters and the unit line, with colour and with NO_COLOR",
        arguments: [false, true])
    func opensOnText(noColor: Bool) throws {
        try weights { w in
            let tmux = try Tmux(
                wrapped("open \(w) --text \"Shall I compare thee to a summer day\""), width: 100, height: 30,
                environment: noColor ? ["NO_COLOR": "1"] : [:])
            try tmux.wait(for: "unit line: h_t of unit")
            for _ in 0..<6 { try tmux.send("Right") }
            let screen = try tmux.wait(for: "step 7/35")
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // The top-k readout: three characters and their probabilities.
            let readout = try #require(lines.first { $0.contains("p(y_t): '") }, "\(screen)")
            #expect(readout.components(separatedBy: " · ").count == 3, "\(readout)")
            // The unit line: its heading, the text whole, and under it a shade for each of the 7 characters read.
            let heading = try #require(lines.firstIndex { $0.hasPrefix("unit line: h_t of unit ") }, "\(screen)")
            try #require(heading + 2 < lines.count)
            #expect(lines[heading + 1].hasPrefix("Shall I compare thee to a summer day"), "\(screen)")
            let shades = Array(lines[heading + 2])
            #expect(shades.count >= 7 && shades.prefix(7).allSatisfy { "=-·.+#".contains($0) }, "\(lines[heading + 2])")
            #expect(!shades.dropFirst(7).contains { "=-·.+#".contains($0) }, "only the characters read so far: \(lines[heading + 2])")
            // '.' chooses the next unit, the heading and the equations follow.
            let unit = lines[heading].dropFirst("unit line: h_t of unit ".count).prefix { $0.isNumber }
            let next = (Int(unit) ?? 0) % 8 + 1
            try tmux.send(".")
            try tmux.wait(for: "unit line: h_t of unit \(next) ")
            try tmux.send("q")
            let end = try tmux.wait(for: "EXIT-")
            #expect(end.contains("TERMINAL-RESTORED") && end.contains("EXIT-0"), "\(end)")
        }
    }

    @Test("unroll open --text refuses hostile or unfit texts and sources with the flag and the reason, exit 2, no control reaching the terminal")
    func refusals() throws {
        try weights { w in
            let cases: [([String], String)] = [
                ([w, "--text", "ab\u{1B}[2Jc"], "--text: character 3 is an escape sequence (ESC, U+001B)"),
                ([w, "--text", "ab\u{202E}cd"], "--text: character 3 is a bidirectional control (U+202E)"),
                ([w, "--text", String(repeating: "a", count: 100_000)], "--text: is 100000 bytes long; a text to step through has at most 200 characters"),
                ([w, "--text", String(repeating: "thee ", count: 41)], "--text: has 205 characters; a text to step through has at most 200"),
                ([w, "--text", "a"], "--text: has 1 character; a text to step through has at least 2"),
                ([w, "--text", "Shall §"], "--text: '§' (character 7) is not in the model's vocabulary, the "),
                (["lstm", "--text", "ab"], "--text: 'lstm' is not a character model"),
                (["train-chars", "--text", "ab"], "--text: 'train-chars' has no trained weights (weights:)"),
                ([w, "--text", "Shall", "--present"], "--text cannot be presented to a class")
            ]
            for (args, message) in cases {
                let r = try run([unrollBinary, "open"] + args)
                #expect(r.status == 2 && r.err.contains(message), "\(args.prefix(3).map { $0.prefix(40) }): \(r.err.prefix(300))")
                #expect(!r.err.contains("\u{1B}") && !r.err.contains("\u{202E}") && r.out.isEmpty)
            }
        }
    }
}
