import Foundation
import Testing
import UnrollEngine

@testable import UnrollLessons

@Test(
    "Every built-in lesson is valid, runs forward and backward, and its captions name steps that exist",
    arguments: Lesson.builtin.map(\.name))
func builtinLessonRuns(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    #expect(lesson.problems.isEmpty, "\(lesson.problems)")
    let (run, trace) = try lesson.trace()
    // `nan` is the one lesson whose point is that the loss overflows.
    if name == "nan" { #expect(!trace.loss.isFinite) } else { #expect(trace.loss.isFinite && trace.loss > 0) }
    #expect(run.inputLabels.count == trace.columns)
    #expect(run.targetLabels.count == trace.columns)
    for caption in lesson.captions {
        // A held-out input's caption counts the steps of that input (`i`), which may be more or fewer.
        let columns = caption.inputIndex == 0 ? trace.columns : try lesson.input(caption.inputIndex).trace().1.columns
        #expect(caption.step >= 0 && caption.step < columns, "caption at step \(caption.step) of \(columns)")
    }
    #expect(Set(Lesson.builtin.map(\.name)).count == Lesson.builtin.count)
}

@Test("A language-model lesson one-hot encodes its words and predicts the next one")
func languageModelEncoding() {
    let lesson = Lesson(name: "t", title: "t", tokens: ["a", "b", "a"])
    #expect(lesson.vocabulary == ["a", "b", "<eos>"])
    #expect(lesson.targetTokens == ["b", "a", "<eos>"])
    let run = lesson.materialize(as: Double.self)
    #expect(run.sample.inputs.map(\.storage) == [[1, 0, 0], [0, 1, 0], [1, 0, 0]])
    #expect(run.sample.targets == .classes([[1], [0], [2]]))
}

// MARK: - Presentation

@Test(
    "Captions fit a projector and run in step order; titles fit the header",
    arguments: Lesson.builtin.map(\.name))
func captionsReadInOrder(_ name: String) throws {
    let lesson = try #require(Lesson.builtin(named: name))
    // Training lessons are named train-TASK-CELL, as the course asks for them.
    #expect(name == name.lowercased() && (name.count <= 12 || lesson.training != nil && name.count <= 18))
    #expect(!lesson.summary.isEmpty && lesson.summary.count <= 110, "summary of \(lesson.summary.count) characters")
    #expect(lesson.title.count <= 48, "title of \(lesson.title.count) characters: \(lesson.title)")
    #expect(lesson.captions.count >= 2)
    #expect(lesson.captions.contains { $0.phase == .forward } && lesson.captions.contains { $0.phase == .backward })
    for c in lesson.captions { #expect(c.text.count <= 120, "\(c.text.count) characters: \(c.text)") }
    // The session shows the last caption at or before the step, so forward captions must
    // ascend and backward ones descend (the backward phase runs from the last step), within each input (`i`).
    for input in 0...lesson.heldOut.count {
        let captions = lesson.captions.filter { $0.inputIndex == input }
        let forward = captions.filter { $0.phase == .forward }.map(\.step)
        let backward = captions.filter { $0.phase == .backward }.map(\.step)
        #expect(forward == forward.sorted() && Set(forward).count == forward.count, "input \(input + 1)")
        #expect(backward == backward.sorted(by: >) && Set(backward).count == backward.count, "input \(input + 1)")
    }
}

@Test("The default lesson is memory, and the lessons come in teaching order")
func teachingOrder() {
    #expect(Lesson.defaultLesson.name == "memory")
    let names = Lesson.builtin.map(\.name)
    #expect(names.first == "memory")
    func index(_ n: String) -> Int { names.firstIndex(of: n) ?? -1 }
    #expect(index("sharing") < index("one2one"))
    #expect(index("sigmoid") < index("bptt") && index("bptt") < index("truncated"))
    #expect(index("clouds") < index("vanishing") && index("vanishing") < index("exploding"))
    #expect(index("exploding") < index("nan") && index("nan") < index("lstm") && index("lstm") < index("gru"))
    #expect(index("deep") < index("shortcut") && index("shortcut") < index("skip"))
}

// MARK: - The numbers behind the narration

/// The built-in lesson `name`, required to exist.
private func builtin(_ name: String) throws -> Lesson { try #require(Lesson.builtin(named: name)) }

private func trace(_ lesson: Lesson, clipping: Clipping? = nil) throws -> Trace<Double> {
    var lesson = lesson
    if let clipping { lesson.clipping = clipping }
    return try lesson.trace().1
}

private func lastNorms(_ t: Trace<Double>, layer: Int = 0) -> [Double] {
    t.layers[layer].steps.map(\.lastLossGradientNorm)
}
private func param(_ t: Trace<Double>, _ name: String) throws -> Matrix<Double> {
    try #require(t.parameterNames.firstIndex(of: name).map { t.parameters[$0] })
}
private func grad(_ t: Trace<Double>, _ name: String) throws -> Matrix<Double> { try #require(t.gradient(name)) }
private func distance(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
    zip(a.storage, b.storage).map { ($0 - $1) * ($0 - $1) }.reduce(0, +).squareRoot()
}
/// `x Wᵀ` for a 1 × n row and an m × n weight.
private func times(_ x: Matrix<Double>, _ w: Matrix<Double>) -> [Double] {
    (0..<w.rows).map { i in (0..<w.cols).reduce(0.0) { $0 + x[0, $1] * w[i, $1] } }
}

@Test("memory: 'the' at steps 1 and 5 gives different states: the state remembers")
func memoryRemembers() throws {
    let lesson = try builtin("memory")
    #expect(lesson.tokens[0] == "the" && lesson.tokens[4] == "the")
    let t = try trace(lesson)
    #expect(distance(t.layers[0].steps[0].hidden, t.layers[0].steps[4].hidden) > 0.1)
}

@Test("sharing: both '1999's get the same W_ih column; only the W_hh h_{t-1} part differs")
func sharingUsesOneColumn() throws {
    let lesson = try builtin("sharing")
    #expect(lesson.tokens[5] == "1999" && lesson.tokens[8] == "1999")
    #expect(lesson.targetTokens[5] == "YEAR" && lesson.targetTokens[8] == "YEAR")
    #expect(lesson.targetTokens.filter { $0 == "YEAR" }.count == 2)
    let t = try trace(lesson)
    let w = try param(t, "weight_hh_l0")
    let steps = t.layers[0].steps
    func inputPart(_ c: Int) -> [Double] {
        zip(steps[c].preactivation.storage, times(steps[c - 1].hidden, w)).map { $0 - $1 }
    }
    for (a, b) in zip(inputPart(5), inputPart(8)) { #expect(abs(a - b) < 1e-12) }
    #expect(distance(steps[5].preactivation, steps[8].preactivation) > 0.05)
    #expect(t.columns == 13)
}

@Test("one2one: h0 = 0, so W_hh's gradient is exactly zero")
func oneToOneIsFeedForward() throws {
    let t = try trace(builtin("one2one"))
    #expect(t.columns == 1)
    #expect(try grad(t, "weight_hh_l0").storage.allSatisfy { $0 == 0 })
    #expect(try grad(t, "weight_ih_l0").maxAbs > 1e-3)
}

@Test("one2many: one input, then zeros; a loss at every step")
func oneToManyReadsOnce() throws {
    let t = try trace(builtin("one2many"))
    #expect(t.columns == 4 && t.lossColumns == [0, 1, 2, 3])
    #expect(t.inputs[0]?.maxAbs == 1)
    for c in 1..<4 { #expect((t.inputs[c]?.maxAbs ?? 0) == 0) }
    #expect(Double(t.layers[0].steps[0].hiddenGradient.norm) > 1e-3)
}

@Test("many2one: one loss at the end; the other outputs send no gradient")
func manyToOneSummarises() throws {
    let t = try trace(builtin("many2one"))
    #expect(t.lossColumns == [3])
    for c in 0..<3 { #expect((t.outputGradients[c]?.maxAbs ?? 0) == 0) }
    #expect(Double(t.layers[0].steps[0].hiddenGradient.norm) > 1e-4)
}

@Test("many2many: a loss at every step, and L is their sum")
func manyToManySums() throws {
    let t = try trace(builtin("many2many"))
    #expect(t.lossColumns == [0, 1, 2, 3])
    #expect(abs(t.losses.compactMap { $0 }.reduce(0, +) - t.loss) < 1e-12)
}

private func softmaxMinusOneHot(_ t: Trace<Double>, _ run: LessonRun<Double>, column c: Int) throws -> [Double] {
    let y = try #require(t.outputs[c]).storage
    let m = y.max() ?? 0
    let e = y.map { Foundation.exp($0 - m) }
    let s = e.reduce(0, +)
    guard case .classes(let classes) = run.sample.targets else { return [] }
    return e.enumerated().map { $1 / s - ($0 == classes[c][0] ? 1 : 0) }
}

@Test("the fed token is a constant: teacher forcing and free running both keep each ∂L/∂y_t local")
func feedbackGradients() throws {
    for lesson in try [builtin("teacher"), builtin("feedback")] {
        let run = lesson.materialize(as: Double.self)
        let t = try Engine.run(model: run.model, sample: run.sample, options: run.options)
        for c in 0..<t.columns {
            let expected = try softmaxMinusOneHot(t, run, column: c)
            let got = try #require(t.outputGradients[c]).storage
            let gap = zip(expected, got).map { abs($0 - $1) }.max() ?? 0
            #expect(gap < 1e-12, "\(lesson.name) step \(c + 1)")
        }
    }
}

/// The word each column's output chooses (row 0), by a plain scan of the logits.
private func chosenWords(_ t: Trace<Double>, _ run: LessonRun<Double>) throws -> [String] {
    try (0..<t.columns).map { c in
        let y = try #require(t.outputs[c]).row(0)
        var best = 0
        for j in y.indices where y[j] > y[best] { best = j }
        return run.vocabulary[best]
    }
}

/// The word a one-hot row 0 encodes, "0" for zeros.
private func word(_ m: Matrix<Double>?, _ run: LessonRun<Double>) throws -> String {
    let row = try #require(m).row(0)
    #expect(row.allSatisfy { $0 == 0 || $0 == 1 } && row.reduce(0, +) <= 1)
    return row.firstIndex(of: 1).map { run.vocabulary[$0] } ?? "0"
}

@Test(
    "feedback and teacher: trained, step 1 chooses 'les' and both feed the targets; on 'the clouds in the sky' free running compounds its error at step 3, teacher forcing recovers"
)
func exposureBiasCaptions() throws {
    func runs(_ name: String, tokens: String? = nil, targets: String? = nil) throws -> (LessonRun<Double>, Trace<Double>)
    {
        var lesson = try builtin(name)
        if let tokens { lesson.tokens = tokens.split(separator: " ").map(String.init) }
        if let targets { lesson.targets = targets.split(separator: " ").map(String.init) }
        #expect(lesson.problems.isEmpty)
        let run = lesson.materialize(as: Double.self)
        return (run, try Engine.run(model: run.model, sample: run.sample, options: run.options))
    }
    let (free, ft) = try runs("feedback"), (forced, tt) = try runs("teacher")
    let targets = free.targetLabels.compactMap { $0 }
    #expect(targets == ["les", "nuages", "sont", "dans", "le", "ciel"])
    // On its own sentence the trained model chooses every target, so running free feeds what teacher forcing feeds.
    #expect(try chosenWords(ft, free) == targets && chosenWords(tt, forced) == targets)
    #expect(try word(ft.fedBack[0], free) == "0" && word(tt.fedBack[0], forced) == "0")
    for c in 1..<6 {
        #expect(try word(ft.fedBack[c], free) == targets[c - 1], "step \(c + 1)")
        #expect(try word(tt.fedBack[c], forced) == targets[c - 1], "step \(c + 1)")
        #expect(ft.layers[0].steps[c].hidden == tt.layers[0].steps[c].hidden, "step \(c + 1)")
    }
    // 'the clouds in the sky', never trained: step 3 chooses 'sont' in both. Running free, 'sont' is fed to step 4,
    // whose wrong choice is fed to step 5: steps 3 to 5 are wrong. Teacher forcing feeds 'dans' and 'le': 4 of 5.
    let held = (tokens: "the clouds in the sky", targets: "les nuages dans le ciel")
    let (hf, hft) = try runs("feedback", tokens: held.tokens, targets: held.targets)
    let (hforced, htt) = try runs("teacher", tokens: held.tokens, targets: held.targets)
    let heldTargets = hf.targetLabels.compactMap { $0 }
    let freeWords = try chosenWords(hft, hf), forcedWords = try chosenWords(htt, hforced)
    #expect(freeWords[2] == "sont" && forcedWords[2] == "sont")
    #expect((0..<5).filter { freeWords[$0] == heldTargets[$0] } == [0, 1])
    #expect((0..<5).filter { forcedWords[$0] == heldTargets[$0] } == [0, 1, 3, 4])
    for c in 1..<5 {
        #expect(try word(hft.fedBack[c], hf) == freeWords[c - 1], "step \(c + 1)")
        #expect(try word(htt.fedBack[c], hforced) == heldTargets[c - 1], "step \(c + 1)")
    }
    // The states agree up to step 3 and differ from step 4, the first step fed a different word.
    for c in 0..<3 { #expect(hft.layers[0].steps[c].hidden == htt.layers[0].steps[c].hidden, "step \(c + 1)") }
    for c in 3..<5 {
        #expect(distance(hft.layers[0].steps[c].hidden, htt.layers[0].steps[c].hidden) > 1e-3, "step \(c + 1)")
    }
    // "W_fb still gets one" (small: the trained model's errors are small, and larger on the held-out sentence).
    #expect(try grad(ft, "weight_fb_l0").maxAbs > 0 && grad(hft, "weight_fb_l0").maxAbs > 1e-3)
}

@Test("caption lessons: v as input leaves h0 at zero; as h0 it sets it; both do both")
func vectorToSequence() throws {
    for (lesson, input, initial) in try [
        (builtin("caption"), true, false), (builtin("caption-h0"), false, true),
        (builtin("caption-both"), true, true)
    ] {
        let t = try trace(lesson)
        #expect(t.parameterNames.contains("weight_cond_l0") == input, "\(lesson.name)")
        #expect((t.layers[0].initialHidden.maxAbs > 0.01) == initial, "\(lesson.name)")
        #expect(Double(try #require(t.conditioningGradient).norm) > 1e-4, "\(lesson.name)")
        #expect(t.columns == 6 && lesson.targetTokens == ["the", "clouds", "are", "in", "the", "sky"])
    }
}

@Test("seq2seq lessons: C is the encoder's last state; it reaches the decoder as set; the encoder learns")
func encoderDecoderContext() throws {
    for (lesson, initial) in try [
        (builtin("seq2seq"), false), (builtin("seq2seq-h0"), true), (builtin("seq2seq-both"), true)
    ] {
        let t = try trace(lesson)
        #expect(t.decoderStartColumn == 4 && t.columns == 9)
        let encoder = t.layers(in: "encoder.")[0], decoder = t.layers(in: "decoder.")[0]
        #expect(try #require(t.context) == encoder.steps[3].hidden)
        #expect((decoder.initialHidden.maxAbs > 0.01) == initial, "\(lesson.name)")
        // Trained, every loss is small, and so is the gradient reaching the encoder's first step (about 1e-5).
        #expect(Double(encoder.steps[0].hiddenGradient.norm) > 1e-7, "\(lesson.name)")
    }
}

@Test("bidir: the loss at step 2 reaches the past only through h and the future only through g")
func bidirectionalPaths() throws {
    let t = try trace(builtin("bidir"))
    let h = try #require(t.layers.first { !$0.reverse }), g = try #require(t.layers.first { $0.reverse })
    #expect(t.lossColumns == [1])
    for c in [2, 3] { #expect(h.steps[c].hiddenGradient.maxAbs == 0) }
    #expect(g.steps[0].hiddenGradient.maxAbs == 0)
    #expect(h.steps[0].hiddenGradient.maxAbs > 1e-5 && g.steps[3].hiddenGradient.maxAbs > 1e-5) // trained: the loss is 0.003
}

@Test("activation lessons: the derivative bounds and the saturated and dead units the captions name")
func activationFacts() throws {
    let sig = try trace(builtin("sigmoid")), th = try trace(builtin("tanh")), re = try trace(builtin("relu"))
    let sigma = try #require(sig.recurrent.first).largestSingularValue
    #expect(abs(sigma - 3.2) < 0.05) // "σmax(W_hh) = 3.2"
    // Sigmoid: σ' = h(1 − h) ≤ 1/4, so each step's Jacobian is at most σmax/4.
    for s in sig.layers[0].steps {
        #expect(s.hidden.storage.allSatisfy { $0 * (1 - $0) <= 0.25 })
        #expect(s.jacobianNorm <= sigma / 4 + 1e-9)
    }
    let unit2 = sig.layers[0].steps[1]
    #expect(unit2.preactivation[0, 1] < -2.25 && unit2.preactivation[0, 1] > -2.35)
    #expect(unit2.hidden[0, 1] * (1 - unit2.hidden[0, 1]) < 0.085)
    let sigFade = lastNorms(sig)[5] / lastNorms(sig)[0]
    #expect(sigFade > 20 && sigFade < 25) // "fell over 20-fold in 5 steps"
    // tanh: tanh' = 1 − h² ≤ 1; four saturated units at step 5; no fading here.
    for s in th.layers[0].steps { #expect(s.jacobianNorm <= sigma + 1e-9) }
    let step5 = th.layers[0].steps[4]
    #expect(
        zip(step5.preactivation.storage, step5.hidden.storage).filter { abs($0) > 1.7 && 1 - $1 * $1 < 0.12 }.count == 4
    )
    #expect(lastNorms(th)[0] > lastNorms(th)[5])
    // ReLU: h = max(0, a), derivative 0 or 1; five dead units at step 2.
    for s in re.layers[0].steps {
        for (a, h) in zip(s.preactivation.storage, s.hidden.storage) { #expect(h == max(0, a)) }
        #expect(s.jacobianNorm <= sigma + 1e-9)
    }
    #expect(re.layers[0].steps[1].hidden.storage.filter { $0 == 0 }.count == 5)
}

@Test("bptt: ∂L/∂W_hh is Σ_t (tanh'(a_t) ⊙ ∂L/∂h_t) h_{t-1}ᵀ, the sum over time the caption states")
func bpttSumsOverTime() throws {
    let t = try trace(builtin("bptt"))
    let layer = t.layers[0], h = layer.hiddenSize
    var sum = Matrix<Double>(rows: h, cols: h)
    for (i, s) in layer.steps.enumerated() {
        let previous = i == 0 ? layer.initialHidden : layer.steps[i - 1].hidden
        for r in 0..<h {
            let delta = (1 - s.hidden[0, r] * s.hidden[0, r]) * s.hiddenGradient[0, r]
            for c in 0..<h { sum[r, c] += delta * previous[0, c] }
        }
    }
    #expect(distance(sum, try grad(t, "weight_hh_l0")) < 1e-12)
    #expect(try grad(t, "weight_hh_l0").maxAbs > 1e-3)
}

@Test("truncated: same forward pass; the last loss's gradient stops at the cut before step 9")
func truncationCuts() throws {
    let t = try trace(builtin("truncated"))
    var full = try builtin("truncated")
    full.truncation = nil
    let f = try trace(full)
    for (a, b) in zip(t.layers[0].steps, f.layers[0].steps) { #expect(distance(a.hidden, b.hidden) == 0) }
    let norms = lastNorms(t)
    for c in 0..<8 { #expect(norms[c] == 0) }
    #expect(norms[8] > 1e-3 && lastNorms(f)[4] > 1e-4)
    #expect(try builtin("truncated").tokens[4] == "France" && builtin("truncated").targetTokens[8] == "French")
    // Chunk 2's states get no gradient from chunk 3's losses: ∂L/∂h8 differs from full BPTT's.
    #expect(distance(t.layers[0].steps[7].hiddenGradient, f.layers[0].steps[7].hiddenGradient) > 1e-4)
}

@Test(
    "clouds vs vanishing: about a ninth of the gradient survives a gap of 3 (trained, W_hh kept at 0.6), about 2% a gap of 7, 0.2% a gap of 11"
)
func longTermDependencies() throws {
    let short = lastNorms(try trace(builtin("clouds")))
    let ratio = short[1] / short[4]
    #expect(ratio > 0.09 && ratio < 0.13)
    let v = try trace(builtin("vanishing"))
    let long = lastNorms(v)
    #expect(try builtin("vanishing").tokens[4] == "France" && long.count == 12)
    let atFrance = long[11] / long[4], atStart = long[11] / long[0]
    #expect(atFrance > 40 && atFrance < 60) // "about 50 times smaller"
    #expect(atStart > 400 && atStart < 600) // "at step 1 about 500"
    let sigma = try #require(v.recurrent.first).largestSingularValue
    #expect(abs(sigma - 0.6) < 1e-9)
    for s in v.layers[0].steps { #expect(s.jacobianNorm <= 0.6 + 1e-9) }
}

@Test("exploding: the gradient grows about 2.5× per step back; clipping at norm 1 matters")
func explodingGrows() throws {
    let t = try trace(builtin("exploding"))
    let norms = lastNorms(t)
    for c in 0..<7 { #expect(norms[c] / norms[c + 1] > 2.3 && norms[c] / norms[c + 1] < 2.7) }
    #expect(norms[0] / norms[7] > 500)
    #expect(t.nonFiniteForwardColumn == nil && t.nonFiniteBackwardColumn == nil)
    let clipped = try trace(builtin("exploding"), clipping: .norm(1))
    #expect(clipped.clip.clipped && clipped.clip.normBefore > 100 && abs(clipped.clip.normAfter - 1) < 1e-6)
}

@Test("nan: in Float the loss overflows at step 15, the gradient at step 4, and clipping gives NaN")
func overflowToNaN() throws {
    var lesson = try builtin("nan")
    let t = try trace(lesson)
    #expect(t.nonFiniteForwardColumn == 14)
    #expect(t.losses[13]?.isFinite == true && t.losses[14] == .infinity)
    #expect(t.layers[0].steps.allSatisfy { $0.hidden.isFinite })
    #expect(t.nonFiniteBackwardColumn == 3)
    #expect(!t.layers[0].steps[3].hiddenGradient.isFinite && t.layers[0].steps[4].hiddenGradient.isFinite)
    let clipped = try trace(lesson, clipping: .norm(1))
    // "the gradient already holds NaN, so ‖g‖ is NaN, so is max/‖g‖, and so is every clipped entry" (issue 21, item 15).
    #expect(clipped.gradients.contains { $0.storage.contains { $0.isNaN } })
    #expect(clipped.clip.normBefore.isNaN && clipped.clip.normAfter.isNaN)
    #expect(clipped.clippedGradients.allSatisfy { $0.storage.allSatisfy { $0.isNaN } })
    lesson.precision = .float64
    let double = try trace(lesson)
    #expect(double.nonFiniteForwardColumn == nil && double.loss.isFinite) // Double does not overflow here
}

@Test("lstm: the cell path multiplies by f < 1; a plain RNN fades fast over 8 steps")
func lstmCellPath() throws {
    let t = try trace(builtin("lstm"))
    for s in t.layers[0].steps { #expect(s.cellJacobianNorm < 1 && s.cellJacobianNorm > 0.5) }
    // The trained lesson's own gradient numbers are pinned in SemanticLessonTests.
    let rnn = lastNorms(try trace(builtin("vanishing")))
    #expect(rnn[3] / rnn[11] < 0.02) // 8 steps back in a plain RNN
}

@Test("gru: 3 gate blocks to the LSTM's 4: 270 recurrent-layer parameters against 360")
func gruHasFewerParameters() throws {
    let gru = try builtin("gru")
    func count(_ cell: CellKind) -> Int {
        var lesson = gru
        lesson.cell = cell
        return lesson.spec.parameterLayout.filter { !$0.name.hasPrefix("output") }.map { $0.rows * $0.cols }.reduce(
            0, +)
    }
    #expect(count(.gru) == 270 && count(.lstm) == 360)
}

@Test("stacked: three layers, and layer 0 at step 1 receives gradient")
func stackedLayers() throws {
    let t = try trace(builtin("stacked"))
    #expect(t.layers.count == 3 && t.layers.map(\.layer) == [0, 1, 2])
    #expect(Double(t.layers[0].steps[0].hiddenGradient.norm) > 1e-5)
}

@Test("deep transition fades faster than the shallow RNN; the shortcut and skip bring the gradient back")
func deepTransitionPaths() throws {
    func fade(_ lesson: Lesson) throws -> Double {
        let n = lastNorms(try trace(lesson))
        return n[0] / n[n.count - 1]
    }
    var shallow = try builtin("deep")
    shallow.deep = DeepTransition()
    let deep = try fade(builtin("deep")), flat = try fade(shallow), short = try fade(builtin("shortcut"))
    #expect(deep < flat / 10)
    #expect(short > deep * 100)
    var noSkip = try builtin("skip")
    noSkip.skip = nil
    let withSkip = try fade(builtin("skip")), without = try fade(noSkip)
    #expect(withSkip > without * 10)
}

@Test("seq2seq vs seq2seq-h0: C at every step gives the encoder's last state more gradient than C as h0 alone")
func contextAsInputReachesTheEncoder() throws {
    let input = try trace(builtin("seq2seq")), initial = try trace(builtin("seq2seq-h0"))
    func last(_ t: Trace<Double>) -> StepTrace<Double> { t.layers(in: "encoder.")[0].steps[3] }
    #expect(Double(last(input).hiddenGradient.norm) > 2 * Double(last(initial).hiddenGradient.norm))
    #expect(last(input).lastLossGradientNorm > 10 * last(initial).lastLossGradientNorm)
}
