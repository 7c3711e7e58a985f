import Foundation
import UnrollEngine

/// Generates text from a character model, one character at a time: it reads the prime, then
/// feeds each character it draws back in, carrying the hidden (and cell) state from step to step.
///
/// A draw takes the softmax of the logits divided by the temperature and picks with one uniform
/// number of the seeded generator; a temperature of 0 (or below 1e-6) takes the most likely
/// character (the greedy argmax, ties to the lower class). The same model, prime, length,
/// temperature and seed give the same text.
public struct CharacterSampler<T: EngineScalar>: Sendable {
    /// The model (one-hot input and class output of `alphabet.count`, many-to-many).
    public let model: Model<T>
    /// The characters of the classes.
    public let alphabet: [Character]

    /// The longest sample: 100 000 characters.
    public static var lengthLimit: Int { 100_000 }

    /// A sampler of `model` over `alphabet`.
    public init(model: Model<T>, alphabet: [Character]) {
        self.model = model
        self.alphabet = alphabet
    }

    /// Every reason the model cannot sample over the alphabet; empty when it can.
    public var problems: [String] {
        model.spec.inputSize == alphabet.count && model.spec.outputSize == alphabet.count
            && model.spec.configuration == .manyToMany && !model.spec.architecture.bidirectional
            ? []
            : [
                "the model does not read and write the \(alphabet.count) characters of the vocabulary one step at a time"
            ]
    }

    /// The characters of `prime` the alphabet lacks (each once, in order).
    public func unknownCharacters(in prime: String) -> [Character] {
        var seen = Set<Character>(), out: [Character] = []
        for c in prime where !alphabet.contains(c) && seen.insert(c).inserted { out.append(c) }
        return out
    }

    /// `length` characters drawn after `prime` (an empty prime starts from a space, or the first class).
    /// - Throws: `TrainingError` on `problems`, an unknown prime character or a length out of range;
    ///   `EngineError` from the engine.
    /// - Complexity: one forward step of batch 1 per character read or drawn (no backward sweep).
    public func sample(prime: String, length: Int, temperature: Double, seed: UInt64) throws -> String {
        var problems = problems
        let unknown = unknownCharacters(in: prime)
        if !unknown.isEmpty {
            problems.append("the prime has characters the text never had: \(String(unknown).debugDescription)")
        }
        if !(0...Self.lengthLimit).contains(length) {
            problems.append("the length must be from 0 to \(Self.lengthLimit), found \(length)")
        }
        if !(temperature >= 0 && temperature <= 100) {
            problems.append("the temperature must be from 0 to 100, found \(temperature)")
        }
        guard problems.isEmpty else { throw TrainingError(problems: problems) }
        let index = Dictionary(alphabet.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var read = prime.compactMap { index[$0] }
        if read.isEmpty { read = [index[" "] ?? 0] }
        var generator = SeededGenerator(seed: seed)
        var state: [String: CarriedState<T>] = [:]
        var logits: [Double] = []
        for c in read { logits = try step(c, &state) }
        var out = ""
        for k in 0..<length {
            let c = Self.draw(logits, temperature: temperature, generator: &generator)
            out.append(alphabet[c])
            if k + 1 < length { logits = try step(c, &state) }
        }
        return out
    }

    /// The logits after reading class `c` from `state`, which becomes the state after it.
    public func step(_ c: Int, _ state: inout [String: CarriedState<T>]) throws -> [Double] {
        var x = Matrix<T>(rows: 1, cols: alphabet.count)
        x[0, c] = 1
        let one = Sample(inputs: [x], targets: .classes([[0]])).chunk(0..<1, carrying: state)
        let r = try Engine.forwardOutputs(
            model: model, sample: one, options: RunOptions(loss: .crossEntropy, lossSteps: .all))
        state = r.carried
        guard let y = r.outputs.first ?? nil else { throw TrainingError(problems: ["the model wrote no output"]) }
        return (0..<y.cols).map { Double(y[0, $0]) }
    }

    /// A class drawn from softmax(`logits` / `temperature`) with one uniform number; the argmax below 1e-6.
    public static func draw(_ logits: [Double], temperature: Double, generator: inout SeededGenerator) -> Int {
        let best = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) } ?? 0
        guard temperature >= 1e-6 else { return best }
        let top = logits[best]
        let weights = logits.map { Foundation.exp(($0 - top) / temperature) }
        var u = generator.unit() * weights.reduce(0, +)
        for (i, w) in weights.enumerated() {
            u -= w
            if u < 0 { return i }
        }
        return best
    }
}
