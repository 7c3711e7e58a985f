import Testing

@testable import UnrollEngine

@Test(
    "Chunks run from Gradients.carried sum to the truncated pass, for every cell, with and without skip",
    arguments: CellKind.allCases, [nil, 2] as [Int?])
func chunksFromCarriedStates(_ cell: CellKind, _ skip: Int?) throws {
    let spec = ModelSpec(cell: cell, inputSize: 2, hiddenSizes: [3, 2], outputSize: 2, skip: skip)
    let model = Model<Double>(spec: spec, seed: 5)
    let sample = randomSample(spec, steps: 8, batch: 2, as: Double.self) // with given h_0 (and c_0)
    let k = 3
    let truncated = try Engine.run(model: model, sample: sample, options: RunOptions(truncation: k))
    var sum = model.values.map { Matrix<Double>(rows: $0.rows, cols: $0.cols) }
    var carried: [String: CarriedState<Double>] = [:]
    for lower in stride(from: 0, to: 8, by: k) {
        let range = lower..<min(8, lower + k)
        let part = try Engine.gradients(model: model, sample: sample.chunk(range, carrying: carried))
        for i in sum.indices { BLAS.axpy(1, part.gradients[i], &sum[i]) }
        carried = part.carried
        // The carried state is the truncated pass's state at the chunk's last step, read from its trace.
        for layer in truncated.layers {
            let last = try #require(layer.step(at: range.upperBound - 1))
            let state = try #require(carried[layer.label])
            #expect(relativeError(state.hidden, last.hidden, floor: 1e-300) < 1e-14, "\(layer.label) h at \(range)")
            if let c = last.cell { #expect(relativeError(try #require(state.cell), c, floor: 1e-300) < 1e-14) }
            let expected = (max(0, range.upperBound - (skip ?? 0))..<range.upperBound).map { layer.steps[$0].hidden }
            #expect(state.skipHistory == expected, "\(layer.label) skip history at \(range)")
        }
    }
    for i in sum.indices {
        #expect(relativeError(truncated.gradients[i], sum[i], floor: 1e-12) < 1e-12, "\(model.layout[i].name)")
    }
    // Without the carried skip history the chunks would start from zeros: a different gradient.
    if skip != nil {
        var bare = sample.chunk(
            3..<6, carrying: try Engine.gradients(model: model, sample: sample.chunk(0..<3)).carried)
        let with = try Engine.gradients(model: model, sample: bare)
        bare.initialSkipHistory = [:]
        let without = try Engine.gradients(model: model, sample: bare)
        #expect(relativeError(with.gradients[1], without.gradients[1], floor: 1e-12) > 1e-6)
    }
}

@Test("Engine.carry runs a chunk with no loss and hands on the state its trace ends with")
func carryWithoutLoss() throws {
    let spec = ModelSpec(cell: .lstm, inputSize: 2, hiddenSizes: [3], outputSize: 1, configuration: .manyToOne)
    let model = Model<Double>(spec: spec, seed: 2)
    let sample = randomSample(spec, steps: 5, batch: 2, as: Double.self)
    let trace = try Engine.run(model: model, sample: sample)
    let first = sample.chunk(0..<3)
    // Many-to-one takes its loss at the chunk's last step; with none, only `carry` runs it.
    #expect(throws: EngineError.self) {
        try Engine.gradients(model: model, sample: first, options: RunOptions(lossSteps: .only([])))
    }
    let carried = try Engine.carry(model: model, sample: first, options: RunOptions(lossSteps: .only([])))
    let state = try #require(carried["l0"])
    #expect(state.hidden == trace.layers[0].steps[2].hidden)
    #expect(state.cell == trace.layers[0].steps[2].cell)
    let rest = try Engine.run(model: model, sample: sample.chunk(3..<5, carrying: carried))
    #expect(rest.loss == trace.loss)
}

@Test("Engine.forwardOutputs gives the outputs and carried state of Engine.gradients, with no backward sweep", arguments: CellKind.allCases)
func forwardOutputsMatchGradients(_ cell: CellKind) throws {
    let spec = ModelSpec(cell: cell, inputSize: 3, hiddenSizes: [4, 2], outputSize: 3)
    let model = Model<Double>(spec: spec, seed: 7)
    let sample = randomSample(spec, steps: 4, batch: 2, as: Double.self)
    let full = try Engine.gradients(model: model, sample: sample)
    let forward = try Engine.forwardOutputs(model: model, sample: sample)
    try #require(forward.outputs.count == 4 && full.outputs.count == 4)
    for c in 0..<4 { #expect(forward.outputs[c] == full.outputs[c], "column \(c)") }
    try #require(!full.carried.isEmpty)
    #expect(forward.carried.keys.sorted() == full.carried.keys.sorted())
    for (label, state) in full.carried {
        #expect(forward.carried[label]?.hidden == state.hidden, "\(label)")
        #expect(forward.carried[label]?.cell == state.cell, "\(label)")
    }
}

@Test("Trace.truncationCuts lists the first column of every chunk but the first")
func truncationCuts() throws {
    let spec = ModelSpec(inputSize: 1, hiddenSizes: [2], outputSize: 1)
    let model = Model<Double>(spec: spec, seed: 1)
    let sample = randomSample(spec, steps: 10, batch: 1, as: Double.self)
    #expect(try Engine.run(model: model, sample: sample, options: RunOptions(truncation: 4)).truncationCuts == [4, 8])
    #expect(try Engine.run(model: model, sample: sample, options: RunOptions(truncation: 5)).truncationCuts == [5])
    #expect(try Engine.run(model: model, sample: sample, options: RunOptions(truncation: 10)).truncationCuts == [])
    #expect(try Engine.run(model: model, sample: sample).truncationCuts == [])
}
