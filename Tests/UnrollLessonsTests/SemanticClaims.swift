import Foundation
import Testing
import UnrollEngine
import UnrollTraining

@testable import UnrollLessons

// The claims table's rows for the lessons on trained weights (sharing, bidir, many2one, lstm; `trainedClaims`: memory,
// many2many, one2many, one2one, gru, stacked) and the training
// lesson train-year; merged into `claimTable` (ClaimsTests.swift), which checks each row and guards that every
// number the captions and answers state has one. Each row reads its number from the trace a way the engine does not
// print it: a probability as e^−L_t from the step's loss, or by a softmax of the step's logits where the step has no
// loss; a gate, cell or cell gradient from the step's record; the lesson run on the other sentence for the 'moon'
// and 'addicted' comparisons; train-year's baseline counted by hand over the years 1900–2029.

private let fwd = Phase.forward, bwd = Phase.backward
private func cap(_ p: Phase, _ s: Int) -> ClaimPlace { .caption(p, s) }
private func ans(_ n: Int) -> ClaimPlace { .answer(n) }

/// e^−L at 0-based `column`: the probability the model gives the target there.
private func targetProbability(_ t: Trace<Double>, _ column: Int) -> Double {
    guard column < t.losses.count, let l = t.losses[column] else { return .nan }
    return Foundation.exp(-l)
}

/// The probability of `word` at 0-based `column`, by a softmax of the step's logits; NaN when `best` and `word` is
/// not the most probable word there.
private func probability(
    _ lesson: Lesson, _ t: Trace<Double>, _ column: Int, _ word: String, best: Bool = false
) -> Double {
    guard column < t.outputs.count, let y = t.outputs[column]?.storage, let k = lesson.vocabulary.firstIndex(of: word),
        k < y.count, let m = y.max()
    else { return .nan }
    let e = y.map { Foundation.exp($0 - m) }
    if best && y[k] < m { return .nan }
    return e[k] / e.reduce(0, +)
}

/// The lesson with word `index` of its sentence replaced (the targets are left as they are).
private func replacing(_ lesson: Lesson, _ replacements: [Int: String]) -> Lesson {
    var l = lesson
    for (i, w) in replacements { l.tokens[i] = w }
    return l
}

/// The trace of a lesson changed by `change`.
private func variant(_ f: ClaimFacts, _ change: (inout Lesson) -> Void) throws -> (Lesson, Trace<Double>) {
    var l = f.lesson
    change(&l)
    return (l, try ClaimFacts(l).trace)
}

// MARK: - lstm

/// Gate `k` (0 i, 1 f, 2 g, 3 o) of `unit` (0-based) at 1-based `step`.
private func gate(_ t: Trace<Double>, _ k: Int, step: Int, unit: Int) -> Double {
    let s = t.layers[0].steps[step - 1]
    return s.gates.count == 4 ? s.gates[k][0, unit] : .nan
}
/// c of `unit` at 1-based `step`.
private func cell(_ t: Trace<Double>, step: Int, unit: Int) -> Double {
    t.layers[0].steps[step - 1].cell?[0, unit] ?? .nan
}
/// ∂L/∂c of `unit` at 1-based `step` (the total gradient, both paths).
func cellGradient(_ t: Trace<Double>, step: Int, unit: Int) -> Double {
    t.layers[0].steps[step - 1].cellGradient?[0, unit] ?? .nan
}
/// The lstm lesson with 'addicted' for 'allergic' and 'can' for "can't" (the other training sentence).
private func addicted(_ f: ClaimFacts) throws -> (Lesson, Trace<Double>) {
    try variant(f) { $0 = replacing($0, [2: "addicted", 6: "can"]) }
}
/// c of the other sentence minus c of the lesson's, for `unit` at 1-based `step`.
private func cellGap(_ f: ClaimFacts, step: Int, unit: Int) throws -> Double {
    try cell(addicted(f).1, step: step, unit: unit) - cell(f.trace, step: step, unit: unit)
}
/// Whether unit 1 (index 0) is the one whose cell the word changes most, by more than 1.5, at steps 3–5.
private func unitOneCarries(_ f: ClaimFacts) throws -> Bool {
    let other = try addicted(f).1
    return try (3...5).allSatisfy { s in
        let gaps = (0..<6).map { abs(cell(other, step: s, unit: $0) - cell(f.trace, step: s, unit: $0)) }
        return try cellGap(f, step: s, unit: 0) > 1.5 && gaps.firstIndex(of: gaps.max() ?? .nan) == 0
    }
}
/// Whether every value of gate `k` at every step and unit lies in `range`.
private func gateWithin(_ t: Trace<Double>, _ ks: [Int], _ range: ClosedRange<Double>) -> Bool {
    t.layers[0].steps.allSatisfy { s in
        s.gates.count == 4 && ks.allSatisfy { s.gates[$0].storage.allSatisfy(range.contains) }
    }
}
/// Whether unit 2 (index 1) has f < 0.09 at steps 1–7.
private func unitTwoForgets(_ t: Trace<Double>) -> Bool { (1...7).allSatisfy { gate(t, 1, step: $0, unit: 1) < 0.09 } }

// MARK: - sharing and train-year

/// Whether the loss is taken at every one of the sharing lesson's 13 steps, so ∂L/∂W sums over all of them.
private func lossAtEveryStep(_ t: Trace<Double>) -> Bool { t.columns == 13 && t.lossColumns == Array(0..<13) }
/// P(YEAR) by a softmax of the logits at every step but 6 and 9, each at most 0.002.
private func otherStepsAtMost(_ f: ClaimFacts, _ bound: Double) -> Bool {
    (0..<13).filter { $0 != 5 && $0 != 8 }.allSatisfy { probability(f.lesson, f.trace, $0, "YEAR") <= bound }
}

/// The year-extraction baseline counted by hand: for each of the four digit places, how often each digit occurs
/// among the years 1900–2029; the loss of guessing by those frequencies (mean entropy, in nats) and its accuracy.
private let yearBaseline: (loss: Double, accuracy: Double) = {
    var counts = [[Double]](repeating: [Double](repeating: 0, count: 10), count: 4)
    for y in 1900...2029 {
        let d = [y / 1000, y / 100 % 10, y / 10 % 10, y % 10]
        for k in 0..<4 { counts[k][d[k]] += 1 }
    }
    let p = counts.map { row in row.map { $0 / 130 } }
    let entropy = p.map { row in row.filter { $0 > 0 }.reduce(0) { $0 - $1 * Foundation.log($1) } }
    return (entropy.reduce(0, +) / 4, p.map { $0.max() ?? 0 }.reduce(0, +) / 4)
}()

/// The years of 2000 sentences of the lesson's task, read from the digits it must write at its last four steps.
private func yearsDrawn(_ f: ClaimFacts) throws -> [Int] {
    let task = try #require(f.lesson.training?.task)
    var g = SeededGenerator(seed: 1)
    let sample: Sample<Double> = task.batch(size: 2000, generator: &g)
    guard case .classes(let c) = sample.targets, c.count == task.length else { return [] }
    return (0..<2000).map { b in (task.length - 4..<task.length).reduce(0) { $0 * 10 + c[$1][b] } }
}


// MARK: - memory, many2many, one2many, one2one, gru and stacked

/// The smallest e^−L_t over the loss steps, or NaN when some loss step's most probable word is not its target.
private func leastTarget(_ f: ClaimFacts) -> Double {
    let t = f.trace, targets = f.lesson.targetTokens, first = t.decoderStartColumn ?? 0 // the decoder's first column
    var least = Double.infinity
    for c in t.lossColumns {
        guard c - first < targets.count, !probability(f.lesson, t, c, targets[c - first], best: true).isNaN else {
            return .nan
        }
        least = min(least, targetProbability(t, c))
    }
    return t.lossColumns.isEmpty ? .nan : least
}

/// The probability of the most probable `word` at 0-based `column` of the lesson run on `tokens` (a sentence it was
/// not trained on), NaN when `word` is not the most probable there.
private func heldOut(_ f: ClaimFacts, _ tokens: String, _ column: Int, _ word: String) throws -> Double {
    let (l, t) = try variant(f) { $0.tokens = tokens.split(separator: " ").map(String.init) }
    return probability(l, t, column, word, best: true)
}

/// How many loss steps of the lesson run on `tokens` (next-word targets) have their target as the most probable word.
private func heldOutRight(_ f: ClaimFacts, _ tokens: String) throws -> Int {
    let (l, t) = try variant(f) { $0.tokens = tokens.split(separator: " ").map(String.init) }
    let targets = l.targetTokens
    return t.lossColumns.filter { $0 < targets.count && !probability(l, t, $0, targets[$0], best: true).isNaN }.count
}

/// Whether the column of `word` in the trained W_ih equals the drawn (untrained) one: training never read `word`.
private func untrainedColumn(_ f: ClaimFacts, _ word: String) throws -> Bool {
    var drawn = f.lesson
    drawn.weights = nil
    let k = try #require(f.lesson.vocabulary.firstIndex(of: word))
    let a = try #require(f.lesson.model(as: Double.self)["weight_ih_l0"])
    let b = try #require(drawn.model(as: Double.self)["weight_ih_l0"])
    return a.rows == b.rows && (0..<a.rows).allSatisfy { a[$0, k] == b[$0, k] }
        && f.lesson.model(as: Double.self).values != drawn.model(as: Double.self).values
}

/// The GRU's update gate z over every step and unit: its smallest and largest value.
private func updateGateRange(_ t: Trace<Double>) -> (min: Double, max: Double) {
    let z = t.layers[0].steps.flatMap { $0.gates.count == 3 ? $0.gates[1].storage : [.nan] }
    return (z.min() ?? .nan, z.max() ?? .nan)
}
/// The largest ‖∂h_t/∂h_{t-1}‖ (σmax for batch row 0) over the steps.
private func largestJacobian(_ t: Trace<Double>) -> Double { t.layers[0].steps.map(\.jacobianNorm).max() ?? .nan }

/// memory: 'the fish are in the sea', never trained ('are' only ever followed 'clouds').
private let fishAre = "the fish are in the sea"
/// many2many: 'feeling over the weather', never trained.
private let overWeather = "feeling over the weather"

/// The caption lessons' second training 'image' (`LessonRecipe.secondImage`, written out here).
private let secondImage = [0.5, 0.5, -0.5, -0.5, -0.5]

/// The words a vector-to-sequence lesson writes for the image `v` (nil: its own), each with its probability: the
/// lesson's model run on its own sample with v replaced.
func written(_ lesson: Lesson, image v: [Double]?) throws -> [(word: String, p: Double)] {
    var run = lesson.materialize(as: Double.self)
    if let v { run.sample.conditioning = Matrix(rows: 1, cols: v.count, storage: v) }
    let t = try rerun(Engine.run(model: run.model, sample: run.sample, options: run.options))
    return (0..<t.columns).map { c in
        let y = t.outputs[c]?.row(0) ?? [], m = y.max() ?? .nan
        let e = y.map { Foundation.exp($0 - m) }, k = y.firstIndex(of: m) ?? 0
        return (lesson.vocabulary[k], e[k] / e.reduce(0, +))
    }
}

/// The lesson's own v, halved: a fainter copy of its image, never trained.
private func halfImage(_ f: ClaimFacts) throws -> [Double] {
    try #require(f.trace.conditioning).storage.map { $0 / 2 }
}

/// What a caption lesson writes for its held-out input, which must be v/2 (`halfImage`, its v halved, written out in
/// the YAML) with the lesson's own targets: each step's most probable word and its probability; nil unless every
/// word is the target.
private func halfImageWritten(_ f: ClaimFacts) throws -> [(word: String, p: Double)]? {
    let v = try halfImage(f), h = try #require(f.lesson.heldOut.first)
    guard h.conditioning == v, h.tokens == f.lesson.tokens, h.targets == f.lesson.targets else { return nil }
    let words = try written(f.lesson, image: v)
    return words.map(\.word) == f.lesson.targetTokens ? words : nil
}

/// The caption lessons' captions of v/2: 'clouds' at step 2, all 6 words right, 'sky' at step 6.
private func halfImageRows(_ clouds: String, _ sky: String) -> [Claim] {
    [
        claim(.inputCaption(2, fwd, 2), clouds) { try halfImageWritten($0)?[1].p ?? .nan },
        holds(.inputCaption(2, fwd, 6), "6") { try halfImageWritten($0)?.count == 6 },
        claim(.inputCaption(2, fwd, 6), sky) { try halfImageWritten($0)?[5].p ?? .nan }
    ]
}

/// The distance between two vectors.
private func apart(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot() }

/// The seq2seq lessons' pair never trained: 'I speak fluent English' → 'je parle couramment l' anglais'.
private let fluentEnglishPair = (tokens: "I speak fluent English", targets: ["je", "parle", "couramment", "l'", "anglais"])

/// A seq2seq lesson run on `fluentEnglishPair`: the 1-based decoder steps (of 5) whose chosen word is the target, and
/// the probability of the most probable `word` at decoder step `k` (1-based; NaN when `word` is not the most probable).
private func fluentEnglish(_ f: ClaimFacts) throws -> (right: [Int], says: (Int, String) -> Double) {
    let (l, t) = try variant(f) {
        $0.tokens = fluentEnglishPair.tokens.split(separator: " ").map(String.init)
        $0.targets = fluentEnglishPair.targets
    }
    let start = try #require(t.decoderStartColumn), targets = try #require(l.targets)
    let right = (0..<5).filter { !probability(l, t, start + $0, targets[$0], best: true).isNaN }.map { $0 + 1 }
    return (right, { k, word in probability(l, t, start + k - 1, word, best: true) })
}

/// The probability of the most probable `word` at decoder step `k` of the lesson's held-out input, which must be
/// `fluentEnglishPair`.
private func fluentEnglishSays(_ f: ClaimFacts, _ k: Int, _ word: String) throws -> Double {
    try declares(f, fluentEnglishPair.tokens, fluentEnglishPair.targets) ? fluentEnglish(f).says(k, word) : .nan
}

/// The seq2seq lessons' captions of their held-out input: 'couramment' at step 7, then 'le' and 'français', 3 of 5.
private func fluentEnglishRows(_ couramment: String, _ le: String, _ francais: String) -> [Claim] {
    [
        claim(.inputCaption(2, fwd, 7), couramment) { try fluentEnglishSays($0, 3, "couramment") },
        claim(.inputCaption(2, fwd, 9), le) { try fluentEnglishSays($0, 4, "le") },
        claim(.inputCaption(2, fwd, 9), francais) { try fluentEnglishSays($0, 5, "français") },
        holds(.inputCaption(2, fwd, 9), "3") { try fluentEnglish($0).right == [1, 2, 3] },
        holds(.inputCaption(2, fwd, 9), "5") { f in try fluentEnglish(f).right == [1, 2, 3] && fluentEnglishPair.targets.count == 5 }
    ]
}


// MARK: - clouds, skip, deep, shortcut and deep-io

/// Whether the lesson's parameters `names` equal the drawn ones (the recipe kept them, `LessonRecipe.frozen`) while
/// the model as a whole was trained.
private func keptAsDrawn(_ f: ClaimFacts, _ names: [String]) throws -> Bool {
    var drawn = f.lesson
    drawn.weights = nil
    let a = f.lesson.model(as: Double.self), b = drawn.model(as: Double.self)
    try #require(!names.isEmpty)
    // Within the recipes' tolerance, not bit for bit: an orthogonal W_hh drawn under another OpenBLAS core (Prescott)
    // differs from the committed one, drawn under Zen, in the last bits.
    func same(_ x: Matrix<Double>, _ y: Matrix<Double>) -> Bool {
        x.rows == y.rows && x.cols == y.cols
            && zip(x.storage, y.storage).allSatisfy { abs($0 - $1) <= LessonRecipe.tolerance }
    }
    return try names.allSatisfy { same(try #require(a[$0]), try #require(b[$0])) }
        && !(a.values.count == b.values.count && zip(a.values, b.values).allSatisfy { same($0, $1) })
}

/// The first block's spectral radius of W_hh, from the trace's spectra (the engine's eigenvalues).
private func spectralRadius(_ t: Trace<Double>) -> Double { t.recurrent.first?.spectralRadius ?? .nan }

/// deep, shortcut, skip: a sentence never trained (the four trained ones use 'I … I' or 'we … we').
private let spainMixed = "we grew up in Spain and I now speak fluent"

/// Whether the lesson's first held-out input (the one its `input: 2` captions describe) is `sentence` with `targets`.
private func declares(_ f: ClaimFacts, _ sentence: String, _ targets: [String]?) -> Bool {
    f.lesson.heldOut.first == HeldOutInput(tokens: sentence.split(separator: " ").map(String.init), targets: targets)
}

/// deep, shortcut, skip: the probability of the most probable `word` at step 10 of `spainMixed`, the lesson's held-out
/// input (target 'Spanish').
private func spainMixedSays(_ f: ClaimFacts, _ word: String) throws -> Double {
    try declares(f, spainMixed, ["Spanish"]) ? heldOut(f, spainMixed, 9, word) : .nan
}

/// clouds: the never-trained 'the fish swim in the' ('swim' was never read), y5's probability of 'sea'.
private func fishSwim(_ f: ClaimFacts) throws -> Double {
    try untrainedColumn(f, "swim") && declares(f, "the fish swim in the", ["sea"])
        ? heldOut(f, "the fish swim in the", 4, "sea") : .nan
}
/// clouds: the gradient at 'clouds' (step 2) over the last step's.
private func cloudsReach(_ t: Trace<Double>) -> Double { lastNorm(t, 2) / lastNorm(t, 5) }

/// deep-io: the recipe run on the plain RNN (the same lesson without the MLPs, its own drawn start): how many of the
/// four training phrases it gets right, and the least probability it gives a target.
private func plainDeepIO(_ f: ClaimFacts) throws -> (right: Int, least: Double) {
    var plain = f.lesson
    plain.deep = DeepTransition()
    plain.weights = nil
    let recipe = try #require(LessonRecipe.named("deep-io"))
    let model = try rerun(recipe.train(plain))
    try #require(recipe.examples.count == 4)
    var right = 0, least = Double.infinity
    for ex in recipe.examples {
        var l = plain
        l.tokens = ex.tokens
        l.targets = ex.targets
        let run = l.materialize(as: Double.self)
        let t = try rerun(Engine.run(model: model, sample: run.sample, options: run.options))
        let target = try #require(ex.targets?.first)
        let p = probability(l, t, ex.tokens.count - 1, target)
        if p == probability(l, t, ex.tokens.count - 1, target, best: true) { right += 1 }
        least = min(least, p)
    }
    return (right, least)
}

// MARK: - units

/// The units lesson's step_through text as its scenario file writes it (read from the YAML, not through the reader),
/// checked against the classes the lesson reads; each character but the last is a step.
private func unitsText(_ f: ClaimFacts) throws -> [Character] {
    let yaml = try #require(Lesson.builtinScenario(named: "units"))
    let line = try #require(yaml.split(separator: "\n").first { $0.hasPrefix("  step_through: ") })
    let quoted = line.dropFirst("  step_through: ".count)
    let text = Array(quoted.dropFirst().dropLast())
    let task = try #require(f.lesson.training?.task)
    let read = try #require(task.prompt).map { task.corpus.alphabet[Int($0)] }
    try #require(read == text, "the lesson reads its step_through text as written")
    return text
}

/// Unit `k`'s (1-based) h_t at each step of the units lesson's trace.
private func unitSeries(_ f: ClaimFacts, _ k: Int) throws -> [Double] {
    let layer = f.trace.layers[0]
    try #require(k >= 1 && k <= layer.hiddenSize)
    return layer.steps.map { $0.hidden[0, k - 1] }
}

/// Pearson's correlation of two series of the same length, by hand.
private func pearson(_ a: [Double], _ b: [Double]) throws -> Double {
    try #require(a.count == b.count && a.count >= 2)
    let ma = a.reduce(0, +) / Double(a.count), mb = b.reduce(0, +) / Double(b.count)
    let cov = zip(a, b).reduce(0) { $0 + ($1.0 - ma) * ($1.1 - mb) }
    let va = a.reduce(0) { $0 + ($1 - ma) * ($1 - ma) }, vb = b.reduce(0) { $0 + ($1 - mb) * ($1 - mb) }
    return cov / (va * vb).squareRoot()
}

/// r of unit 11's h_t with the letters read since the last space (0 at a space), over every step.
private func unitElevenR(_ f: ClaimFacts) throws -> Double {
    let text = try unitsText(f).dropLast()
    var since: [Double] = [], n = 0.0
    for c in text {
        n = c == " " ? 0 : n + 1
        since.append(n)
    }
    return try pearson(unitSeries(f, 11), since)
}

/// r of unit 5's h_t with 'the character read is a vowel' (1 or 0), over every step.
private func unitFiveR(_ f: ClaimFacts) throws -> Double {
    let text = try unitsText(f).dropLast()
    return try pearson(unitSeries(f, 5), text.map { "aeiouAEIOU".contains($0) ? 1 : 0 })
}

private let trainedClaims: [String: [Claim]] = [
    "units": [
        claim(cap(fwd, 1), "24") { Double($0.trace.layers[0].hiddenSize) },
        // The caption writes −0.68; the reader takes the numeral, so the row gives −r.
        holds(cap(fwd, 6), "11") { try unitElevenR($0) < -0.5 },
        holds(cap(fwd, 40), "11") { try unitElevenR($0) < -0.5 },
        claim(cap(fwd, 40), "0.68") { try -unitElevenR($0) },
        holds(cap(fwd, 100), "5") { try unitFiveR($0) > 0.5 },
        claim(cap(fwd, 100), "0.71") { try unitFiveR($0) },
        claim(ans(3), "0.68") { try -unitElevenR($0) },
        claim(ans(4), "0.71") { try unitFiveR($0) }
    ],
    "clouds": [
        claim(cap(fwd, 2), "3") { f in Double(f.trace.columns - step(of: "clouds", in: f.lesson)) },
        holds(cap(fwd, 4), "4") { _ in try #require(LessonRecipe.named("clouds")).examples.count == 4 },
        claim(.inputCaption(2, fwd, 5), "0.968") { try fishSwim($0) },
        claim(cap(fwd, 5), "0.972") { f in f.lesson.targets == ["sky"] ? targetProbability(f.trace, 4) : .nan },
        claim(cap(bwd, 5), "0.6") { f in try keptAsDrawn(f, ["weight_hh_l0"]) ? sigmaMax(f.trace) : .nan },
        claim(cap(bwd, 2), "3") { f in Double(f.trace.columns - step(of: "clouds", in: f.lesson)) },
        claim(cap(bwd, 2), "0.11") { cloudsReach($0.trace) },
        claim(ans(1), "3") { f in Double(f.trace.columns - step(of: "clouds", in: f.lesson)) },
        claim(ans(3), "0.026") { lastNorm($0.trace, 2) },
        claim(ans(3), "0.24") { lastNorm($0.trace, 5) },
        claim(ans(3), "0.11") { cloudsReach($0.trace) },
        claim(ans(4), "0.47") { Foundation.pow(cloudsReach($0.trace), 1.0 / 3) },
        claim(ans(4), "0.6") { f in try keptAsDrawn(f, ["weight_hh_l0"]) ? sigmaMax(f.trace) : .nan },
        holds(ans(4), "1") { f in
            f.trace.layers[0].steps.allSatisfy { $0.hidden.storage.allSatisfy { 1 - $0 * $0 < 1 } }
        },
        claim(ans(6), "0.968") { try fishSwim($0) },
        claim(ans(6), "0.972") { f in f.lesson.targets == ["sky"] ? targetProbability(f.trace, 4) : .nan }
    ],
    "skip": [
        definition(cap(fwd, 4), "1996", "the year of Lin et al.'s paper on skips through time: a citation"),
        claim(cap(fwd, 5), "0.6") { f in try keptAsDrawn(f, ["weight_hh_l0"]) ? spectralRadius(f.trace) : .nan },
        claim(cap(fwd, 5), "0.997") { f in f.lesson.targets == ["French"] ? targetProbability(f.trace, 9) : .nan },
        claim(.inputCaption(2, fwd, 10), "0.996") { try spainMixedSays($0, "Spanish") },
        claim(cap(fwd, 10), "5") { f in Double(10 - step(of: "France", in: f.lesson)) },
        claim(cap(fwd, 10), "3") { f in hops(from: step(of: "France", in: f.lesson), to: 10, skip: f.lesson.skip ?? 1) },
        claim(cap(fwd, 10), "3") { Double($0.lesson.skip ?? 0) },
        definition(cap(fwd, 10), "1", "'two of 1' names the plain one-step edges; the hops row counts them by search"),
        claim(cap(bwd, 10), "3") { Double($0.lesson.skip ?? 0) },
        claim(ans(2), "3") { f in hops(from: step(of: "France", in: f.lesson), to: 10, skip: f.lesson.skip ?? 1) },
        claim(ans(2), "3") { Double($0.lesson.skip ?? 0) },
        claim(ans(2), "5") { f in Double(10 - step(of: "France", in: f.lesson)) },
        claim(ans(3), "47") { 100 * lastNorm($0.trace, 1) / lastNorm($0.trace, 10) },
        claim(ans(3), "0.07") { f in
            let t = try f.after { $0.toggleSkip() }
            return 100 * lastNorm(t, 1) / lastNorm(t, 10)
        },
        claim(ans(6), "5") { f in Double(10 - step(of: "France", in: f.lesson)) },
        claim(ans(6), "3") { f in hops(from: step(of: "France", in: f.lesson), to: 10, skip: f.lesson.skip ?? 1) },
        claim(ans(6), "5") { f in Double(10 - step(of: "France", in: f.lesson)) },
        claim(ans(6), "3") { Double($0.lesson.skip ?? 0) },
        claim(ans(7), "0.996") { try heldOut($0, spainMixed, 9, "Spanish") },
        claim(ans(7), "0.997") { f in f.lesson.targets == ["French"] ? targetProbability(f.trace, 9) : .nan }
    ],
    "deep": [
        holds(cap(fwd, 6), "2") { $0.lesson.deep.transition == 1 },
        definition(
            cap(fwd, 6), "1", "a plain RNN step h = tanh(W_hh h + W_ih x + b) has one nonlinear layer, by its equation"
        ),
        claim(cap(fwd, 10), "0.636") { f in f.lesson.targets == ["French"] ? targetProbability(f.trace, 9) : .nan },
        claim(cap(fwd, 10), "0.636") { try heldOut($0, "I grew up in Spain and I now speak fluent", 9, "French") },
        // Wrong: the held-out input's target is 'Spanish', and 'French' is the most probable word.
        claim(.inputCaption(2, fwd, 10), "0.636") { try spainMixedSays($0, "French") },
        about(cap(bwd, 5), "7e-6", within: 0.1) { lastNorm($0.trace, 5) / lastNorm($0.trace, 10) },
        claim(ans(3), "1.8e-10") { lastNorm($0.trace, 1) },
        claim(ans(3), "0.30") { lastNorm($0.trace, 10) },
        holds(ans(3), "10") { f in
            // The same weights without the transition MLP: W_hh then reads h_{t-1} itself.
            var shallow = f.lesson
            shallow.deep = DeepTransition()
            let own = try #require(f.lesson.weights)
            shallow.weights = LessonWeights(
                path: own.path,
                file: SafetensorsFile(tensors: own.file.tensors.filter { !$0.name.hasPrefix("transition_") }))
            let flat = try ClaimFacts(shallow).trace
            return lastNorm(f.trace, 1) / lastNorm(f.trace, 10) < lastNorm(flat, 1) / lastNorm(flat, 10) / 10
        },
        holds(ans(5), "100") { f in try lastNorm(other("shortcut"), 1) > 100 * lastNorm(f.trace, 1) },
        claim(ans(7), "0.636") { f in f.lesson.targets == ["French"] ? targetProbability(f.trace, 9) : .nan },
        claim(ans(7), "0.636") { try heldOut($0, "I grew up in Spain and I now speak fluent", 9, "French") },
        about(ans(7), "7e-6", within: 0.1) { lastNorm($0.trace, 5) / lastNorm($0.trace, 10) },
        claim(ans(7), "0.991") { _ in try targetProbability(other("shortcut"), 9) }
    ],
    "shortcut": [
        claim(cap(fwd, 5), "0.991") { f in
            let mlp = ["transition_l0.0.weight", "transition_l0.0.bias", "weight_hh_l0", "weight_shortcut_l0"]
            return try keptAsDrawn(f, mlp) && f.lesson.targets == ["French"] ? targetProbability(f.trace, 9) : .nan
        },
        claim(.inputCaption(2, fwd, 10), "0.984") { try spainMixedSays($0, "Spanish") },
        claim(ans(2), "0.52") { jacobians($0.trace).min() ?? .nan },
        claim(ans(2), "1.10") { jacobians($0.trace).max() ?? .nan },
        claim(ans(2), "0.34") { _ in try jacobians(other("deep")).min() ?? .nan },
        claim(ans(2), "0.49") { _ in try jacobians(other("deep")).max() ?? .nan },
        holds(ans(3), "100") { f in try lastNorm(f.trace, 1) > 100 * lastNorm(other("deep"), 1) },
        claim(ans(3), "1.5e-4") { lastNorm($0.trace, 1) },
        holds(ans(3), "100") { f in try lastNorm(f.trace, 1) > 100 * lastNorm(other("deep"), 1) },
        claim(ans(3), "1.8e-10") { _ in try lastNorm(other("deep"), 1) },
        claim(ans(6), "0.984") { try heldOut($0, spainMixed, 9, "Spanish") },
        claim(ans(6), "0.991") { f in f.lesson.targets == ["French"] ? targetProbability(f.trace, 9) : .nan },
        claim(ans(6), "0.636") { _ in
            guard var deep = Lesson.builtin(named: "deep") else { return .nan }
            deep.tokens = spainMixed.split(separator: " ").map(String.init)
            return probability(deep, try ClaimFacts(deep).trace, 9, "French", best: true)
        }
    ],
    "deep-io": [
        claim(cap(fwd, 1), "0.994") { f in f.lesson.targets == ["good"] ? targetProbability(f.trace, 1) : .nan },
        claim(cap(fwd, 1), "0.998") { try heldOut($0, "not good", 1, "bad") },
        claim(cap(fwd, 2), "0.994") { f in f.lesson.targets == ["good"] ? targetProbability(f.trace, 1) : .nan },
        claim(cap(fwd, 2), "0.994") { try heldOut($0, "bad", 0, "good") },
        claim(ans(2), "0.994") { f in f.lesson.targets == ["good"] ? targetProbability(f.trace, 1) : .nan },
        claim(ans(2), "0.998") { try heldOut($0, "not good", 1, "bad") },
        claim(ans(6), "0.994") { try heldOut($0, "bad", 0, "good") },
        holds(ans(7), "4") { try plainDeepIO($0).right == 4 },
        claim(ans(7), "0.967") { try plainDeepIO($0).least }
    ],

    "caption": [
        holds(cap(fwd, 6), "0.99") { leastTarget($0) >= 0.99 },
        claim(ans(4), "0.642") { _ in try targetProbability(other("caption-h0"), 5) },
        claim(ans(4), "0.990") { targetProbability($0.trace, 5) },
        // "v/2 lies nearer this image than the other, and its words stay the most probable ('clouds' 0.798)".
        claim(ans(6), "0.798") { f in
            let v = try halfImage(f), own = try #require(f.trace.conditioning).storage
            let words = try written(f.lesson, image: v)
            guard apart(v, own) < apart(v, secondImage), words.map(\.word) == f.lesson.targetTokens else { return .nan }
            return words[1].p
        }
    ] + halfImageRows("0.798", "0.979"),
    "caption-h0": [
        claim(cap(fwd, 6), "0.642") { targetProbability($0.trace, 5) },
        claim(ans(4), "0.642") { targetProbability($0.trace, 5) },
        claim(ans(4), "0.990") { _ in try targetProbability(other("caption"), 5) },
        claim(.inputCaption(2, fwd, 2), "0.970") { try halfImageWritten($0)?[1].p ?? .nan },
        holds(.inputCaption(2, fwd, 6), "6") { try halfImageWritten($0)?.count == 6 },
        // "'sky' only 0.642, as for v itself": v/2's and v's probabilities of 'sky' agree to the digits written.
        claim(.inputCaption(2, fwd, 6), "0.642") { f in
            let half = try halfImageWritten(f)?[5].p ?? .nan
            return abs(half - targetProbability(f.trace, 5)) < 0.0005 ? half : .nan
        }
    ],
    "caption-both": [
        claim(cap(fwd, 6), "0.993") { f in f.lesson.targetTokens[5] == "sky" ? targetProbability(f.trace, 5) : .nan }
    ] + halfImageRows("0.979", "0.986"),
    "seq2seq": [
        holds(cap(fwd, 9), "0.99") { leastTarget($0) >= 0.99 },
        holds(ans(7), "3") { try fluentEnglish($0).right == [1, 2, 3] },
        holds(ans(7), "5") { try fluentEnglish($0).right == [1, 2, 3] && $0.lesson.targetTokens.count == 5 },
        claim(ans(7), "0.740") { try fluentEnglish($0).says(3, "couramment") }
    ] + fluentEnglishRows("0.740", "0.993", "0.534"),
    "seq2seq-h0": [
        claim(cap(fwd, 7), "0.640") { f in
            f.lesson.targetTokens[2] == "couramment" ? targetProbability(f.trace, 6) : .nan
        },
        claim(cap(fwd, 7), "0.991") { _ in try targetProbability(other("seq2seq"), 6) },
        claim(ans(4), "0.640") { targetProbability($0.trace, 6) },
        claim(ans(4), "0.991") { _ in try targetProbability(other("seq2seq"), 6) }
    ] + fluentEnglishRows("0.640", "0.990", "0.694"),
    "seq2seq-both": fluentEnglishRows("0.972", "0.991", "0.920"),
    "memory": [
        claim(cap(fwd, 1), "0.703") { f in f.lesson.targetTokens.first == "clouds" ? targetProbability(f.trace, 0) : .nan },
        claim(cap(fwd, 1), "0.289") { probability($0.lesson, $0.trace, 0, "fish") },
        claim(cap(fwd, 5), "0.989") { f in f.lesson.targetTokens[4] == "sky" ? probability(f.lesson, f.trace, 4, "sky", best: true) : .nan },
        claim(.inputCaption(2, fwd, 5), "0.795") { try heldOut($0, fishAre, 4, "sea") },
        claim(ans(2), "0.703") { f in f.lesson.targetTokens.first == "clouds" ? targetProbability(f.trace, 0) : .nan },
        claim(ans(2), "0.989") { probability($0.lesson, $0.trace, 4, "sky", best: true) },
        claim(ans(7), "0.703") { probability($0.lesson, $0.trace, 0, "clouds", best: true) },
        claim(ans(7), "0.289") { probability($0.lesson, $0.trace, 0, "fish") },
        claim(ans(7), "0.989") { probability($0.lesson, $0.trace, 4, "sky", best: true) },
        claim(ans(7), "0.795") { try heldOut($0, fishAre, 4, "sea") }
    ],
    "many2many": [
        claim(cap(fwd, 1), "0.700") { probability($0.lesson, $0.trace, 0, "under", best: true) },
        claim(cap(fwd, 3), "0.995") { f in f.lesson.tokens[2] == "the" ? probability(f.lesson, f.trace, 2, "weather", best: true) : .nan },
        claim(.inputCaption(2, fwd, 3), "0.994") { try heldOut($0, overWeather, 2, "moon") },
        claim(ans(1), "0.700") { probability($0.lesson, $0.trace, 0, "under", best: true) },
        claim(ans(1), "0.293") { probability($0.lesson, $0.trace, 0, "over") },
        claim(ans(2), "0.995") { probability($0.lesson, $0.trace, 2, "weather", best: true) },
        claim(ans(2), "0.994") { try heldOut($0, overWeather, 2, "moon") }
    ],
    "one2many": [
        holds(cap(fwd, 4), "0.988") { leastTarget($0) >= 0.988 },
        holds(ans(2), "0.988") { leastTarget($0) >= 0.988 }
    ],
    "one2one": [
        claim(cap(fwd, 1), "0.994") { probability($0.lesson, $0.trace, 0, "sky", best: true) },
        claim(ans(6), "0.994") { probability($0.lesson, $0.trace, 0, "sky", best: true) },
        claim(ans(6), "0.996") { try heldOut($0, "fish", 0, "sea") },
        claim(ans(6), "0.600") { f in try untrainedColumn(f, "the") ? heldOut(f, "the", 0, "sea") : .nan }
    ],
    "gru": [
        claim(cap(bwd, 6), "0.001") { updateGateRange($0.trace).min },
        claim(cap(bwd, 6), "0.94") { updateGateRange($0.trace).max },
        holds(cap(bwd, 6), "0.95") { largestJacobian($0.trace) <= 0.95 },
        claim(ans(4), "0.001") { updateGateRange($0.trace).min },
        claim(ans(4), "0.94") { updateGateRange($0.trace).max },
        holds(ans(4), "0.95") { largestJacobian($0.trace) <= 0.95 },
        claim(ans(6), "0.895") { try heldOut($0, "in 1999 I went to Nepal", 0, "went") },
        holds(ans(6), "0.996") { leastTarget($0) >= 0.996 }
    ],
    "stacked": [
        holds(cap(fwd, 5), "0.995") { leastTarget($0) >= 0.995 },
        holds(ans(6), "1") { try heldOutRight($0, "in France I grew up") == 1 },
        holds(ans(6), "5") { try heldOutRight($0, "in France I grew up") == 1 && $0.trace.lossColumns.count == 5 },
        holds(ans(6), "0.995") { leastTarget($0) >= 0.995 }
    ]
]

/// The trained lessons' rows: the four first ones below, `trainedClaims`, and `heldOutClaims` (HeldOutClaims.swift).
let semanticClaims = firstSemanticClaims.merging(trainedClaims) { $0 + $1 }.merging(heldOutClaims) { $0 + $1 }

private let firstSemanticClaims: [String: [Claim]] = [
    "sharing": [
        holds(cap(fwd, 1), "13") { f in
            let recipe = try #require(LessonRecipe.named("sharing"))
            let at = Set(recipe.examples.flatMap { ex in ex.tokens.indices.filter { ex.tokens[$0] == "1999" } })
            return f.trace.columns == 13 && recipe.examples.allSatisfy { $0.tokens.count == 13 } && at == Set(0..<13)
        },
        holds(cap(fwd, 6), "1999") {
            $0.lesson.tokens[5] == "1999" && $0.lesson.tokens[0..<6].joined(separator: " ") == "I went to Nepal in 1999"
        },
        claim(cap(fwd, 6), "0.998") { targetProbability($0.trace, 5) },
        holds(cap(fwd, 9), "1999") { $0.lesson.tokens[8] == "1999" && $0.lesson.tokens[7] == "In" },
        claim(cap(fwd, 9), "0.997") { targetProbability($0.trace, 8) },
        holds(cap(fwd, 13), "0.002") { otherStepsAtMost($0, 0.002) },
        holds(cap(bwd, 1), "13") { lossAtEveryStep($0.trace) },
        holds(ans(1), "9") { f in f.lesson.targets.map { t in t.indices.filter { t[$0] == "YEAR" } } == [5, 8] },
        holds(ans(2), "1e-12") { f in
            // W_ih x_t at steps 6 and 9, by hand from the weights and the one-hot inputs.
            let w = try #require(f.lesson.model(as: Double.self)["weight_ih_l0"])
            let x6 = try #require(f.trace.inputs[5]?.storage), x9 = try #require(f.trace.inputs[8]?.storage)
            let a = (0..<w.rows).map { r in (0..<w.cols).reduce(0.0) { $0 + w[r, $1] * x6[$1] } }
            let b = (0..<w.rows).map { r in (0..<w.cols).reduce(0.0) { $0 + w[r, $1] * x9[$1] } }
            let h6 = f.trace.layers[0].steps[5].hidden, h9 = f.trace.layers[0].steps[8].hidden
            return zip(a, b).allSatisfy { abs($0 - $1) <= 1e-12 } && a.contains { abs($0) > 0.1 } && h6.maxAbs > 0
                && zip(h6.storage, h9.storage).contains { abs($0 - $1) > 1e-3 } // W_hh h_{t-1} differs
        },
        holds(ans(4), "13") { lossAtEveryStep($0.trace) },
        claim(ans(6), "0.998") { targetProbability($0.trace, 5) },
        claim(ans(6), "0.997") { targetProbability($0.trace, 8) },
        holds(ans(6), "0.002") { otherStepsAtMost($0, 0.002) }
    ],
    "bidir": [
        claim(cap(fwd, 4), "0.997") { f in f.lesson.targets?[1] == "under" ? targetProbability(f.trace, 1) : .nan },
        claim(cap(fwd, 4), "0.997") { f in
            let (l, t) = try variant(f) { $0.tokens[3] = "moon" }
            return probability(l, t, 1, "over", best: true)
        },
        claim(ans(6), "0.997") { f in f.lesson.targets?[1] == "under" ? targetProbability(f.trace, 1) : .nan },
        claim(ans(6), "0.997") { f in
            let (l, t) = try variant(f) { $0.tokens[3] = "moon" }
            return probability(l, t, 1, "over", best: true)
        },
        // The target stays 'under': e^−L_2 of the 'moon' sentence is P(under) there.
        claim(ans(6), "0.003") { f in try targetProbability(variant(f) { $0.tokens[3] = "moon" }.1, 1) }
    ],
    "many2one": [
        claim(cap(fwd, 3), "0.994") { f in
            f.trace.losses[2] == nil ? probability(f.lesson, f.trace, 2, "happy", best: true) : .nan
        },
        claim(cap(fwd, 4), "0.997") { f in f.lesson.targets == ["ill"] ? targetProbability(f.trace, 3) : .nan },
        claim(cap(fwd, 4), "0.997") { f in
            let (l, t) = try variant(f) { $0.tokens = ["feeling", "over", "the", "moon"] }
            return probability(l, t, 3, "happy", best: true)
        },
        claim(ans(6), "0.997") { f in f.lesson.targets == ["ill"] ? targetProbability(f.trace, 3) : .nan },
        claim(ans(6), "0.997") { f in
            let (l, t) = try variant(f) { $0.tokens = ["feeling", "over", "the", "moon"] }
            return probability(l, t, 3, "happy", best: true)
        },
        claim(ans(6), "0.994") { f in
            f.trace.losses[2] == nil ? probability(f.lesson, f.trace, 2, "happy", best: true) : .nan
        }
    ],
    "lstm": [
        holds(cap(fwd, 1), "0") { gateWithin($0.trace, [0, 1, 3], 0...1) && !gateWithin($0.trace, [2], 0...1) },
        claim(cap(fwd, 2), "0.55") { probability($0.lesson, $0.trace, 1, "allergic", best: true) },
        claim(cap(fwd, 2), "0.43") { probability($0.lesson, $0.trace, 1, "addicted") },
        claim(cap(fwd, 3), "0.96") { gate($0.trace, 0, step: 3, unit: 0) },
        claim(cap(fwd, 3), "0.20") { -gate($0.trace, 0, step: 3, unit: 0) * gate($0.trace, 2, step: 3, unit: 0) },
        holds(cap(fwd, 3), "1") { try unitOneCarries($0) },
        claim(cap(fwd, 3), "1.22") { cell($0.trace, step: 3, unit: 0) },
        claim(cap(fwd, 3), "2.81") { try cell(addicted($0).1, step: 3, unit: 0) },
        holds(cap(fwd, 5), "1") { try unitOneCarries($0) },
        holds(cap(fwd, 5), "1.5") { try unitOneCarries($0) },
        claim(cap(fwd, 5), "0.974") { gate($0.trace, 1, step: 4, unit: 0) },
        claim(cap(fwd, 5), "0.995") { gate($0.trace, 1, step: 5, unit: 0) },
        claim(cap(fwd, 6), "0.977") { f in f.lesson.tokens[6] == "can't" ? targetProbability(f.trace, 5) : .nan },
        claim(cap(fwd, 6), "0.980") { f in
            let (l, t) = try addicted(f)
            return l.tokens[6] == "can" ? targetProbability(t, 5) : .nan
        },
        holds(cap(bwd, 4), "1") { try unitOneCarries($0) },
        claim(cap(bwd, 4), "0.995") { gate($0.trace, 1, step: 5, unit: 0) },
        claim(cap(bwd, 4), "0.0022") { cellGradient($0.trace, step: 5, unit: 0) },
        claim(cap(bwd, 4), "0.0021") { cellGradient($0.trace, step: 4, unit: 0) },
        // The question's why: "f = 0.995 at step 5: 0.0022 at step 5, 0.0021 at step 4".
        holds(cap(bwd, 10), "1") { try unitOneCarries($0) }, // "Unit 1's forget gate is near one"
        claim(cap(bwd, 10), "0.995") { gate($0.trace, 1, step: 5, unit: 0) },
        claim(cap(bwd, 10), "0.0022") { cellGradient($0.trace, step: 5, unit: 0) },
        claim(cap(bwd, 10), "0.0021") { cellGradient($0.trace, step: 4, unit: 0) },
        holds(cap(bwd, 2), "0") { unitTwoForgets($0.trace) }, // "f is near 0"
        holds(cap(bwd, 2), "2") { unitTwoForgets($0.trace) },
        holds(cap(bwd, 2), "0.09") { unitTwoForgets($0.trace) },
        // i, f, o are σ in (0, 1); g is tanh in (−1, 1) and takes negative values.
        holds(ans(1), "0") { gateWithin($0.trace, [0, 1, 3], 0...1) },
        holds(ans(1), "1") { gateWithin($0.trace, [0, 1, 3], 0...1) },
        holds(ans(1), "1") { gateWithin($0.trace, [2], -1...1) && !gateWithin($0.trace, [2], 0...1) },
        holds(ans(1), "1") { gateWithin($0.trace, [2], -1...1) },
        claim(ans(2), "0.55") { probability($0.lesson, $0.trace, 1, "allergic", best: true) },
        claim(ans(2), "0.43") { probability($0.lesson, $0.trace, 1, "addicted") },
        claim(ans(3), "0.96") { gate($0.trace, 0, step: 3, unit: 0) },
        claim(ans(3), "0.20") { -gate($0.trace, 0, step: 3, unit: 0) * gate($0.trace, 2, step: 3, unit: 0) },
        holds(ans(3), "1") { try unitOneCarries($0) },
        claim(ans(3), "1.22") { cell($0.trace, step: 3, unit: 0) },
        claim(ans(3), "2.81") { try cell(addicted($0).1, step: 3, unit: 0) },
        claim(ans(4), "0.974") { gate($0.trace, 1, step: 4, unit: 0) },
        claim(ans(4), "0.995") { gate($0.trace, 1, step: 5, unit: 0) },
        holds(ans(4), "1") { try unitOneCarries($0) },
        holds(ans(4), "1.5") { try unitOneCarries($0) },
        claim(ans(5), "0.977") { f in f.lesson.tokens[6] == "can't" ? targetProbability(f.trace, 5) : .nan },
        claim(ans(5), "0.980") { f in
            let (l, t) = try addicted(f)
            return l.tokens[6] == "can" ? targetProbability(t, 5) : .nan
        },
        claim(ans(6), "0.0022") { cellGradient($0.trace, step: 5, unit: 0) },
        claim(ans(6), "0.0021") { cellGradient($0.trace, step: 4, unit: 0) },
        claim(ans(6), "0.995") { gate($0.trace, 1, step: 5, unit: 0) },
        holds(ans(6), "2") { unitTwoForgets($0.trace) },
        holds(ans(6), "0.09") { unitTwoForgets($0.trace) },
        holds(ans(7), "1") { try unitOneCarries($0) },
        holds(ans(7), "1.6") { f in try (3...5).allSatisfy { abs(try cellGap(f, step: $0, unit: 0) - 1.6) <= 0.05 } },
        claim(ans(7), "2.81") { try cell(addicted($0).1, step: 3, unit: 0) },
        claim(ans(7), "0.980") { f in
            let (l, t) = try addicted(f)
            return l.tokens[6] == "can" ? targetProbability(t, 5) : .nan
        },
        claim(ans(8), "0.05") { f in
            var lab = Lab(lesson: f.lesson)
            lab.cycleCell()
            guard lab.settings.cell == .gru, lab.current.weights == nil else { return .nan }
            return probability(f.lesson, try rerun(lab.compute()).trace, 5, "can't")
        },
        claim(ans(8), "13") { Double($0.lesson.vocabulary.count) }
    ],
    "train-year": [
        holds(cap(fwd, 36), "1900") { try yearsDrawn($0).min() == 1900 },
        holds(cap(fwd, 36), "2029") { try yearsDrawn($0).max() == 2029 },
        // The numbers the training screen shows as its baseline: the task's own must agree with the count by hand.
        claim(cap(fwd, 36), "1.41") { f in
            abs((f.lesson.training?.task.baselineLoss ?? .nan) - yearBaseline.loss) < 1e-12 ? yearBaseline.loss : .nan
        },
        claim(cap(fwd, 36), "45") { f in
            abs((f.lesson.training?.task.baselineAccuracy ?? .nan) - yearBaseline.accuracy) < 1e-12
                ? 100 * yearBaseline.accuracy : .nan
        }
    ]
]
