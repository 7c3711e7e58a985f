import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

// The claims table's rows for the bptt lesson's sum ∂L/∂W_hh = Σ_t δ_t h_{t-1}ᵀ and for seq2seq-free (greedy
// decoding against teacher forcing); merged into `claimTable` (ClaimsTests.swift). The sum's terms are computed
// here from the trace's states and ∂L/∂h_t (tanh' = 1 − h²), not read from the engine's record of them; the words
// are read off the logits by a plain scan, their probabilities by a softmax written here.

private let fwd = Phase.forward, bwd = Phase.backward
private func cap(_ p: Phase, _ s: Int) -> ClaimPlace { .caption(p, s) }
private func ans(_ n: Int) -> ClaimPlace { .answer(n) }

// MARK: - bptt

/// The terms δ_t h_{t-1}ᵀ (H × H, row-major) of the first layer's ∂L/∂W_hh at every step, by hand: δ_t = (1 − h_t²) ⊙
/// ∂L/∂h_t for a tanh layer, summed over the batch rows.
private func handTerms(_ t: Trace<Double>) -> [[Double]] {
    guard let layer = t.layers.first else { return [] }
    var previous = layer.initialHidden
    return layer.steps.indices.map { k in
        let h = layer.steps.hidden[k], g = layer.steps.hiddenGradient[k], n = h.cols
        var m = [Double](repeating: 0, count: n * n)
        for b in 0..<h.rows {
            for i in 0..<n {
                let delta = (1 - h[b, i] * h[b, i]) * g[b, i]
                for j in 0..<n { m[i * n + j] += delta * previous[b, j] }
            }
        }
        previous = h
        return m
    }
}

private func frobenius(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }

/// ‖δ_t h_{t-1}ᵀ‖ at 1-based `step`, by hand.
private func termNorm(_ f: ClaimFacts, _ step: Int) -> Double {
    let terms = handTerms(f.trace)
    return step >= 1 && step <= terms.count ? frobenius(terms[step - 1]) : .nan
}

/// ‖Σ_t δ_t h_{t-1}ᵀ‖ by hand, when the sum is the trace's ∂L/∂W_hh (to 1e-9 relative); NaN otherwise.
private func sumNorm(_ f: ClaimFacts) -> Double {
    let terms = handTerms(f.trace)
    guard let first = terms.first, let w = f.trace.parameterNames.firstIndex(of: "weight_hh_l0") else { return .nan }
    var sum = [Double](repeating: 0, count: first.count)
    for term in terms { for k in term.indices { sum[k] += term[k] } }
    let g = f.trace.gradients[w].storage
    guard g.count == sum.count, frobenius(zip(sum, g).map { $0 - $1 }) <= 1e-9 * frobenius(g) else { return .nan }
    return frobenius(sum)
}

// MARK: - seq2seq-free

/// The word each decoder column chooses (row 0's largest logit, by a plain scan) and its softmax probability.
private func decoded(_ lesson: Lesson, _ t: Trace<Double>) -> [(word: String, p: Double)] {
    t.outputs.compactMap { y -> (String, Double)? in
        guard let row = y?.row(0), !row.isEmpty else { return nil }
        var best = 0
        for j in row.indices where row[j] > row[best] { best = j }
        let e = row.map { Foundation.exp($0 - row[best]) }
        return (best < lesson.vocabulary.count ? lesson.vocabulary[best] : "?", e[best] / e.reduce(0, +))
    }
}

/// The lesson on `tokens` and `targets` (nil: its own), with `feedback` (nil: its own): its words, decoded.
private func decodedRun(
    _ f: ClaimFacts, tokens: String? = nil, targets: [String]? = nil, feedback: Feedback? = nil
) throws -> (targets: [String], words: [(word: String, p: Double)]) {
    var l = f.lesson
    if let tokens { l.tokens = tokens.split(separator: " ").map(String.init) }
    if let targets { l.targets = targets }
    if let feedback { l.architecture.feedback = feedback }
    let t = try ClaimFacts(l).trace
    return (l.targetTokens, decoded(l, t))
}

/// The probability of the word chosen at 1-based decoder step `k` of a run, NaN unless that word is `word`.
private func chosen(_ run: (targets: [String], words: [(word: String, p: Double)]), _ k: Int, _ word: String) -> Double {
    k >= 1 && k <= run.words.count && run.words[k - 1].word == word ? run.words[k - 1].p : .nan
}

/// The 1-based decoder steps whose chosen word is the target.
private func right(_ run: (targets: [String], words: [(word: String, p: Double)])) -> [Int] {
    run.words.indices.filter { $0 < run.targets.count && run.words[$0].word == run.targets[$0] }.map { $0 + 1 }
}

/// The probability of `word` at 1-based decoder step `step` of the lesson run with `feedback`, by a softmax of the logits.
private func probability(_ f: ClaimFacts, step: Int, _ word: String, feedback: Feedback) throws -> Double {
    var l = f.lesson
    l.architecture.feedback = feedback
    let t = try ClaimFacts(l).trace, ys = t.outputs.compactMap { $0?.row(0) }
    guard step >= 1 && step <= ys.count, let k = l.vocabulary.firstIndex(of: word), let m = ys[step - 1].max() else {
        return .nan
    }
    let e = ys[step - 1].map { Foundation.exp($0 - m) }
    return e[k] / e.reduce(0, +)
}

/// The words right over both training pairs, decoded with `feedback` (nil: the lesson's own, running free).
private func trainingRight(_ f: ClaimFacts, feedback: Feedback?) throws -> Int {
    try trainingPairs.map { try right(decodedRun(f, tokens: $0.0, targets: $0.1, feedback: feedback)).count }
        .reduce(0, +)
}

/// The two training pairs of the seq2seq recipes.
private let trainingPairs = [
    ("I speak fluent French", ["je", "parle", "couramment", "le", "français"]),
    ("I speak good English", ["je", "parle", "bien", "l'", "anglais"])
]

let sumAndFreeClaims: [String: [Claim]] = [
    "bptt": [
        claim(cap(bwd, 3), "0.46") { termNorm($0, 5) },
        claim(cap(bwd, 3), "0.7") { termNorm($0, 4) },
        claim(cap(bwd, 3), "0.3") { termNorm($0, 3) },
        claim(cap(bwd, 1), "0") { termNorm($0, 1) },
        holds(cap(bwd, 1), "0") { f in try #require(f.trace.layers.first).initialHidden.storage.allSatisfy { $0 == 0 } },
        claim(cap(bwd, 1), "1.03") { sumNorm($0) },
        claim(ans(4), "1.03") { sumNorm($0) },
        claim(ans(4), "0") { termNorm($0, 1) },
        claim(ans(4), "0.46") { termNorm($0, 5) },
        claim(ans(4), "0.7") { termNorm($0, 4) },
        claim(ans(4), "0.3") { termNorm($0, 3) },
        claim(ans(4), "0.45") { termNorm($0, 2) },
        claim(ans(4), "1.91") { f in (1...5).map { termNorm(f, $0) }.reduce(0, +) }
    ],
    "seq2seq-free": [
        // "The decoder has no input but the dashed line ... Step 5 reads 0".
        holds(cap(fwd, 5), "0") { f in
            let t = f.trace, start = try #require(t.decoderStartColumn)
            let fed = try #require(t.fedBack[start])
            return t.spec.decoderInputSize == 0 && fed.storage.allSatisfy { $0 == 0 } && start == 4
        },
        claim(cap(fwd, 5), "0.995") { f in chosen(try decodedRun(f), 1, "je") },
        claim(cap(fwd, 7), "0.981") { f in chosen(try decodedRun(f), 3, "bien") },
        // "Step 8 writes 'l'' (0.981) where 'le' is right ... Teacher forcing errs here too."
        claim(cap(fwd, 8), "0.981") { f in
            let forced = try decodedRun(f, feedback: .teacherForcing)
            guard f.lesson.targetTokens[3] == "le", chosen(forced, 4, "l'").isFinite else { return .nan }
            return chosen(try decodedRun(f), 4, "l'")
        },
        claim(cap(fwd, 9), "0.991") { f in chosen(try decodedRun(f), 5, "anglais") },
        holds(cap(fwd, 9), "3") { f in try right(decodedRun(f)) == [1, 2, 3] },
        holds(cap(fwd, 9), "5") { f in try decodedRun(f).words.count == 5 && f.trace.lossColumns.count == 5 },
        claim(cap(fwd, 9), "0.581") { f in chosen(try decodedRun(f, feedback: .teacherForcing), 5, "anglais") },
        // "On the two training inputs it writes all 10 words right."
        holds(cap(bwd, 1), "10") { f in try trainingRight(f, feedback: nil) == 10 },
        claim(ans(2), "0.981") { f in chosen(try decodedRun(f), 4, "l'") },
        claim(ans(3), "0.991") { f in chosen(try decodedRun(f), 5, "anglais") },
        claim(ans(3), "0.581") { f in chosen(try decodedRun(f, feedback: .teacherForcing), 5, "anglais") },
        claim(ans(3), "0.300") { f in try probability(f, step: 5, "parle", feedback: .teacherForcing) },
        claim(ans(3), "0.105") { f in try probability(f, step: 5, "français", feedback: .teacherForcing) },
        // "3 of 5 ... teacher forcing makes it too".
        holds(ans(4), "3") { f in
            try right(decodedRun(f)) == [1, 2, 3] && right(decodedRun(f, feedback: .teacherForcing)) == [1, 2, 3]
        },
        holds(ans(4), "5") { f in try decodedRun(f).words.count == 5 },
        // "It writes all 10 words right either way."
        holds(ans(5), "10") { f in
            try trainingRight(f, feedback: nil) == 10 && trainingRight(f, feedback: .teacherForcing) == 10
        }
    ]
]
