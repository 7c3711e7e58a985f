import Foundation
import Testing

@testable import UnrollEngine

/// ∂L/∂c_t in the trace is the total gradient along the LSTM cell: from c_{t+1} and through h_t = o_t ⊙ tanh(c_t).

private let cellSpec = ModelSpec(
    cell: .lstm, activation: .tanh, inputSize: 2, hiddenSizes: [2], outputSize: 2,
    configuration: .manyToMany)

private func parameter(_ model: Model<Double>, _ name: String) throws -> Matrix<Double> {
    let i = try #require(model.layout.firstIndex { $0.name == name }, "no parameter \(name)")
    return model.values[i]
}

/// The total loss of a one-layer LSTM with a linear output and per-step MSE, written out here in Double
/// with Foundation's `exp` and `tanh`, with `delta` added to entry `k` (row-major over `B × H`) of c at
/// step `t` right after c_t is computed, so it reaches the loss through h_t and through c_{t+1}.
/// Independent of the code under test: it shares only the parameter values and the sample with the
/// engine, not its tape, fused cell kernel, tanh or backward pass; the derivative it gives is by
/// finite differences of this forward.
private func handLoss(
    _ model: Model<Double>, _ sample: Sample<Double>, lossSteps: [Int],
    perturb t: Int, entry k: Int, by delta: Double
) throws -> Double {
    let wih = try parameter(model, "weight_ih_l0"), whh = try parameter(model, "weight_hh_l0")
    let bih = try parameter(model, "bias_ih_l0"), bhh = try parameter(model, "bias_hh_l0")
    let wo = try parameter(model, "output.weight"), bo = try parameter(model, "output.bias")
    guard case .values(let targets) = sample.targets else { throw EngineError(problems: ["MSE targets expected"]) }
    let b = sample.batchSize, h = 2, o = 2
    var hs = try #require(sample.initialHidden["l0"]), cs = try #require(sample.initialCell["l0"])
    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    var total = 0.0
    for step in 0..<sample.steps {
        let x = sample.inputs[step]
        var hNew = hs, cNew = cs
        for r in 0..<b {
            var pre = [Double](repeating: 0, count: 4 * h)
            for n in 0..<(4 * h) {
                pre[n] = bih.storage[n] + bhh.storage[n]
                for j in 0..<x.cols { pre[n] += wih[n, j] * x[r, j] }
                for j in 0..<h { pre[n] += whh[n, j] * hs[r, j] }
            }
            for j in 0..<h {
                let i = sigmoid(pre[j]), f = sigmoid(pre[h + j]), g = tanh(pre[2 * h + j]), og = sigmoid(pre[3 * h + j])
                var c = f * cs[r, j] + i * g
                if step == t && r * h + j == k { c += delta }
                cNew[r, j] = c
                hNew[r, j] = og * tanh(c)
            }
        }
        hs = hNew
        cs = cNew
        guard lossSteps.contains(step) else { continue }
        var sum = 0.0
        for r in 0..<b {
            for n in 0..<o {
                var y = bo.storage[n]
                for j in 0..<h { y += wo[n, j] * hs[r, j] }
                let d = y - targets[step][r, n]
                sum += d * d
            }
        }
        total += sum / Double(b * o)
    }
    return total
}

@Test(
    "∂L/∂c_t matches finite differences of a hand-written LSTM, every step (loss at every step, or at step 1 only)",
    arguments: [[0, 1, 2], [1]])
func cellGradientMatchesHandWrittenLSTM(_ lossSteps: [Int]) throws {
    let model = Model<Double>(spec: cellSpec, initialization: Initialization(), seed: 5)
    let sample = randomSample(cellSpec, steps: 3, seed: 11, as: Double.self)
    let options = RunOptions(lossSteps: .only(lossSteps))
    let trace = try Engine.run(model: model, sample: sample, options: options)
    let layer = try #require(trace.layers.first)
    // The hand-written forward is the same model: its loss agrees with the engine's.
    let unperturbed = try handLoss(model, sample, lossSteps: lossSteps, perturb: -1, entry: 0, by: 0)
    #expect(abs(unperturbed - trace.loss) < 1e-12 * max(1, abs(trace.loss)))
    try #require(layer.steps.count == 3)
    for t in 0..<3 {
        let analytic = try #require(layer.steps[t].cellGradient)
        let numeric = try numericGradient(count: analytic.count) { k, delta in
            try handLoss(model, sample, lossSteps: lossSteps, perturb: t, entry: k, by: delta)
        }
        // Floor: the five-point difference's rounding noise is about 1e-14 here.
        let err = relativeError(
            analytic, Matrix(rows: analytic.rows, cols: analytic.cols, storage: numeric), floor: 1e-6)
        #expect(err < 1e-7, "∂L/∂c_\(t): relative error \(err), analytic \(analytic.storage), numeric \(numeric)")
        // After the last loss step nothing depends on c_t; at or before it the gradient is not zero.
        #expect((analytic.norm == 0) == (t > (lossSteps.max() ?? -1)), "∂L/∂c_\(t) norm \(analytic.norm)")
    }
}

@Test("∂L/∂c_0 (the sample's initial cell state) matches finite differences of the engine's loss, loss at step 1 only")
func initialCellGradientMatchesFiniteDifferences() throws {
    let model = Model<Double>(spec: cellSpec, initialization: Initialization(), seed: 5)
    let sample = randomSample(cellSpec, steps: 3, seed: 11, as: Double.self)
    let options = RunOptions(lossSteps: .only([1]))
    let trace = try Engine.run(model: model, sample: sample, options: options)
    let analytic = try #require(trace.layers.first?.initialCellGradient)
    let numeric = try numericGradient(count: analytic.count) { k, delta in
        var s = sample
        s.initialCell["l0"]?.storage[k] += delta
        return try Engine.loss(model: model, sample: s, options: options)
    }
    let err = relativeError(analytic, Matrix(rows: analytic.rows, cols: analytic.cols, storage: numeric), floor: 1e-6)
    #expect(err < 1e-7, "∂L/∂c_0: relative error \(err)")
    #expect(analytic.norm > 1e-6)
}

@Test(
    "At the last step ∂L/∂c_T = ∂L/∂h_T ⊙ o_T ⊙ (1 − tanh²(c_T)), not zero",
    arguments: [Configuration.manyToMany, .manyToOne])
func lastCellGradientIsTheHiddenPath(_ configuration: Configuration) throws {
    var spec = cellSpec
    spec.configuration = configuration
    let model = Model<Double>(spec: spec, initialization: Initialization(), seed: 2)
    let sample = randomSample(spec, steps: 4, seed: 3, as: Double.self)
    let trace = try Engine.run(model: model, sample: sample)
    let last = try #require(trace.layers.first?.steps.last)
    let dc = try #require(last.cellGradient), c = try #require(last.cell)
    try #require(last.gates.count == 4)
    let o = last.gates[3], dh = last.hiddenGradient
    var expected = dh
    for k in expected.storage.indices {
        let t = tanh(c.storage[k])
        expected.storage[k] = dh.storage[k] * o.storage[k] * (1 - t * t)
    }
    #expect(dh.norm > 1e-6)
    #expect(dc.norm > 1e-6)
    #expect(relativeError(dc, expected, floor: 1e-12) < 1e-12, "\(dc.storage) vs \(expected.storage)")
}
