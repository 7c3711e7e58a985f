import Foundation
import Testing

@testable import UnrollEngine

/// The one-hot rows of each row's largest entry, found here by a plain scan (not `argmaxRows`).
private func oneHotOfLargest(_ m: Matrix<Double>) -> [[Double]] {
    (0..<m.rows).map { r in
        var best = 0
        for c in 1..<m.cols where m[r, c] > m[r, best] { best = c }
        return (0..<m.cols).map { $0 == best ? 1 : 0 }
    }
}

private func rows(_ m: Matrix<Double>) -> [[Double]] { (0..<m.rows).map { m.row($0) } }

@Test(
    "The dashed line feeds zeros at step 1, then the one-hot of argmax y_{t-1} running free or of target t-1 with teacher forcing",
    arguments: [Feedback.output, .teacherForcing], [LossKind.crossEntropy, .mse])
func fedValueIsTheToken(_ feedback: Feedback, _ loss: LossKind) throws {
    let spec = ModelSpec(cell: .rnn, inputSize: 3, hiddenSizes: [5], outputSize: 4, feedback: feedback)
    let model = Model<Double>(spec: spec, initialization: Initialization(scheme: .normal, std: 0.8), seed: 12)
    let sample = randomSample(spec, steps: 6, batch: 3, seed: 4, loss: loss, as: Double.self)
    let trace = try Engine.run(model: model, sample: sample, options: RunOptions(loss: loss))
    #expect(trace.fedBack.count == 6)
    for c in 0..<6 {
        let fed = try #require(trace.fedBack[c], "column \(c)")
        let expected: [[Double]]
        if c == 0 {
            expected = Array(repeating: [0, 0, 0, 0], count: 3)
        } else if feedback == .output {
            expected = oneHotOfLargest(try #require(trace.outputs[c - 1]))
        } else {
            switch sample.targets {
            case .classes(let k): expected = k[c - 1].map { t in (0..<4).map { $0 == t ? 1 : 0 } }
            case .values(let v): expected = oneHotOfLargest(v[c - 1])
            }
        }
        #expect(rows(fed) == expected, "column \(c)")
    }
    // Running free the model's choices differ between rows and steps: the test is not of a constant.
    if feedback == .output { #expect(Set(trace.fedBack.dropFirst().compactMap { $0.map(rows) }).count > 1) }
}

@Test("An encoder–decoder feeds back in the decoder only, zeros at its first step")
func fedValueInTheDecoder() throws {
    let spec = ModelSpec(
        cell: .gru, inputSize: 2, hiddenSizes: [3], outputSize: 3, configuration: .encoderDecoder,
        feedback: .output)
    let model = Model<Double>(spec: spec, seed: 5)
    let sample = randomSample(spec, steps: 3, inputSteps: 4, batch: 1, loss: .crossEntropy, as: Double.self)
    let trace = try Engine.run(model: model, sample: sample, options: RunOptions(loss: .crossEntropy))
    #expect(trace.fedBack.prefix(4).allSatisfy { $0 == nil })
    #expect(trace.fedBack[4].map(rows) == [[0, 0, 0]])
    for c in 5..<7 { #expect(trace.fedBack[c].map(rows) == oneHotOfLargest(try #require(trace.outputs[c - 1]))) }
}

@Test(
    "No gradient flows back through the fed token: every ∂L/∂y_t is its own step's softmax − one-hot",
    arguments: [Feedback.none, .output, .teacherForcing])
func outputGradientsStayLocal(_ feedback: Feedback) throws {
    let spec = ModelSpec(cell: .lstm, inputSize: 3, hiddenSizes: [4, 3], outputSize: 5, feedback: feedback)
    let model = Model<Double>(spec: spec, initialization: Initialization(scheme: .normal, std: 0.7), seed: 8)
    let sample = randomSample(spec, steps: 5, batch: 2, seed: 9, loss: .crossEntropy, as: Double.self)
    let trace = try Engine.run(model: model, sample: sample, options: RunOptions(loss: .crossEntropy))
    let k = try #require({ if case .classes(let k) = sample.targets { k } else { nil } }(), "class targets")
    for c in 0..<5 {
        let y = try #require(trace.outputs[c])
        let g = try #require(trace.outputGradients[c])
        for r in 0..<2 {
            let e = y.row(r).map { Foundation.exp($0) }
            let s = e.reduce(0, +)
            for j in 0..<5 {
                // CrossEntropyLoss's mean over the batch of 2.
                let expected = (e[j] / s - (j == k[c][r] ? 1 : 0)) / 2
                #expect(abs(g[r, j] - expected) < 1e-13, "step \(c + 1) row \(r) class \(j)")
            }
        }
    }
    if feedback != .none { #expect(try #require(trace.gradient("weight_fb_l0")).maxAbs > 1e-3) }
}

@Test("A two-step example by hand: W_fb's gradient is δa_2 ⊗ fed token; ∂L/∂h_1 has no term through y_1")
func twoStepFeedbackByHand() throws {
    let spec = ModelSpec(
        cell: .rnn, activation: .tanh, inputSize: 1, hiddenSizes: [1], outputSize: 2, feedback: .output)
    var model = Model<Double>(spec: spec, seed: 1)
    func set(_ name: String, _ v: [Double]) throws {
        let m = try #require(model[name], "\(name)")
        model.set(name, Matrix(rows: m.rows, cols: m.cols, storage: v))
    }
    try set("weight_ih_l0", [0.5])
    try set("weight_hh_l0", [0.8])
    try set("bias_ih_l0", [0.1])
    try set("bias_hh_l0", [0])
    try set("weight_fb_l0", [0.3, -0.7])
    try set("output.weight", [1, -1])
    try set("output.bias", [0, 0])
    let sample = Sample<Double>(
        inputs: [Matrix(rows: 1, cols: 1, storage: [1]), Matrix(rows: 1, cols: 1, storage: [-1])],
        targets: .classes([[1], [0]]))
    let trace = try Engine.run(model: model, sample: sample, options: RunOptions(loss: .crossEntropy))

    // By hand. Step 1: a1 = 0.5·1 + 0.1, y1 = (h1, −h1) with h1 > 0, so the model chooses class 0: fed (1, 0).
    let h1 = tanh(0.6)
    // Step 2: a2 = 0.5·(−1) + 0.8·h1 + 0.1 + 0.3·1 (W_fb times the one-hot of class 0).
    let h2 = tanh(-0.5 + 0.8 * h1 + 0.1 + 0.3)
    func softmax(_ h: Double) -> [Double] {
        let e = [exp(h), exp(-h)]
        return e.map { $0 / (e[0] + e[1]) }
    }
    let p1 = softmax(h1), p2 = softmax(h2)
    let loss = -log(p1[1]) - log(p2[0])
    let gy1 = [p1[0], p1[1] - 1], gy2 = [p2[0] - 1, p2[1]]
    let da2 = (gy2[0] - gy2[1]) * (1 - h2 * h2)
    let dh1 = (gy1[0] - gy1[1]) + 0.8 * da2 // W_hy·g_y1 and W_hh·δa2; nothing through the fed token

    #expect(try #require(trace.fedBack[1]).storage == [1, 0])
    #expect(abs(trace.loss - loss) < 1e-14)
    let fb = try #require(trace.gradient("weight_fb_l0")).storage
    #expect(abs(fb[0] - da2) < 1e-14 && fb[1] == 0)
    #expect(zip(try #require(trace.outputGradients[0]).storage, gy1).allSatisfy { abs($0 - $1) < 1e-14 })
    #expect(abs(trace.layers[0].steps[0].hiddenGradient.storage[0] - dh1) < 1e-14)
    // The route the old engine took, y1 → W_fb → a2, would have added W_fbᵀ δa2 to ∂L/∂y1: it is absent.
    #expect(abs(da2 * 0.3) > 1e-3)
}
