import Foundation
import Testing

@testable import UnrollEngine

// The notes' sum ∂L/∂W_hh = Σ_t δ_t h_{t-1}ᵀ as the engine records it (`Engine.recurrentWeightTerms`,
// `LayerTrace.recurrentTermNorms`, `recurrentSumNorms`): the terms add up to the trace's own ∂L/∂W_hh, each term is
// δ_t h_{t-1}ᵀ computed here from the trace's states and state gradients, and each is the derivative of the loss with
// respect to the copy of W_hh that step alone uses, by finite differences of a forward pass written out here.

/// The trace and the per-step terms of one case, with the checks every case shares: one term per step, the terms
/// summing to ∂L/∂W_hh, their norms and running sums as the trace records them.
private func checkedTerms(_ c: ArchitectureCase) throws -> (Trace<Double>, [[Matrix<Double>]]) {
    let model = Model<Double>(spec: c.spec, initialization: Initialization(), seed: c.seed)
    let sample = randomSample(c.spec, steps: c.steps, inputSteps: c.inputSteps, loss: c.loss, as: Double.self)
    var options = c.options
    options.loss = c.loss
    let trace = try Engine.run(model: model, sample: sample, options: options)
    let terms = try Engine.recurrentWeightTerms(model: model, sample: sample, options: options)
    try #require(terms.count == trace.layers.count && !terms.isEmpty, "\(c.name): one list of terms per layer")
    for (layer, own) in zip(trace.layers, terms) {
        try #require(own.count == layer.steps.count && !own.isEmpty, "\(c.name) \(layer.label): one term per step")
        let w = try #require(trace.parameterNames.firstIndex(of: layer.recurrentWeightName))
        var sum = Matrix<Double>(rows: own[0].rows, cols: own[0].cols)
        for t in own { BLAS.axpy(1, t, &sum) }
        let err = relativeError(sum, trace.gradients[w], floor: 1e-12)
        #expect(err < 1e-12, "\(c.name) \(layer.label): Σ_t terms against ∂L/∂W_hh, relative error \(err)")
        try #require(layer.recurrentTermNorms.count == own.count && layer.recurrentSumNorms.count == own.count)
        // The trace's norms come from Gram matrices of the stacked δ and h rows, not from these matrices: they agree
        // to rounding, on the scale of the terms' norms added up.
        let scale = 1e-9 * max(1, own.map(\.norm).reduce(0, +))
        for (k, t) in own.enumerated() {
            #expect(abs(layer.recurrentTermNorms[k] - t.norm) <= scale, "\(c.name) step \(k + 1)")
        }
        // The running sum in the order the backward sweep reaches the steps ends at the whole gradient.
        let whole = layer.reverse ? own.count - 1 : 0
        let g = trace.gradients[w].norm
        #expect(abs(layer.recurrentSumNorms[whole] - g) <= scale, "\(c.name) \(layer.label)")
        let last = layer.reverse ? 0 : own.count - 1
        #expect(abs(layer.recurrentSumNorms[last] - own[last].norm) <= scale)
        // Every partial sum, formed here from the matrices.
        var partial = Matrix<Double>(rows: own[0].rows, cols: own[0].cols)
        for k in (layer.reverse ? Array(own.indices) : own.indices.reversed()) {
            BLAS.axpy(1, own[k], &partial)
            #expect(abs(layer.recurrentSumNorms[k] - partial.norm) <= scale, "\(c.name) sum at step \(k + 1)")
        }
    }
    return (trace, terms)
}

@Test("The per-step terms of ∂L/∂W_hh sum to the engine's gradient, for every architecture", arguments: gradientCases)
func recurrentTermsSumToTheGradient(_ c: ArchitectureCase) throws {
    _ = try checkedTerms(c)
}

@Test("A forward-only trace records no term norms (NaN), a whole one records them")
func recurrentTermsWaitForTheBackwardPass() throws {
    let spec = ModelSpec(cell: .rnn, activation: .tanh, inputSize: 2, hiddenSizes: [3], outputSize: 2)
    let model = Model<Double>(spec: spec, initialization: Initialization(), seed: 3)
    let sample = randomSample(spec, steps: 4, as: Double.self)
    let pass = try Engine.forward(model: model, sample: sample)
    let early = try #require(pass.trace.layers.first)
    #expect(early.recurrentTermNorms.count == 4 && early.recurrentTermNorms.allSatisfy(\.isNaN))
    let whole = try #require(pass.backward().layers.first)
    #expect(whole.recurrentTermNorms.count == 4 && whole.recurrentTermNorms.allSatisfy { $0.isFinite && $0 > 0 })
}

/// A tanh RNN case: many-to-many, MSE, batch 2, four steps, random initial states.
private let tanhCase = ArchitectureCase(
    name: "rnn-tanh plain",
    spec: ModelSpec(cell: .rnn, activation: .tanh, inputSize: 2, hiddenSizes: [3], outputSize: 2), steps: 4)

@Test("Each term is δ_t h_{t-1}ᵀ with δ_t = (1 − h_t²) ⊙ ∂L/∂h_t, from the trace's states and gradients")
func recurrentTermsByHand() throws {
    let (trace, terms) = try checkedTerms(tanhCase)
    let layer = try #require(trace.layers.first), own = try #require(terms.first)
    try #require(own.count == 4)
    for k in 0..<4 {
        let h = layer.steps[k].hidden, g = layer.steps[k].hiddenGradient
        let previous = k == 0 ? layer.initialHidden : layer.steps[k - 1].hidden
        var hand = Matrix<Double>(rows: 3, cols: 3)
        for b in 0..<h.rows {
            for i in 0..<3 {
                let delta = (1 - h[b, i] * h[b, i]) * g[b, i]
                for j in 0..<3 { hand[i, j] += delta * previous[b, j] }
            }
        }
        let err = relativeError(own[k], hand, floor: 1e-12)
        #expect(err < 1e-12, "step \(k + 1): relative error \(err)")
        #expect(abs(layer.recurrentTermNorms[k] - hand.norm) < 1e-9, "step \(k + 1)")
    }
}

@Test("Each term is ∂L/∂W_hh of that step's copy of W_hh alone, by finite differences of a forward pass written here")
func recurrentTermsMatchFiniteDifferences() throws {
    let c = tanhCase
    let model = Model<Double>(spec: c.spec, initialization: Initialization(), seed: c.seed)
    let sample = randomSample(c.spec, steps: c.steps, loss: .mse, as: Double.self)
    var options = RunOptions()
    options.loss = .mse
    let terms = try #require(try Engine.recurrentWeightTerms(model: model, sample: sample, options: options).first)
    func value(_ name: String) throws -> Matrix<Double> {
        let i = try #require(model.layout.firstIndex { $0.name == name }, "no \(name)")
        return model.values[i]
    }
    let wih = try value("weight_ih_l0"), whh = try value("weight_hh_l0"), bih = try value("bias_ih_l0")
    let bhh = try value("bias_hh_l0"), why = try value("output.weight"), by = try value("output.bias")
    let h0 = try #require(sample.initialHidden["l0"])
    guard case .values(let targets) = sample.targets else {
        Issue.record("MSE targets expected")
        return
    }
    let (hs, os, batch) = (3, 2, h0.rows)
    /// The loss with step `step`'s W_hh entry `k` moved by `delta`: Σ_t mean over batch and outputs of (y − target)².
    func loss(step: Int, _ k: Int, _ delta: Double) -> Double {
        var total = 0.0
        var h = (0..<batch).map { b in (0..<hs).map { h0[b, $0] } }
        for t in 0..<c.steps {
            var w = whh
            if t == step { w.storage[k] += delta }
            var step = 0.0
            for b in 0..<batch {
                let x = sample.inputs[t].row(b)
                let next = (0..<hs).map { i in
                    var a = bih.storage[i] + bhh.storage[i]
                    for j in x.indices { a += wih[i, j] * x[j] }
                    for j in 0..<hs { a += w[i, j] * h[b][j] }
                    return Foundation.tanh(a)
                }
                h[b] = next
                for o in 0..<os {
                    var y = by.storage[o]
                    for j in 0..<hs { y += why[o, j] * next[j] }
                    step += (y - targets[t][b, o]) * (y - targets[t][b, o])
                }
            }
            total += step / Double(batch * os)
        }
        return total
    }
    let engineLoss = try Engine.loss(model: model, sample: sample, options: options)
    #expect(abs(loss(step: -1, 0, 0) - engineLoss) < 1e-12, "the forward pass written here is the engine's")
    try #require(terms.count == c.steps)
    for t in 0..<c.steps {
        let numeric = numericGradient(count: hs * hs) { k, delta in loss(step: t, k, delta) }
        let err = relativeError(terms[t], Matrix(rows: hs, cols: hs, storage: numeric), floor: 1e-9)
        #expect(err < 1e-7, "step \(t + 1): relative error \(err)")
    }
}
