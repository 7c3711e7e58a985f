import Testing

@testable import UnrollEngine

/// The LSTM sequence kernel (`LSTMSequence`, one tape group per layer) against the per-step tape nodes it
/// replaces (`affine` + `lstmCell`, an independent implementation): every value and gradient the trace records
/// agrees within rounding. PyTorch parity, finite differences and the gradient-check architectures run through
/// the kernel too, since it is on by default.

/// The plain LSTM architectures the kernel covers: single and stacked layers, B = 1 and B > 1, every
/// configuration, a conditioned initial state, the deep input and output MLPs.
private let kernelSpecs: [(String, ModelSpec, LossKind)] = [
    ("one layer, many-to-many", ModelSpec(cell: .lstm, inputSize: 3, hiddenSizes: [4], outputSize: 2), .mse),
    (
        "stacked, many-to-one, cross-entropy",
        ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [5, 3], outputSize: 3, configuration: .manyToOne),
        .crossEntropy
    ),
    (
        "encoder–decoder",
        ModelSpec(
            cell: .lstm, inputSize: 2, hiddenSizes: [3, 4], outputSize: 2, configuration: .encoderDecoder,
            conditioning: .initialState, decoderInputSize: 2),
        .mse
    ),
    (
        "conditioned initial state, deep input and output",
        ModelSpec(
            cell: .lstm, inputSize: 2, hiddenSizes: [4], outputSize: 2, deep: DeepTransition(input: 1, output: 1),
            conditioningSize: 3, conditioning: .initialState),
        .mse
    ),
]

private func close<T: EngineScalar>(_ a: Matrix<T>?, _ b: Matrix<T>?, _ tolerance: Double) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return a.rows == b.rows && a.cols == b.cols && relativeError(a, b, floor: 1e-6) <= tolerance
}

private func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    (a.isNaN && b.isNaN) || abs(a - b) <= tolerance * max(1e-6, abs(a) + abs(b))
}

private func compareKernel<T: EngineScalar>(_: T.Type, spec: ModelSpec, loss: LossKind, batch: Int) throws {
    let tolerance = T.self == Float.self ? 2e-5 : 1e-11
    let model = Model<T>(spec: spec, seed: 11)
    let encoderSteps = spec.configuration == .encoderDecoder ? 4 : nil
    let sample: Sample<T> = randomSample(
        spec, steps: 5, inputSteps: encoderSteps, batch: batch, seed: 5, loss: loss, decoderSteps: encoderSteps.map { _ in 3 })
    var options = RunOptions(loss: loss, recordJacobians: false, recordSpectra: false)
    options.focusLoss = .column(spec.configuration == .manyToOne ? 4 : 1)
    let kernelPass = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: true)
    let tapePass = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: false)
    // The kernel ran: one group per layer instead of a handful of nodes per step.
    #expect(kernelPass.unroller.tape.count < tapePass.unroller.tape.count)
    let forwardOnly = kernelPass.trace
    let a = kernelPass.backward(), b = tapePass.backward()
    #expect(!forwardOnly.hasGradients && a.hasGradients)
    #expect(close(Double(a.loss), Double(b.loss), tolerance))
    try #require(a.layers.count == b.layers.count && a.layers.count == spec.segmentPrefixes.count * spec.layerCount)
    for (la, lb) in zip(a.layers, b.layers) {
        #expect(la.label == lb.label && la.startColumn == lb.startColumn)
        try #require(la.steps.count == lb.steps.count && la.steps.count > 0)
        #expect(close(la.initialHiddenGradient, lb.initialHiddenGradient, tolerance), "\(la.label) ∂h₀")
        #expect(close(la.initialCellGradient, lb.initialCellGradient, tolerance), "\(la.label) ∂c₀")
        for i in 0..<la.steps.count {
            let sa = la.steps[i], sb = lb.steps[i], at = "\(la.label) step \(i)"
            #expect(sa.column == sb.column, "\(at) column")
            #expect(close(sa.preactivation, sb.preactivation, tolerance), "\(at) pre-activation")
            try #require(sa.gates.count == 4 && sb.gates.count == 4)
            for g in 0..<4 { #expect(close(sa.gates[g], sb.gates[g], tolerance), "\(at) gate \(g)") }
            #expect(close(sa.hidden, sb.hidden, tolerance), "\(at) h")
            #expect(close(sa.cell, sb.cell, tolerance), "\(at) c")
            #expect(close(sa.hiddenGradient, sb.hiddenGradient, tolerance), "\(at) ∂h")
            #expect(close(sa.cellGradient, sb.cellGradient, tolerance), "\(at) ∂c")
            #expect(close(sa.hiddenGradientNorm, sb.hiddenGradientNorm, tolerance), "\(at) ‖∂h‖")
            #expect(close(sa.lastLossGradientNorm, sb.lastLossGradientNorm, tolerance), "\(at) last-loss norm")
            #expect(close(sa.focusLossGradientNorm, sb.focusLossGradientNorm, tolerance), "\(at) focus norm")
            #expect(close(sa.focusLossCellGradientNorm, sb.focusLossCellGradientNorm, tolerance), "\(at) focus c")
            #expect(close(sa.cellJacobianNorm, sb.cellJacobianNorm, tolerance), "\(at) cell Jacobian")
        }
        try #require(la.recurrentTermNorms.count == lb.recurrentTermNorms.count)
        for (x, y) in zip(la.recurrentTermNorms + la.recurrentSumNorms, lb.recurrentTermNorms + lb.recurrentSumNorms) {
            #expect(close(x, y, tolerance), "\(la.label) ∂W_hh term norms")
        }
    }
    try #require(a.gradients.count == b.gradients.count && !a.gradients.isEmpty)
    for (name, (ga, gb)) in zip(a.parameterNames, zip(a.gradients, b.gradients)) {
        #expect(close(ga, gb, tolerance), "∂\(name)")
    }
    try #require(a.columns == b.columns)
    for c in 0..<a.columns {
        #expect(close(a.inputGradients[c], b.inputGradients[c], tolerance), "∂x at column \(c)")
        #expect(close(a.outputs[c], b.outputs[c], tolerance), "y at column \(c)")
        #expect(close(a.outputGradients[c], b.outputGradients[c], tolerance), "∂y at column \(c)")
    }
    #expect(a.lossColumns == b.lossColumns)
    #expect(close(a.conditioningGradient, b.conditioningGradient, tolerance))

    // Training's gradients (inputs constant) agree with the trace's.
    let trained = try Engine.gradients(model: model, sample: sample, options: options)
    for (name, (ga, gb)) in zip(a.parameterNames, zip(trained.gradients, b.gradients)) {
        #expect(close(ga, gb, tolerance), "training ∂\(name)")
    }
}

@Test(
    "The LSTM sequence kernel records what the per-step tape nodes record, in Float and Double",
    arguments: 0..<4, [1, 3])
func sequenceKernelMatchesTape(spec index: Int, batch: Int) throws {
    try #require(kernelSpecs.count == 4)
    let (name, spec, loss) = kernelSpecs[index]
    try #require(spec.problems().isEmpty, "\(name): \(spec.problems())")
    try compareKernel(Float.self, spec: spec, loss: loss, batch: batch)
    try compareKernel(Double.self, spec: spec, loss: loss, batch: batch)
}

@Test("Architectures the kernel does not cover stay on the tape")
func sequenceKernelLeavesOthersOnTape() throws {
    let specs = [
        ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 2, bidirectional: true),
        ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 2, skip: 2),
        ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 2, deep: DeepTransition(transition: 1)),
        ModelSpec(cell: .gru, inputSize: 2, hiddenSizes: [3], outputSize: 2),
    ]
    for spec in specs {
        let model = Model<Double>(spec: spec, seed: 2)
        let sample: Sample<Double> = randomSample(spec, steps: 4)
        let options = RunOptions(recordJacobians: false, recordSpectra: false)
        let on = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: true)
        let off = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: false)
        #expect(on.unroller.tape.count == off.unroller.tape.count, "\(spec.architecture)")
    }
    // One-step Jacobians and truncation replay single steps of the tape: a plain LSTM with either stays on it.
    let plain = ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 2)
    let model = Model<Double>(spec: plain, seed: 2)
    let sample: Sample<Double> = randomSample(plain, steps: 4)
    for options in [RunOptions(recordJacobians: true), RunOptions(truncation: 2, recordJacobians: false)] {
        let on = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: true)
        let off = try Engine.forward(model: model, sample: sample, options: options, sequenceKernels: false)
        #expect(on.unroller.tape.count == off.unroller.tape.count)
    }
}
