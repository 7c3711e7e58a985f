import Testing

@testable import UnrollEngine

@Test("Parameters follow PyTorch's names and shapes")
func pytorchLayout() {
    let spec = ModelSpec(cell: .lstm, inputSize: 3, hiddenSizes: [4, 4], outputSize: 2, bidirectional: true)
    let layout = spec.parameterLayout
    let shapes = Dictionary(uniqueKeysWithValues: layout.map { ($0.name, [$0.rows, $0.cols]) })
    #expect(
        layout.map(\.name) == [
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse",
            "output.weight", "output.bias"
        ])
    #expect(shapes["weight_ih_l0"] == [16, 3])
    #expect(shapes["weight_ih_l1"] == [16, 8])
    #expect(shapes["weight_hh_l1_reverse"] == [16, 4])
    #expect(shapes["bias_hh_l0"] == [1, 16])
    #expect(shapes["output.weight"] == [2, 8])
}

@Test(
    "Initialisers: the same seed gives the same weights; each scheme has its defining property",
    arguments: precisions)
func initialisers(_ t: any EngineScalar.Type) {
    func body<T: EngineScalar>(_: T.Type) {
        let tol = T.self == Float.self ? 1e-5 : 1e-12
        let spec = ModelSpec(cell: .gru, inputSize: 3, hiddenSizes: [5], outputSize: 2)
        #expect(Model<T>(spec: spec, seed: 1) == Model<T>(spec: spec, seed: 1))
        #expect(Model<T>(spec: spec, seed: 1) != Model<T>(spec: spec, seed: 2))

        let uniform = Model<T>(spec: spec, seed: 1)
        let bound = 1 / 5.0.squareRoot()
        #expect(uniform.values.prefix(4).allSatisfy { $0.storage.allSatisfy { abs(Double($0)) <= bound } })

        let orth = Model<T>(spec: spec, initialization: Initialization(scheme: .orthogonal), seed: 1)
        for (_, block) in orth.recurrentBlocks {
            let gram = BLAS.product(block, transposeA: true, block)
            #expect(relativeError(gram, .identity(5), floor: 1) < tol)
        }
        #expect(orth["bias_hh_l0"]?.storage.allSatisfy { $0 == 0 } == true)

        let ident = Model<T>(spec: spec, initialization: Initialization(scheme: .identity), seed: 1)
        #expect(ident.recurrentBlocks.allSatisfy { $0.block == .identity(5) })

        let scaled = Model<T>(spec: spec, initialization: Initialization(spectralRadius: 1.7), seed: 1)
        for (_, block) in scaled.recurrentBlocks { #expect(abs(Spectrum.radius(block) - 1.7) < tol * 10) }

        let xavier = Model<T>(spec: spec, initialization: Initialization(scheme: .xavier), seed: 1)
        let a = (6.0 / Double(5 + 5)).squareRoot()
        #expect(xavier["weight_hh_l0"]?.storage.allSatisfy { abs(Double($0)) <= a } == true)
        #expect(xavier["weight_hh_l0"]?.storage.contains { abs(Double($0)) > a * 0.8 } == true)

        let normal = Model<T>(
            spec: ModelSpec(inputSize: 50, hiddenSizes: [50], outputSize: 1),
            initialization: Initialization(scheme: .normal, std: 0.3), seed: 1)
        let w = normal["weight_hh_l0"]?.storage.map { Double($0) } ?? []
        let sd = (w.map { $0 * $0 }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(abs(sd - 0.3) < 0.02)

        let lstm = Model<T>(
            spec: ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 1),
            initialization: Initialization(forgetBias: 1), seed: 1)
        #expect(lstm["bias_ih_l0"]?.storage[3..<6].allSatisfy { $0 == 1 } == true)
        #expect(lstm["bias_hh_l0"]?.storage[3..<6].allSatisfy { $0 == 0 } == true)
    }
    body(t)
}

@Test("Spectral radius and largest singular value of known matrices")
func spectra() {
    let rotation = Matrix<Double>(rows: 2, cols: 2, storage: [0, -1, 1, 0])
    #expect(abs(Spectrum.radius(rotation) - 1) < 1e-12)
    #expect(abs(Spectrum.largestSingularValue(rotation) - 1) < 1e-12)
    let shear = Matrix<Double>(rows: 2, cols: 2, storage: [1, 1, 0, 1])
    #expect(abs(Spectrum.radius(shear) - 1) < 1e-7)
    #expect(abs(Spectrum.largestSingularValue(shear) - (1 + 5.0.squareRoot()) / 2) < 1e-12)
    #expect(Spectrum.radius(Matrix<Float>(rows: 1, cols: 1, storage: [.nan])).isNaN)
}

@Test("The same seed gives the same Trace; Float and Double agree", arguments: CellKind.allCases)
func determinismAndPrecision(_ cell: CellKind) throws {
    let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [6, 4], outputSize: 2, skip: 2)
    let md = Model<Double>(spec: spec, seed: 8)
    let sd = randomSample(spec, steps: 9, as: Double.self)
    let a = try Engine.run(model: md, sample: sd), b = try Engine.run(model: md, sample: sd)
    #expect(a.loss == b.loss)
    #expect(a.gradients == b.gradients)
    #expect(a.layers.map { $0.steps.map(\.jacobianNorm) } == b.layers.map { $0.steps.map(\.jacobianNorm) })
    let mf = Model<Float>(spec: spec, seed: 8)
    #expect(
        mf.values.map { $0.converted(to: Double.self) }.elementsEqual(md.values) {
            relativeError($0, $1, floor: 1) < 1e-7
        })
    let sf = randomSample(spec, steps: 9, as: Float.self)
    let f = try Engine.run(model: mf, sample: sf)
    #expect(abs(Double(f.loss) - a.loss) / a.loss < 1e-5)
    for (gf, gd) in zip(f.gradients, a.gradients) {
        #expect(relativeError(gf.converted(to: Double.self), gd, floor: 1e-4) < 1e-4)
    }
}

@Test(
    "Engine.gradients gives run's loss, outputs, gradients and clipping without a trace",
    arguments: CellKind.allCases)
func gradientsMatchRun(_ cell: CellKind) throws {
    let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [5, 4], outputSize: 2, skip: 2)
    let model = Model<Double>(spec: spec, seed: 3)
    let sample = randomSample(spec, steps: 7, as: Double.self)
    let options = RunOptions(truncation: 3, clipping: .norm(0.1))
    let t = try Engine.run(model: model, sample: sample, options: options)
    let g = try Engine.gradients(model: model, sample: sample, options: options)
    // The forward pass is the same code on the same shapes: the same bits. The trace's backward pass carries a
    // second adjoint (the last loss's sweep rides along, products of 2B rows), so its gradients may round
    // differently on another BLAS kernel (seen under OPENBLAS_CORETYPE=Prescott): equal within 1e-12.
    #expect(g.loss == t.loss)
    #expect(g.outputs == t.outputs)
    try #require(g.gradients.count == t.gradients.count && g.clippedGradients.count == t.clippedGradients.count)
    for (a, b) in zip(g.gradients + g.clippedGradients, t.gradients + t.clippedGradients) {
        try #require(a.rows == b.rows && a.cols == b.cols)
        #expect(relativeError(a, b, floor: 1e-12) < 1e-12)
    }
    #expect(g.clip.clipping == t.clip.clipping && g.clip.clipped && t.clip.clipped)
    #expect(abs(g.clip.normBefore - t.clip.normBefore) <= 1e-12 * t.clip.normBefore)
    #expect(abs(g.clip.normAfter - t.clip.normAfter) <= 1e-12 * t.clip.normAfter)
}

@Test("Bad shapes and options are reported, not trapped")
func problemsAreReported() {
    let spec = ModelSpec(cell: .rnn, inputSize: 2, hiddenSizes: [3], outputSize: 2, bidirectional: true)
    let model = Model<Double>(spec: spec, seed: 1)
    var sample = randomSample(spec, steps: 3, as: Double.self)
    sample.inputs[1] = Matrix(rows: 2, cols: 5)
    let problems = Engine.problems(
        model: model, sample: sample, options: RunOptions(truncation: 2, clipping: .norm(-1)))
    #expect(problems.contains("input at step 1 is 2x5, expected 2x2"))
    #expect(problems.contains { $0.hasPrefix("truncated BPTT needs a causal model") })
    #expect(problems.contains("the clipping threshold must be a positive number, found -1.0"))
    #expect(throws: EngineError.self) { try Engine.run(model: model, sample: sample) }
    let plain = ModelSpec(inputSize: 2, hiddenSizes: [3], outputSize: 2)
    var extra = randomSample(plain, steps: 2, as: Double.self)
    extra.conditioning = Matrix(rows: 2, cols: 3)
    #expect(
        Engine.problems(model: Model(spec: plain, seed: 1), sample: extra, options: RunOptions())
            == ["the sample has a conditioning vector, but the model takes none"])
    #expect(
        ModelSpec(inputSize: 0, hiddenSizes: [3], outputSize: 1, deep: DeepTransition(input: 1)).problems()
            == ["deep.input needs an input: inputSize must be at least 1"])
    #expect(
        ModelSpec(inputSize: 1, hiddenSizes: [0], outputSize: 1, skip: 1).problems() == [
            "hiddenSizes[0] must be from 1 to 4096, found 0",
            "skip must be at least 2 (k = 1 is the ordinary recurrence), found 1"
        ])
}

@Test("Exploding gradients reach Inf and NaN without trapping, and the trace says where")
func explodingIsRecorded() throws {
    let spec = ModelSpec(cell: .rnn, activation: .identity, inputSize: 1, hiddenSizes: [4], outputSize: 1)
    let model = Model<Float>(
        spec: spec, initialization: Initialization(scheme: .normal, std: 1, spectralRadius: 40), seed: 3)
    let trace = try Engine.run(model: model, sample: randomSample(spec, steps: 40, batch: 1, as: Float.self))
    // |h_t| grows about 40^t, the squared error as 40^2t: Float (max 3.4e38) overflows near t = 12.
    let forward = try #require(trace.nonFiniteForwardColumn)
    #expect(forward > 8 && forward < 30)
    #expect(trace.losses[..<forward].allSatisfy { $0?.isFinite == true })
    #expect(trace.layers[0].steps[..<forward].allSatisfy { $0.hidden.isFinite })
    #expect(trace.losses[forward]?.isFinite == false || !trace.layers[0].steps[forward].hidden.isFinite)
    let backward = try #require(trace.nonFiniteBackwardColumn)
    #expect(backward >= forward - 1)
    #expect(!trace.loss.isFinite)
}
