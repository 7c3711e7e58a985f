import Foundation
import Testing

/// Bad input through the binary: corpus files and models over the memory limit.
@Suite("Bad input, through the binary")
struct BadInputTests {
    let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    @Test(
        "A sample of the malformed-scenario corpus: exit 2, file:line:column on stderr, never a trap, via check and open"
    )
    func corpusSample() throws {
        let corpus = examples.deletingLastPathComponent().appendingPathComponent("Tests/Corpus/scenarios")
        let sample = [
            "yaml-tab-indent", "utf8-latin1-byte", "nesting-flow-lists", "alias-bomb-merge-keys",
            "range-hidden-size-huge",
            "nonfinite-std-nan", "empty", "type-title-list", "control-escape-raw", "unknown-model-typo",
            "range-tokens-10001"
        ]
        for name in sample {
            let path = corpus.appendingPathComponent(name + ".yaml").path
            for command in ["check", "open"] {
                let r = try run([unrollBinary, command, path])
                #expect(r.status == 2, "\(command) \(name)")
                // Every line is `path:LINE:COLUMN: message`, or the closing `path: and N more problems`.
                let located = r.err.split(separator: "\n").allSatisfy { line in
                    let position = line.dropFirst(path.count + 1).prefix { $0 != " " }
                    return line.hasPrefix(path + ":")
                        && (position.filter { $0 == ":" }.count == 2
                            && position.allSatisfy { $0.isNumber || $0 == ":" } || line.hasPrefix(path + ": and "))
                }
                #expect(!r.err.isEmpty && located, "\(command) \(name): \(r.err)")
                #expect(!r.err.contains("Fatal error") && r.out.isEmpty)
            }
        }
    }

    @Test(
        "unroll train --text refuses hostile texts with the file and the reason, exit 2",
        arguments: [
            ("Tests/Corpus/texts/escape-sequence.txt", "an escape sequence (ESC, U+001B)"),
            ("Tests/Corpus/texts/rtl-override.txt", "a bidirectional control (U+202E)"),
            ("Tests/Corpus/texts/binary-png.bin", "a binary file, not text"),
            ("Tests/Corpus/texts/utf8-latin1-byte.txt", "bytes that are not UTF-8 text"),
            ("Tests/Corpus/texts/empty.txt", "is empty (0 bytes)"),
            ("Tests/Corpus/texts/one-character.txt", "has 1 character once whitespace is folded"),
            ("/dev/zero", "is larger than 10 MB (10000000 bytes)"),
            ("Tests/Corpus/texts/nosuchfile.txt", "no such text file")
        ])
    func hostileText(file: String, reason: String) throws {
        let root = examples.deletingLastPathComponent().path
        let path = file.hasPrefix("/") ? file : root + "/" + file
        let r = try run([unrollBinary, "train", "--text", path, "--iterations", "1"])
        #expect(r.status == 2, "\(file): \(r.err)")
        #expect(r.err.contains(path) && r.err.contains(reason), "\(file): \(r.err)")
        #expect(!r.err.contains("\u{1B}") && !r.err.contains("\u{202E}") && !r.err.contains("Fatal error"))
    }

    @Test("A model over the memory limit is refused before it is built, with the estimate, by every command")
    func memoryLimit() throws {
        let big = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-big-\(getpid()).yaml")
        let words = (0..<10_000).map { "w\($0 % 100)" }.joined(separator: " ")
        try
            "title: big\nname: big\nmodel: {cell: lstm, hidden_size: 4096, num_layers: 16}\ninput:\n  tokens: \(words)\n"
            .write(to: big, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: big) }
        for command in [["check"], ["trace"], ["open"]] {
            let r = try run([unrollBinary] + command + [big.path])
            #expect(r.status == 2, "\(command)")
            #expect(
                r.err.contains("lesson 'big' would need about ")
                    && r.err.contains("more than the memory limit of 2 GiB"), "\(r.err)")
        }
        let train = try run([unrollBinary, "train", "train-year", "--memory-limit", "10MiB"])
        #expect(
            train.status == 2 && train.err.contains("lesson 'train-year' would need about ") && train.out.isEmpty,
            "\(train.err)")
        let lesson = try run([unrollBinary, "lesson", "memory", "--memory-limit", "16KiB"])
        #expect(lesson.status == 2 && lesson.err.contains("more than the memory limit of 16 KiB"), "\(lesson.err)")
        let env = try run([unrollBinary, "trace", "memory"], environment: ["UNROLL_MEMORY_LIMIT": "16k"])
        #expect(env.status == 2 && env.err.contains("more than the memory limit of 16 KiB"))
        let raised = try run(
            [unrollBinary, "trace", "memory", "--memory-limit", "1GiB"], environment: ["UNROLL_MEMORY_LIMIT": "16k"])
        #expect(raised.status == 0)
        let bad = try run([unrollBinary, "check", big.path, "--memory-limit", "lots"])
        #expect(bad.status != 0 && bad.err.contains("--memory-limit: 'lots' is not a memory size"))
    }
}
