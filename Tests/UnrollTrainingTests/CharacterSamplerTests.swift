import Foundation
import Testing
import UnrollEngine

@testable import UnrollTraining

/// A small untrained character model over five symbols, its weights drawn from a seed.
private func smallSampler(cell: CellKind) -> CharacterSampler<Double> {
    let alphabet: [Character] = [" ", "a", "b", "c", "d"]
    let spec = ModelSpec(
        architecture: Architecture(cell: cell, hiddenSizes: [6]), inputSize: alphabet.count, outputSize: alphabet.count)
    return CharacterSampler(model: Model(spec: spec, seed: 7), alphabet: alphabet)
}

@Test("Sampling is the same for the same seed", arguments: [CellKind.rnn, .lstm, .gru])
func samplesRepeat(cell: CellKind) throws {
    let s = smallSampler(cell: cell)
    #expect(s.problems.isEmpty)
    let one = try s.sample(prime: "ab", length: 40, temperature: 1, seed: 5)
    let two = try s.sample(prime: "ab", length: 40, temperature: 1, seed: 5)
    #expect(one == two && one.count == 40)
    #expect(one.allSatisfy(s.alphabet.contains))
}

@Test(
    "Temperature 0 writes the greedy continuation, each character the argmax of the probabilities of a full run over the text so far",
    arguments: [CellKind.rnn, .lstm, .gru])
func greedyIsArgmaxOfTrace(cell: CellKind) throws {
    let s = smallSampler(cell: cell)
    let written = Array(try s.sample(prime: "abca", length: 12, temperature: 0, seed: 1))
    try #require(written.count == 12)
    let index = Dictionary(uniqueKeysWithValues: s.alphabet.enumerated().map { ($1, $0) })
    var text = Array("abca")
    for ch in written {
        // Independently: one whole run of the engine over the text so far, from zero state.
        let inputs = text.map { c -> Matrix<Double> in
            var x = Matrix<Double>(rows: 1, cols: s.alphabet.count)
            x[0, index[c] ?? 0] = 1
            return x
        }
        let sample = Sample(inputs: inputs, targets: .classes(Array(repeating: [0], count: text.count)))
        let trace = try Engine.run(
            model: s.model, sample: sample, options: RunOptions(loss: .crossEntropy, lossSteps: .all))
        let p = try #require(trace.probabilities.last ?? nil)
        let row = (0..<p.cols).map { p[0, $0] }
        let chosen = try #require(index[ch])
        let best = try #require(row.max())
        #expect(row[chosen] >= best - 1e-9, "\(String(text)) → \(ch): \(row)")
        text.append(ch)
    }
}

@Test("A draw at temperature 1 follows the softmax; at 0.5 it sharpens; at 0 it is the argmax")
func drawFollowsSoftmax() {
    var g = SeededGenerator(seed: 11)
    let logits = [0, log(3.0)]
    let n = 20_000
    var ones = 0
    for _ in 0..<n { ones += CharacterSampler<Double>.draw(logits, temperature: 1, generator: &g) }
    #expect(abs(Double(ones) / Double(n) - 0.75) < 0.02)
    ones = 0
    // At T = 0.5 the odds are squared: 9 to 1.
    for _ in 0..<n { ones += CharacterSampler<Double>.draw(logits, temperature: 0.5, generator: &g) }
    #expect(abs(Double(ones) / Double(n) - 0.9) < 0.02)
    #expect(CharacterSampler<Double>.draw([0.2, 1.5, -3], temperature: 0, generator: &g) == 1)
}

@Test("A prime with characters outside the vocabulary, or a model of another size, is refused")
func samplerRefuses() {
    let s = smallSampler(cell: .gru)
    #expect(s.unknownCharacters(in: "abxay") == ["x", "y"])
    #expect(throws: TrainingError.self) { try s.sample(prime: "xyz", length: 3, temperature: 1, seed: 1) }
    let wrong = CharacterSampler(model: s.model, alphabet: ["a", "b"])
    #expect(!wrong.problems.isEmpty)
}
