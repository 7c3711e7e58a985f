import Foundation
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

/// libFuzzer entry point: the input is a text file's bytes (`unroll train --text FILE`, `training.text`).
///
/// It goes through the steps a text to train on takes: the byte checks and the vocabulary of
/// `CharacterText.corpus(of:path:)` (size, NUL, UTF-8, terminal controls, stacked marks, at least 200
/// characters, the 256-symbol cap with its unknown symbol); a text that reads must then keep the corpus's
/// invariants, draw training and held-out windows (a task of a length taken from the first byte), give a finite
/// unigram baseline, and show on screen cleaned. The same bytes, cut to the step-through's limit, are also read
/// as a typed text over the corpus's vocabulary (`CharacterText.prompt`, what `o` and `--text "…"` read).
/// Any trap, crash or sanitizer report is a bug; a thrown `ScenarioError` or `PromptError` is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzText(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let data = Data(bytes: bytes, count: count)
    guard let corpus = try? CharacterText.corpus(of: data, path: "fuzz.txt") else { return 0 }
    let n = corpus.alphabet.count
    guard n >= 2, n <= CharacterCorpus.vocabularyLimit + 1, corpus.classes.allSatisfy({ Int($0) < n }),
        corpus.classes.count >= CharacterText.minimumCharacters,
        corpus.trainingCount + corpus.heldOutCount == corpus.classes.count,
        Set(corpus.alphabet).count == n
    else {
        fatalError("a text that reads broke the corpus's invariants (\(n) symbols, \(corpus.classes.count) classes)")
    }
    let entropy = corpus.unigramEntropy
    guard entropy.isFinite, entropy >= 0, abs(corpus.frequencies.reduce(0, +) - 1) < 1e-9 else {
        fatalError("the unigram baseline of a text that reads is \(entropy)")
    }
    // What reaches the screen (the vocabulary, the samples): no symbol holds a control, a separator or a
    // bidirectional control, which scenario text's cleaning would have to remove.
    if let bad = corpus.alphabet.lazy.flatMap(\.unicodeScalars).first(where: ScenarioText.needsCleaning) {
        fatalError("a text that reads has U+\(String(bad.value, radix: 16)) in its vocabulary")
    }
    var task = TrainingTask(kind: .characters, length: 1 + Int(data.first ?? 0) % 64)
    task.text = corpus
    if task.problems.isEmpty {
        var g = SeededGenerator(seed: UInt64(count))
        for held in [false, true] {
            let s: Sample<Float> = task.batch(size: 2, generator: &g, heldOut: held)
            if s.inputs.count != task.steps { fatalError("a batch of \(s.inputs.count) steps, not \(task.steps)") }
        }
    }
    let typed = String(decoding: data.prefix(CharacterText.promptByteLimit + 1), as: UTF8.self)
    if let read = try? CharacterText.prompt(typed, alphabet: corpus.alphabet, name: "--text") {
        if !task.reading(read.classes).problems.isEmpty { fatalError("a typed text that reads does not fit the task") }
    }
    return 0
}
