import Foundation
import UnrollEngine

extension TrainingTask {
    /// The example a trainer shows unrolled (batch of one): the text of `prompt` when the task has one (step t reads
    /// character t, its target character t + 1), else a batch of one drawn from `generator`.
    /// - Precondition: `problems` is empty.
    public func example<T: EngineScalar>(generator: inout SeededGenerator) -> Sample<T> {
        guard let prompt, kind == .characters, prompt.count >= 2 else { return batch(size: 1, generator: &generator) }
        let n = prompt.count - 1
        var inputs = (0..<n).map { _ in Matrix<T>(rows: 1, cols: inputSize) }
        for t in 0..<n { inputs[t][0, Int(prompt[t])] = 1 }
        return Sample(inputs: inputs, targets: .classes((1...n).map { [Int(prompt[$0])] }))
    }

    /// A fresh mini-batch of `size` sequences (the rows of every matrix), drawn from `generator`;
    /// `heldOut`, for a text of one's own, draws the windows from its held-out last tenth instead.
    /// - Precondition: `problems` is empty and `size ≥ 1`.
    /// - Complexity: O(size · steps · input size).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public func batch<T: EngineScalar>(
        size: Int, generator: inout SeededGenerator, heldOut: Bool = false
    ) -> Sample<T> {
        precondition(problems.isEmpty && size >= 1, "invalid task or batch size")
        let n = steps
        var inputs = (0..<n).map { _ in Matrix<T>(rows: size, cols: inputSize) }
        func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }
        switch kind {
        case .adding:
            // Channel 0: a value in [0, 1); channel 1: the marker, once in each half.
            var targets = Matrix<T>(rows: size, cols: 1)
            for b in 0..<size {
                for t in 0..<n { inputs[t][b, 0] = T(generator.unit()) }
                let half = n / 2
                let first = pick(half), second = half + pick(n - half)
                inputs[first][b, 1] = 1
                inputs[second][b, 1] = 1
                targets[b, 0] = inputs[first][b, 0] + inputs[second][b, 0]
            }
            return Sample(
                inputs: inputs,
                targets: .values(Array(repeating: Matrix(rows: size, cols: 1), count: n - 1) + [targets]))
        case .copyMemory:
            // Classes: 0 blank, 1…8 symbols, 9 the delimiter.
            var classes = Array(repeating: [Int](repeating: 0, count: size), count: n)
            for b in 0..<size {
                var symbols: [Int] = []
                for _ in 0..<10 { symbols.append(1 + pick(8)) }
                for t in 0..<n {
                    let c = t < 10 ? symbols[t] : (t == length + 9 ? 9 : 0)
                    inputs[t][b, c] = 1
                }
                for k in 0..<10 { classes[length + 10 + k][b] = symbols[k] }
            }
            return Sample(inputs: inputs, targets: .classes(classes))
        case .temporalOrder:
            // Symbols: a b c d (0–3) distractors, X Y (4, 5), B E (6, 7) at the ends.
            var classes = Array(repeating: [Int](repeating: 0, count: size), count: n)
            let first = max(1, n / 10)...max(1, 2 * n / 10)
            let second = max(first.upperBound + 1, n / 2)...max(first.upperBound + 1, 6 * n / 10)
            for b in 0..<size {
                let t1 = first.lowerBound + pick(first.count), t2 = min(n - 2, second.lowerBound + pick(second.count))
                let s1 = pick(2), s2 = pick(2)
                for t in 0..<n {
                    let c = t == 0 ? 6 : t == n - 1 ? 7 : t == t1 ? 4 + s1 : t == t2 ? 4 + s2 : pick(4)
                    inputs[t][b, c] = 1
                }
                classes[n - 1][b] = 2 * s1 + s2
            }
            return Sample(inputs: inputs, targets: .classes(classes))
        case .noisySine:
            var targets = (0..<n).map { _ in Matrix<T>(rows: size, cols: 1) }
            for b in 0..<size {
                let omega = generator.uniform(0.1, 0.5), phase = generator.uniform(0, 2 * Double.pi)
                var values: [Double] = []
                for t in 0...n { values.append(Foundation.sin(omega * Double(t) + phase) + noise * generator.normal()) }
                for t in 0..<n {
                    inputs[t][b, 0] = T(values[t])
                    targets[t][b, 0] = T(values[t + 1])
                }
            }
            return Sample(inputs: inputs, targets: .values(targets))
        case .yearExtraction:
            // The sentence right-aligned before four `?` steps, at which the four digits are answered.
            var classes = Array(repeating: [Int](repeating: 0, count: size), count: n)
            let start = n - YearSentences.digits
            for b in 0..<size {
                let year = YearSentences.years.lowerBound + pick(YearSentences.years.count)
                let text = Array(
                    YearSentences.sentence(
                        template: pick(YearSentences.templates.count),
                        place: pick(YearSentences.places.count), year: year))
                let pad = start - text.count
                for t in 0..<n {
                    let ch: Character = t < pad ? " " : t < start ? text[t - pad] : "?"
                    inputs[t][b, YearSentences.index[ch] ?? 0] = 1
                }
                for (k, ch) in String(year).enumerated() { classes[start + k][b] = Int(String(ch)) ?? 0 }
            }
            return Sample(inputs: inputs, targets: .classes(classes))
        case .characters:
            let corpus = corpus
            var classes = Array(repeating: [Int](repeating: 0, count: size), count: n)
            let held = heldOut && corpus.heldOutCount > n
            let first = held ? corpus.trainingCount : 0
            let count = held ? corpus.heldOutCount : corpus.trainingCount
            for b in 0..<size {
                let offset = first + pick(count - n)
                for t in 0..<n {
                    inputs[t][b, Int(corpus.classes[offset + t])] = 1
                    classes[t][b] = Int(corpus.classes[offset + t + 1])
                }
            }
            return Sample(inputs: inputs, targets: .classes(classes))
        }
    }

    /// The task's accuracy on `outputs` (as `Engine.gradients` returns them, per column) for
    /// `sample`; nil where accuracy has no meaning (noisy sine) or no output was written.
    public func accuracy<T: EngineScalar>(outputs: [Matrix<T>?], sample: Sample<T>) -> Double? {
        let scored: [Int]
        switch kind {
        case .noisySine: return nil
        case .adding, .temporalOrder: scored = [steps - 1]
        case .copyMemory: scored = Array((length + 10)..<(length + 20))
        case .yearExtraction: scored = Array((length - YearSentences.digits)..<length)
        case .characters: scored = Array(0..<steps)
        }
        var right = 0, total = 0
        for t in scored {
            guard t < outputs.count, let y = outputs[t] else { return nil }
            switch sample.targets {
            case .values(let v):
                guard t < v.count else { return nil }
                for b in 0..<y.rows {
                    total += 1
                    if abs(Double(y[b, 0]) - Double(v[t][b, 0])) < Self.addingTolerance { right += 1 }
                }
            case .classes(let c):
                guard t < c.count else { return nil }
                for b in 0..<y.rows {
                    total += 1
                    let row = y.row(b)
                    let best = row.indices.max { row[$0] < row[$1] } ?? 0
                    if best == c[t][b] { right += 1 }
                }
            }
        }
        return total == 0 ? nil : Double(right) / Double(total)
    }
}
