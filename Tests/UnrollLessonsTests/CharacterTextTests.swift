import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

/// Tests/Corpus/texts: texts to train on, hostile ones refused with the file and the reason.
let textCorpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Corpus/texts")

/// The line of the corpus texts that precedes the hostile part (as scripts wrote it into Tests/Corpus/texts).
private let goodLine =
    "It was the best of times, it was the worst of times, it was the age of wisdom, "
    + "it was the age of foolishness, it was the epoch of belief, it was the epoch of incredulity, "
    + "it was the season of Light, it was the season of Darkness.\n"

@Test(
    "Each hostile text is refused with its file, position and reason",
    arguments: [
        ("empty.txt", 0, 0, "is empty (0 bytes); a text to train on needs at least 200 characters"),
        ("one-character.txt", 0, 0, "has 1 character once whitespace is folded; a text to train on needs at least 200 characters"),
        ("short.txt", 0, 0, "has 40 characters once whitespace is folded; a text to train on needs at least 200 characters"),
        ("one-symbol.txt", 0, 0, "has only one distinct character; there is nothing to predict"),
        ("binary-png.bin", 1, 1, "holds a NUL byte (byte 9): a binary file, not text"),
        ("utf8-latin1-byte.txt", 2, 4, "bytes that are not UTF-8 text; save the file as UTF-8"),
        (
            "escape-sequence.txt", 2, 7,
            "an escape sequence (ESC, U+001B): a text to train on holds no terminal controls; remove them"
        ),
        ("osc-title.txt", 1, 1, "an escape sequence (ESC, U+001B): a text to train on holds no terminal controls; remove them"),
        (
            "rtl-override.txt", 2, 5,
            "a bidirectional control (U+202E), which can make text read in another order: a text to train on holds no terminal controls; remove them"
        ),
        ("bell.txt", 2, 5, "a control character (U+0007): a text to train on holds no terminal controls; remove them"),
        (
            "line-separator.txt", 2, 4,
            "a line separator (U+2028): a text to train on holds no terminal controls; remove them"
        ),
        ("zalgo.txt", 2, 1, "a character built of 41 Unicode scalars (more than 16): stacked combining marks are refused")
    ])
func hostileText(file: String, line: Int, column: Int, message: String) throws {
    let path = textCorpus.appendingPathComponent(file).path
    #expect(FileManager.default.fileExists(atPath: path))
    do {
        _ = try CharacterText.read(path)
        Issue.record("\(file) was accepted")
    } catch {
        #expect(error.path == path)
        #expect(error.line == line && error.column == column, "\(error)")
        #expect(error.message == message, "\(error)")
        #expect(error.description.contains(file))
    }
}

@Test("/dev/zero and a sparse 2 GB file are refused after reading the limit and one byte")
func hugeText() throws {
    for path in ["/dev/zero", try sparseFile(bytes: 2 << 30)] {
        do {
            _ = try CharacterText.read(path)
            Issue.record("\(path) was accepted")
        } catch {
            #expect(
                error.message
                    == "is larger than 10 MB (10000000 bytes), the limit of a text to train on; only that much is read",
                "\(error)")
        }
    }
}

/// A sparse file of `bytes` bytes in the temporary folder (removed at exit of the test process's folder clean-up).
private func sparseFile(bytes: UInt64) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("unroll-sparse-\(getpid()).txt").path
    #expect(FileManager.default.createFile(atPath: path, contents: nil))
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: bytes)
    try handle.close()
    return path
}

@Test("A text's vocabulary is its characters; past 256 symbols the rarest become one unknown symbol, counted")
func vocabularyCap() throws {
    let fine = try CharacterText.read(textCorpus.appendingPathComponent("fine.txt").path)
    let three = goodLine + goodLine + goodLine
    // Folding by hand: words joined by single spaces, and the final line break as one space.
    #expect(fine.classes.count == three.split(whereSeparator: \.isWhitespace).joined(separator: " ").count + 1)
    #expect(fine.alphabet == Set(three.map { $0.isWhitespace ? " " : $0 }).sorted())
    #expect(fine.unknownCharacters == 0 && fine.heldOutCount == fine.classes.count / 10)

    let many = try CharacterText.read(textCorpus.appendingPathComponent("many-symbols.txt").path)
    let common = Set(goodLine.map { $0.isWhitespace ? " " : $0 })
    // 300 rare characters once each; the common ones occur at least three times and are all kept.
    #expect(many.alphabet.count == 256 && many.alphabet.last == CharacterCorpus.unknown)
    #expect(common.allSatisfy(many.alphabet.contains))
    #expect(many.unknownCharacters == common.count + 300 - 255)
    #expect(many.unknownOccurrences == many.unknownCharacters)
    #expect(many.vocabularyDescription.contains("the \(many.unknownCharacters) rarest characters"))
}

@Test("Training windows come from the first 90 % of the text, held-out windows from the last 10 %")
func heldOutWindows() throws {
    // 900 characters of a and b, then 100 of x and y: the held-out tenth is exactly the x and y.
    let corpus = CharacterCorpus(
        String(repeating: "ab", count: 450) + String(repeating: "xy", count: 50), lowercased: false, source: "t.txt")
    #expect(corpus.heldOutCount == 100 && corpus.trainingCount == 900)
    var task = TrainingTask(kind: .characters, length: 30)
    task.text = corpus
    #expect(task.problems.isEmpty && task.lengthRange == 1...99)
    #expect(task.inputSize == 4 && task.classNames == ["a", "b", "x", "y"])
    func read(_ s: Sample<Double>) throws -> Set<Int> {
        guard case .classes(let c) = s.targets else { throw CancellationError() }
        var seen = Set(c.flatMap { $0 })
        for m in s.inputs {
            for b in 0..<m.rows { seen.insert(try #require((0..<m.cols).first { m[b, $0] == 1 })) }
        }
        return seen
    }
    var g = SeededGenerator(seed: 3)
    #expect(try read(task.batch(size: 64, generator: &g)) == [0, 1])
    #expect(try read(task.batch(size: 64, generator: &g, heldOut: true)) == [2, 3])
    // The unigram baseline of this text: 0.45, 0.45, 0.05, 0.05.
    let h = -(2 * 0.45 * log(0.45) + 2 * 0.05 * log(0.05))
    #expect(abs(task.baselineLoss - h) < 1e-12)
    task.length = 100
    #expect(!task.problems.isEmpty)
}

@Test("A scenario trains on `text: FILE` beside it; the YAML it writes names the text; other tasks refuse it")
func scenarioText() throws {
    let scenario = textCorpus.appendingPathComponent("s.yaml").path
    let lesson = try Lesson(
        scenario: "title: t\nmodel: {cell: gru, hidden_size: 8}\ntraining: {task: characters, text: fine.txt, length: 20}\n",
        path: scenario)
    let task = try #require(lesson.training?.task)
    #expect(task.text?.source == textCorpus.appendingPathComponent("fine.txt").path)
    #expect(task.title == "Characters (fine.txt), T = 20")
    #expect(lesson.scenarioYAML.contains("  text: \"\(textCorpus.appendingPathComponent("fine.txt").path)\""))
    let again = try Lesson(scenario: lesson.scenarioYAML, path: scenario)
    #expect(again.training == lesson.training)

    #expect(throws: ScenarioError.self) {
        try Lesson(scenario: "title: t\ntraining: {task: adding, text: fine.txt}\n", path: scenario)
    }
    do {
        _ = try Lesson(scenario: "title: t\ntraining: {task: characters, text: rtl-override.txt}\n", path: scenario)
        Issue.record("a text with a bidirectional override was accepted")
    } catch {
        #expect(error.line == 2 && error.message.hasPrefix("training.text: "), "\(error)")
        #expect(error.message.contains("rtl-override.txt:2:5") || error.message.contains("a bidirectional control"))
    }
    // Longer windows than the held-out tenth allows are refused at the key.
    #expect(throws: ScenarioError.self) {
        try Lesson(scenario: "title: t\ntraining: {task: characters, text: fine.txt, length: 70}\n", path: scenario)
    }
}

@Test("The scenario `unroll train --text` writes loads, trains a few iterations and measures held-out loss")
func textScenarioTrains() throws {
    let yaml = CharacterText.scenario(
        text: textCorpus.appendingPathComponent("fine.txt").path, cell: .gru, hidden: 8)
    var lesson = try Lesson(scenario: yaml, path: "/nonexistent/fine.yaml")
    #expect(lesson.cell == .gru && lesson.hiddenSizes == [8])
    lesson.training?.task.length = 20
    lesson.training?.settings.batchSize = 4
    var trainer: Trainer<Double> = try #require(lesson.trainer())
    for _ in 0..<3 { try trainer.step() }
    let heldOut = try trainer.evaluate(batches: 2)
    #expect(heldOut.loss.isFinite && heldOut.loss > 0)
}
