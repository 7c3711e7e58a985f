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
