import Foundation
import Testing

@testable import UnrollEngine

/// The Trace's diagnostic sweeps carry gradients along the states only; what they report must still be the
/// gradient of the one loss, whether the engine runs a sweep of its own or reuses the loss sweep (one loss).

@Test("A diagnostic pass still gives an input's gradient through the input projection when it asks for it")
func diagnosticPassReadsInputThroughProjection() throws {
    let tape = Tape<Double>()
    let x = tape.leaf(Matrix(rows: 1, cols: 2, storage: [1, 2]))
    let w = tape.leaf(Matrix(rows: 2, cols: 2, storage: [3, 4, 5, 6]))
    let y = tape.projectRows([x], w) // x·Wᵀ = [1·3 + 2·4, 1·5 + 2·6] = [11, 17]
    #expect(tape.value(y).storage == [11, 17])
    // ∂(y₁ + y₂)/∂x = [3 + 5, 4 + 6], by hand.
    let grads = tape.gradients(of: y, withRespectTo: [x])
    let g = try #require(grads.first)
    #expect(g.storage == [8, 10])
}

/// A one-unit linear RNN (identity activation, H = I = O = 1, B = 1): h_t = w·h_{t-1} + u·x_t + b_ih + b_hh,
/// y_t = v·h_t + c, L_T = (y_T − target_T)². By hand, ∂L_T/∂h_t = 2(y_T − target_T)·v·w^(T−1−t).
@Test(
    "lastLossGradientNorm is |∂L_T/∂h_t| by hand, with one loss (the loss sweep's own) and with a loss at every step (a sweep of its own)",
    arguments: [Configuration.manyToOne, .manyToMany])
func lastLossNormsByHand(configuration: Configuration) throws {
    let spec = ModelSpec(
        cell: .rnn, activation: .identity, inputSize: 1, hiddenSizes: [1], outputSize: 1,
        configuration: configuration)
    let model = Model<Double>(spec: spec, seed: 3)
    func value(_ name: String) throws -> Double {
        let i = try #require(model.layout.firstIndex { $0.name == name }, "no parameter \(name)")
        return try #require(model.values[i].storage.first)
    }
    let w = try value("weight_hh_l0"), u = try value("weight_ih_l0"), b = try value("bias_ih_l0") + value("bias_hh_l0")
    let v = try value("output.weight"), c = try value("output.bias")
    let xs: [Double] = [0.5, -1, 0.25, 2], targets: [Double] = [0.1, -0.3, 0.7, 0.2]
    let sample = Sample<Double>(
        inputs: xs.map { Matrix(row: [$0]) }, targets: .values(targets.map { Matrix(row: [$0]) }))
    var options = RunOptions(recordJacobians: false, recordSpectra: false)
    options.focusLoss = .last
    let trace = try Engine.run(model: model, sample: sample, options: options)

    var h = 0.0
    for x in xs { h = w * h + u * x + b }
    let dLast = 2 * (v * h + c - targets[xs.count - 1]) * v
    let steps = trace.layers[0].steps
    try #require(steps.count == xs.count)
    for t in 0..<xs.count {
        let expected = abs(dLast * pow(w, Double(xs.count - 1 - t)))
        #expect(abs(steps[t].lastLossGradientNorm - expected) <= 1e-12 * max(1, expected), "step \(t)")
        #expect(abs(steps[t].focusLossGradientNorm - expected) <= 1e-12 * max(1, expected), "step \(t), focus")
    }
}

/// The shared sweep (the last loss's adjoint carried through the loss sweep's replay, two right-hand sides per
/// product) against the separate diagnostic sweep after it (`Tape.gradients(of:withRespectTo:)`, the path it
/// replaces): the same last-loss norms within 1e-12, and the rest of the trace unchanged.
@Test(
    "The shared sweep's last-loss norms equal a separate sweep's within 1e-12, and the trace is unchanged",
    arguments: 0..<4, [1, 3])
func sharedSweepMatchesSeparate(case index: Int, batch: Int) throws {
    // RNN and GRU on the tape, LSTM through the sequence kernel and on the tape.
    let cases: [(CellKind, Bool)] = [(.rnn, true), (.gru, true), (.lstm, true), (.lstm, false)]
    try #require(cases.count == 4)
    let (cell, kernel) = cases[index]
    let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [4, 5], outputSize: 2)
    try #require(spec.problems().isEmpty)
    let model = Model<Double>(spec: spec, seed: 13)
    let sample: Sample<Double> = randomSample(spec, steps: 6, batch: batch, seed: 9)
    var options = RunOptions(recordJacobians: false, recordSpectra: false)
    options.focusLoss = .last
    func pass() throws -> ForwardPass<Double> {
        try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: kernel)
    }
    let separatePass = try pass(), sharedPass = try pass()
    if cell == .lstm {
        // The kernel ran or not, as asked: one group per layer has far fewer nodes than the per-step ones.
        let plain = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: false)
        #expect((sharedPass.unroller.tape.count < plain.unroller.tape.count) == kernel)
    }
    let separate = try #require(Engine.backward(separatePass, sharedSweep: false))
    let shared = try #require(Engine.backward(sharedPass, sharedSweep: true))
    func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-12 * max(1, abs(a), abs(b)) }
    func close(_ a: Matrix<Double>?, _ b: Matrix<Double>?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.rows == b.rows && a.cols == b.cols && zip(a.storage, b.storage).allSatisfy { close($0, $1) }
    }
    try #require(shared.layers.count == 2 && separate.layers.count == 2)
    var differsFromTotal = false
    for (ls, lp) in zip(shared.layers, separate.layers) {
        try #require(ls.steps.count == 6 && lp.steps.count == 6)
        for t in 0..<6 {
            let s = ls.steps[t], p = lp.steps[t], at = "\(ls.label) step \(t)"
            #expect(p.lastLossGradientNorm.isFinite && p.lastLossGradientNorm > 0, "\(at): a last-loss norm")
            #expect(close(s.lastLossGradientNorm, p.lastLossGradientNorm), "\(at) last-loss norm")
            #expect(close(s.focusLossGradientNorm, p.focusLossGradientNorm), "\(at) focus norm")
            if cell == .lstm { #expect(close(s.focusLossCellGradientNorm, p.focusLossCellGradientNorm), "\(at) c") }
            #expect(close(s.hiddenGradient, p.hiddenGradient), "\(at) ∂h")
            #expect(close(s.cellGradient, p.cellGradient), "\(at) ∂c")
            if !close(p.lastLossGradientNorm, p.hiddenGradientNorm) { differsFromTotal = true }
        }
        #expect(close(ls.initialHiddenGradient, lp.initialHiddenGradient), "\(ls.label) ∂h₀")
    }
    // A loss at every step: the last loss's gradient is not the total's, so a second adjoint really ran.
    #expect(differsFromTotal)
    try #require(shared.gradients.count == separate.gradients.count && !shared.gradients.isEmpty)
    for (name, (a, b)) in zip(shared.parameterNames, zip(shared.gradients, separate.gradients)) {
        #expect(close(a, b), "∂\(name)")
    }
    try #require(shared.columns == separate.columns && shared.columns == 6)
    for c in 0..<shared.columns { #expect(close(shared.inputGradients[c], separate.inputGradients[c]), "∂x \(c)") }
}
