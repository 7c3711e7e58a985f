import Testing

@testable import UnrollEngine

/// One architecture of the course notes, as a model specification.
struct ArchitectureCase: CustomTestStringConvertible, Sendable {
    var name: String
    var spec: ModelSpec
    var steps = 4
    var inputSteps: Int?
    var loss: LossKind = .mse
    var options = RunOptions()
    /// The model's seed.
    var seed: UInt64 = 3
    var testDescription: String { name }
}

/// The table of architectures × cells × configurations the finite-difference check covers.
let gradientCases: [ArchitectureCase] = {
    var cases: [ArchitectureCase] = []
    let cells: [(String, CellKind, Activation)] = [
        ("rnn-tanh", .rnn, .tanh), ("lstm", .lstm, .tanh), ("gru", .gru, .tanh)
    ]
    func spec(_ cell: CellKind, _ act: Activation, _ config: Configuration) -> ModelSpec {
        ModelSpec(cell: cell, activation: act, inputSize: 2, hiddenSizes: [3], outputSize: 2, configuration: config)
    }
    for act in Activation.allCases {
        cases.append(ArchitectureCase(name: "rnn-\(act.rawValue) plain", spec: spec(.rnn, act, .manyToMany)))
    }
    for (cellName, cell, act) in cells {
        for config in [Configuration.oneToOne, .oneToMany, .manyToOne, .manyToMany] {
            let steps = config == .oneToOne ? 1 : 4
            let inputSteps = config == .oneToMany ? 1 : steps
            func add(
                _ arch: String, _ change: (inout ModelSpec) -> Void, loss: LossKind = .mse,
                options: RunOptions = RunOptions()
            ) {
                var s = spec(cell, act, config)
                change(&s)
                cases.append(
                    ArchitectureCase(
                        name: "\(cellName) \(config.rawValue) \(arch)", spec: s, steps: steps,
                        inputSteps: inputSteps, loss: loss, options: options))
            }
            add("plain") { _ in }
            add("stacked") { $0.hiddenSizes = [3, 2] }
            add("deep-transition") { $0.deep = DeepTransition(input: 1, transition: 2, output: 1) }
            add("deep-transition-shortcut") { $0.deep = DeepTransition(transition: 2, shortcut: true) }
            add("skip-2") {
                $0.skip = 2
                $0.hiddenSizes = [3, 2]
            }
            add("vector-input") {
                $0.conditioningSize = 2
                $0.conditioning = .input
            }
            add("vector-h0") {
                $0.conditioningSize = 2
                $0.conditioning = .initialState
                $0.hiddenSizes = [3, 2]
            }
            add("vector-both") {
                $0.conditioningSize = 2
                $0.conditioning = .both
            }
            add("cross-entropy", { _ in }, loss: .crossEntropy)
            if config != .oneToOne {
                add("bidirectional") {
                    $0.bidirectional = true
                    $0.hiddenSizes = [3, 2]
                }
                add("feedback") { $0.feedback = .output }
                add("teacher-forcing") { $0.feedback = .teacherForcing }
            }
        }
        for mode in ConditioningMode.allCases {
            for (arch, change): (String, (inout ModelSpec) -> Void) in [
                ("plain", { _ in }),
                (
                    "stacked-bidirectional-encoder",
                    {
                        $0.hiddenSizes = [3, 2]
                        $0.bidirectional = true
                    }
                ),
                ("feedback", { $0.feedback = .output }), ("decoder-input", { $0.decoderInputSize = 2 }),
                (
                    "bidirectional-encoder-feedback",
                    {
                        $0.bidirectional = true
                        $0.feedback = .output
                    }
                )
            ] {
                var s = spec(cell, act, .encoderDecoder)
                s.conditioning = mode
                change(&s)
                // Seed 3 puts one fed argmax within 3e-4 of a tie (rnn-tanh, context as input): seed 6 keeps every one clear.
                cases.append(
                    ArchitectureCase(
                        name: "\(cellName) encoder-decoder context-\(mode.rawValue) \(arch)",
                        spec: s, steps: 3, inputSteps: 4, seed: s.feedback == .none ? 3 : 6))
            }
        }
    }
    return cases
}()

/// Central differences of the loss for every entry of every parameter, every input and the conditioning vector.
@Test("BPTT matches finite differences (Double, relative error < 1e-6)", arguments: gradientCases)
func gradientsMatchFiniteDifferences(_ c: ArchitectureCase) throws {
    let model = Model<Double>(spec: c.spec, initialization: Initialization(), seed: c.seed)
    let sample = randomSample(c.spec, steps: c.steps, inputSteps: c.inputSteps, loss: c.loss, as: Double.self)
    var options = c.options
    options.loss = c.loss
    options.recordJacobians = false
    let trace = try Engine.run(model: model, sample: sample, options: options)
    // Free-running feedback feeds argmax y_{t-1}: the loss is piecewise constant in it, so the stencil (±2e-3
    // on each entry) must not cross a tie. The outputs fed back must lead by a clear margin.
    if c.spec.feedback == .output {
        let margin =
            trace.outputs.compactMap { $0 }.dropLast().flatMap { y in
                (0..<y.rows).map { r in
                    let v = y.row(r).sorted(by: >)
                    return v.count > 1 ? v[0] - v[1] : .infinity
                }
            }.min() ?? .infinity
        #expect(margin > 0.005, "fed argmax within \(margin) of a tie: finite differences would cross it")
    }
    func check(_ what: String, _ analytic: Matrix<Double>?, _ count: Int, _ loss: (Int, Double) throws -> Double) throws
    {
        let analytic = try #require(analytic, "\(what): no gradient recorded")
        let numeric = try numericGradient(count: count, loss)
        // Floor: the five-point difference's rounding noise is about 3e-13·|L|.
        let err = relativeError(
            analytic, Matrix(rows: analytic.rows, cols: analytic.cols, storage: numeric),
            floor: 1e-6 * max(1, abs(trace.loss)))
        #expect(err < 1e-6, "\(what): relative error \(err), norm \(analytic.norm)")
    }
    for (i, d) in model.layout.enumerated() {
        try check(d.name, trace.gradients[i], model.values[i].count) { k, delta in
            var m = model
            m.values[i].storage[k] += delta
            return try Engine.loss(model: m, sample: sample, options: options)
        }
    }
    for t in sample.inputs.indices {
        try check("input x_\(t)", trace.inputGradients[t], sample.inputs[t].count) { k, delta in
            var s = sample
            s.inputs[t].storage[k] += delta
            return try Engine.loss(model: model, sample: s, options: options)
        }
    }
    if let v = sample.conditioning {
        try check("conditioning vector", trace.conditioningGradient, v.count) { k, delta in
            var s = sample
            s.conditioning?.storage[k] += delta
            return try Engine.loss(model: model, sample: s, options: options)
        }
    }
    for layer in trace.layers {
        let conditioned = c.spec.conditioned(prefix: layer.segment).initial
        if let h0 = sample.initialHidden[layer.label], !conditioned {
            try check("h0 of \(layer.label)", layer.initialHiddenGradient, h0.count) { k, delta in
                var s = sample
                s.initialHidden[layer.label]?.storage[k] += delta
                return try Engine.loss(model: model, sample: s, options: options)
            }
        }
        if let c0 = sample.initialCell[layer.label] {
            try check("c0 of \(layer.label)", layer.initialCellGradient, c0.count) { k, delta in
                var s = sample
                s.initialCell[layer.label]?.storage[k] += delta
                return try Engine.loss(model: model, sample: s, options: options)
            }
        }
    }
    #expect(trace.loss.isFinite)
    #expect(trace.lossColumns.count == (c.spec.configuration == .manyToOne ? 1 : c.steps))
}
