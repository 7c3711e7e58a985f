import Testing

@testable import UnrollEngine

/// A one-sequence sample of `steps` random inputs with targets at every step.
private func sequence<T: EngineScalar>(_ spec: ModelSpec, steps: Int, seed: UInt64 = 11, as _: T.Type) -> Sample<T> {
    randomSample(spec, steps: steps, batch: 1, seed: seed, as: T.self)
}

@Test("A linear RNN with orthogonal W_hh preserves the gradient norm back to h_0", arguments: precisions)
func orthogonalLinearPreservesNorm(_ t: any EngineScalar.Type) throws {
    func body<T: EngineScalar>(_: T.Type) throws {
        let spec = ModelSpec(
            cell: .rnn, activation: .identity, inputSize: 2, hiddenSizes: [6], outputSize: 2,
            configuration: .manyToOne)
        let model = Model<T>(spec: spec, initialization: Initialization(scheme: .orthogonal), seed: 5)
        let trace = try Engine.run(model: model, sample: sequence(spec, steps: 12, as: T.self))
        let layer = try #require(trace.layers.first)
        let last = Double(try #require(layer.steps.last).hiddenGradient.norm)
        let first = Double(layer.initialHiddenGradient.norm)
        let tol = T.self == Float.self ? 1e-5 : 1e-12
        #expect(last > 0)
        #expect(abs(first - last) / last < tol)
        for s in layer.steps { #expect(abs(s.jacobianNorm - 1) < tol) }
    }
    try body(t)
}

@Test("A ReLU RNN with identity W_hh and every unit active has the identity Jacobian", arguments: precisions)
func reluIdentityJacobian(_ t: any EngineScalar.Type) throws {
    func body<T: EngineScalar>(_: T.Type) throws {
        let spec = ModelSpec(cell: .rnn, activation: .relu, inputSize: 2, hiddenSizes: [5], outputSize: 1)
        var model = Model<T>(spec: spec, initialization: Initialization(scheme: .identity), seed: 9)
        model.set("bias_ih_l0", Matrix(rows: 1, cols: 5, repeating: 1)) // every pre-activation > 0
        model.set("weight_ih_l0", Matrix(rows: 5, cols: 2, repeating: T(0.01)))
        let sample = sequence(spec, steps: 6, as: T.self)
        let u = Unroller(model: model, sample: sample, options: RunOptions())
        try u.forward()
        for step in u.runs[0].steps {
            #expect(u.tape.value(step.hidden).storage.allSatisfy { $0 > 0 })
            #expect(u.tape.jacobian(of: step.hidden, withRespectTo: step.previousHidden) == Matrix<T>.identity(5))
        }
        let trace = try Engine.run(model: model, sample: sample)
        #expect(trace.layers[0].steps.allSatisfy { $0.jacobianNorm == 1 })
    }
    try body(t)
}

@Test(
    "tanh RNN: ‖∂L_T/∂h_{T-k}‖ ≤ σ_max(W_hh)^k ‖∂L_T/∂h_T‖ (Pascanu, Mikolov and Bengio 2013)",
    arguments: precisions, [0.5, 0.9, 1.5, 3.0])
func pascanuBound(_ t: any EngineScalar.Type, radius: Double) throws {
    func body<T: EngineScalar>(_: T.Type) throws {
        let spec = ModelSpec(cell: .rnn, activation: .tanh, inputSize: 3, hiddenSizes: [8], outputSize: 2)
        let model = Model<T>(
            spec: spec, initialization: Initialization(scheme: .normal, std: 0.5, spectralRadius: radius), seed: 21)
        let trace = try Engine.run(model: model, sample: sequence(spec, steps: 20, as: T.self))
        let sigma = try #require(trace.recurrent.first).largestSingularValue
        #expect(sigma >= radius * (1 - 1e-6)) // σ_max ≥ ρ always
        let steps = trace.layers[0].steps
        let end = steps[steps.count - 1].lastLossGradientNorm
        #expect(end > 0)
        let slack = T.self == Float.self ? 1e-4 : 1e-10
        for (k, s) in steps.reversed().enumerated() {
            #expect(
                s.lastLossGradientNorm <= Double.pow(sigma, Double(k)) * end * (1 + slack),
                "k = \(k): \(s.lastLossGradientNorm) > σ^k·\(end) with σ = \(sigma)")
        }
        // With σ_max < 1 the gradient of the last loss vanishes: 19 steps back it is below σ^19 of its size.
        if sigma < 1 { #expect(steps[0].lastLossGradientNorm < Double.pow(sigma, 19) * end * (1 + slack)) }
    }
    try body(t)
}

@Test(
    "Clipping by norm leaves a global norm no larger than the threshold; by value bounds every entry",
    arguments: [Clipping.norm(1), .norm(0.01), .value(0.05)])
func clippingBounds(_ clipping: Clipping) throws {
    let spec = ModelSpec(cell: .rnn, inputSize: 2, hiddenSizes: [6], outputSize: 2)
    let model = Model<Double>(
        spec: spec, initialization: Initialization(scheme: .normal, std: 1, spectralRadius: 3), seed: 2)
    let sample = randomSample(spec, steps: 10, batch: 1, as: Double.self)
    let trace = try Engine.run(model: model, sample: sample, options: RunOptions(clipping: clipping))
    let unclipped = try Engine.run(model: model, sample: sample)
    #expect(trace.gradients == unclipped.gradients)
    #expect(trace.clip.normBefore == unclipped.clip.normBefore)
    #expect(trace.clip.clipped)
    switch clipping {
    case .norm(let m):
        #expect(trace.clip.normBefore > m)
        #expect(trace.clip.normAfter <= m)
        #expect(trace.clip.normAfter > m * 0.999)
    case .value(let v):
        #expect(trace.clippedGradients.allSatisfy { $0.storage.allSatisfy { abs($0) <= v } })
        #expect(trace.clip.normAfter < trace.clip.normBefore)
    case .none:
        Issue.record("not a clipping case")
    }
    #expect(unclipped.clip.normAfter == unclipped.clip.normBefore)
    #expect(!unclipped.clip.clipped)
}

@Test(
    "Truncated BPTT equals the sum of full BPTT over each chunk from the carried state",
    arguments: CellKind.allCases)
func truncationIsChunkedBPTT(_ cell: CellKind) throws {
    let spec = ModelSpec(cell: cell, inputSize: 2, hiddenSizes: [3, 2], outputSize: 2)
    let model = Model<Double>(spec: spec, seed: 4)
    let sample = randomSample(spec, steps: 7, batch: 2, as: Double.self)
    var plain = sample
    plain.initialHidden = [:]
    plain.initialCell = [:]
    let k = 3
    let truncated = try Engine.run(model: model, sample: plain, options: RunOptions(truncation: k))
    let full = try Engine.run(model: model, sample: plain)
    #expect(truncated.loss == full.loss) // the forward pass is the same
    var sum = model.values.map { Matrix<Double>(rows: $0.rows, cols: $0.cols) }
    for start in stride(from: 0, to: 7, by: k) {
        let n = min(k, 7 - start)
        guard case .values(let targets) = plain.targets else {
            Issue.record("the sample has values as targets")
            return
        }
        var chunk = Sample(
            inputs: Array(plain.inputs[start..<(start + n)]), targets: .values(Array(targets[start..<(start + n)])))
        if start > 0 {
            for layer in full.layers {
                chunk.initialHidden[layer.label] = layer.steps[start - 1].hidden
                if let c = layer.steps[start - 1].cell { chunk.initialCell[layer.label] = c }
            }
        }
        let part = try Engine.run(model: model, sample: chunk, options: RunOptions(recordJacobians: false))
        for i in sum.indices { BLAS.axpy(1, part.gradients[i], &sum[i]) }
    }
    for i in sum.indices {
        #expect(relativeError(truncated.gradients[i], sum[i], floor: 1e-12) < 1e-12, "\(model.layout[i].name)")
    }
    #expect(relativeError(truncated.gradients[1], full.gradients[1], floor: 1e-12) > 1e-6) // and it differs from full BPTT
}

@Test(
    "Truncated BPTT cuts the encoder's context too: no gradient crosses a chunk boundary",
    arguments: ConditioningMode.allCases)
func truncationCutsTheContext(_ mode: ConditioningMode) throws {
    let spec = ModelSpec(
        cell: .gru, inputSize: 2, hiddenSizes: [3], outputSize: 2, configuration: .encoderDecoder,
        conditioning: mode)
    let model = Model<Double>(spec: spec, seed: 6)
    var sample = randomSample(spec, steps: 3, inputSteps: 3, decoderSteps: 3, as: Double.self)
    sample.initialHidden = [:]
    // Columns: encoder 0-2, decoder 3-5; chunks of 2 cut before columns 2 and 4. The loss at column 5 only.
    let cut = try Engine.run(model: model, sample: sample, options: RunOptions(lossSteps: .last, truncation: 2))
    for name in ["encoder.weight_ih_l0", "encoder.weight_hh_l0", "encoder.bias_ih_l0"] {
        #expect(try #require(cut.gradient(name)).norm == 0, "\(name)")
    }
    #expect(try #require(cut.gradient("decoder.weight_hh_l0")).norm > 0)
    let full = try Engine.run(model: model, sample: sample, options: RunOptions(lossSteps: .last))
    #expect(try #require(full.gradient("encoder.weight_ih_l0")).norm > 0)
}

@Test("A NaN gradient is not counted as clipped by value")
func nanIsNotClipped() {
    let (out, report) = Engine.clip([Matrix<Double>(row: [.nan, 0.5])], .value(1))
    #expect(!report.clipped)
    #expect(out[0].storage[1] == 0.5)
    let (_, big) = Engine.clip([Matrix<Double>(row: [.nan, 5])], .value(1))
    #expect(big.clipped)
}
