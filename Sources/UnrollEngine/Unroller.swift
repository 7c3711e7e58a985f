/// Builds the unrolled graph of a model on a tape: the forward pass of every architecture.
///
/// Segments (the model, or encoder then decoder) run over their columns;
/// a unidirectional segment runs time-major (every layer at step t, then the
/// output, so output feedback can reach step t+1), a bidirectional one
/// layer-major (each layer in both directions, joined, then the next).
final class Unroller<T: EngineScalar> {
    typealias Variable = Tape<T>.Variable

    /// The tape variables of one step of one layer.
    struct StepVariables {
        var column: Int
        var preactivation: [Variable]
        var gates: [Variable]
        var hidden: Variable
        var cell: Variable?
        var previousHidden: Variable
        /// The node whose gradient is this step's δ in `∂L/∂W_hh += δᵀ·input` (the pre-activation; GRU: the
        /// recurrent sum `W_hh h + b_hh`), and that input (`h_{t-1}`, or `s_t` after a deep transition).
        var recurrentProduct: (gradientAt: Variable, input: Variable)
    }

    /// The carried state of one layer.
    struct LayerState {
        var hidden: Variable
        var cell: Variable?
        /// Hidden states in processing order, for skip connections: first the ones carried in
        /// from before the sequence (`Sample.initialSkipHistory`), then this run's.
        var history: [Variable] = []
        /// How many of `history` were carried in.
        var carried = 0
    }

    /// One layer in one direction, as it ran.
    struct LayerRun {
        var layout: LayerLayout
        var startColumn: Int
        var steps: [StepVariables] = []
        var initialHidden: Variable
        var initialCell: Variable?
    }

    let tape = Tape<T>()
    let model: Model<T>
    let spec: ModelSpec
    let sample: Sample<T>
    let options: RunOptions
    let batch: Int
    private(set) var parameters: [Variable] = []
    private var parameterIndex: [String: Int] = [:]
    private(set) var runs: [LayerRun] = []
    private(set) var inputs: [Int: Variable] = [:]
    private(set) var outputs: [Int: Variable] = [:]
    private(set) var losses: [Int: Variable] = [:]
    /// The value fed back into the first layer at each column that has output feedback (a constant).
    private(set) var fed: [Int: Variable] = [:]
    private(set) var conditioning: Variable?
    private(set) var context: Variable?
    private(set) var decoderStart: Int?
    private(set) var columns = 0
    private(set) var lossColumns: [Int] = []
    private(set) var totalLoss: Variable?
    /// The state each unidirectional layer ends a time-major segment with, by layer label.
    private(set) var finalStates: [String: LayerState] = [:]

    /// Whether the inputs take no gradient (training wants only the parameters').
    let constantInputs: Bool
    /// Whether a plain LSTM segment runs through the whole-sequence kernel (`lstmSequence`) instead of per-step
    /// nodes; off only to compare the two.
    let sequenceKernels: Bool

    init(
        model: Model<T>, sample: Sample<T>, options: RunOptions, constantInputs: Bool = false,
        sequenceKernels: Bool = LSTMSequence<T>.enabledByDefault
    ) {
        self.constantInputs = constantInputs
        self.sequenceKernels = sequenceKernels
        self.model = model
        self.spec = model.spec
        self.sample = sample
        self.options = options
        self.batch = sample.batchSize
        for (i, (d, v)) in zip(model.layout, model.values).enumerated() {
            parameters.append(tape.leaf(v))
            parameterIndex[d.name] = i
        }
    }

    private func p(_ name: String) -> Variable {
        guard let i = parameterIndex[name] else { preconditionFailure("missing parameter \(name)") }
        return parameters[i]
    }

    private func zeros(_ cols: Int) -> Variable { tape.leaf(Matrix(rows: batch, cols: cols)) }

    /// Whether truncated BPTT cuts the graph before this column.
    private func cuts(before column: Int) -> Bool { options.cutsGradient(before: column) }

    /// Runs the whole model: every segment, the outputs and the loss.
    /// - Throws: `CancellationError` when the tape's `cancellation` stops it at a step boundary.
    func forward() throws {
        if let v = sample.conditioning, spec.configuration != .encoderDecoder {
            conditioning = tape.leaf(v)
        }
        if spec.configuration == .encoderDecoder {
            let tIn = sample.inputs.count
            let top = try runSegment(prefix: "encoder.", start: 0, steps: tIn, condition: nil)
            var c = tape.concatColumns(top)
            context = c
            if cuts(before: tIn) { c = tape.detach(c) }
            decoderStart = tIn
            _ = try runSegment(prefix: "decoder.", start: tIn, steps: sample.steps, condition: c)
            columns = tIn + sample.steps
        } else {
            _ = try runSegment(prefix: "", start: 0, steps: sample.steps, condition: conditioning)
            columns = sample.steps
        }
        let terms = lossColumns.compactMap { losses[$0] }
        totalLoss = terms.isEmpty ? nil : tape.add(terms)
    }

    /// The (raw) input of a segment at time t, recorded as a leaf, or nil when the segment reads no input.
    private func input(prefix: String, t: Int, column: Int) -> Variable? {
        let x: Variable
        let record = constantInputs ? tape.constant : tape.leaf
        if prefix == "decoder." {
            guard spec.decoderInputSize > 0 else { return nil }
            x = record(
                t < sample.decoderInputs.count
                    ? sample.decoderInputs[t] : Matrix(rows: batch, cols: spec.decoderInputSize))
        } else {
            guard spec.inputSize > 0 else { return nil }
            x = record(t < sample.inputs.count ? sample.inputs[t] : Matrix(rows: batch, cols: spec.inputSize))
        }
        inputs[column] = x
        guard prefix != "decoder." else { return x }
        var u = x
        for j in 0..<spec.deep.input {
            u = tape.activate(tape.linear(u, weight: p("input_mlp.\(j).weight"), bias: p("input_mlp.\(j).bias")), .tanh)
        }
        return u
    }

    /// The initial state of a layer: given by the sample, `tanh(W_init v + b_init)` from the
    /// conditioning vector, or zeros.
    private func initialState(_ lay: LayerLayout, condition: Variable?) -> LayerState {
        let h: Variable
        if spec.conditioned(prefix: lay.prefix).initial, let v = condition {
            h = tape.activate(
                tape.linear(v, weight: p(lay.name("init") + ".weight"), bias: p(lay.name("init") + ".bias")), .tanh)
        } else if let given = sample.initialHidden[lay.label] {
            h = tape.leaf(given)
        } else {
            h = zeros(lay.hiddenSize)
        }
        var c: Variable?
        if spec.cell == .lstm { c = sample.initialCell[lay.label].map { tape.leaf($0) } ?? zeros(lay.hiddenSize) }
        let past =
            lay.reverse ? [] : (sample.initialSkipHistory[lay.label] ?? []).suffix(spec.skip ?? 0).map { tape.leaf($0) }
        return LayerState(hidden: h, cell: c, history: past, carried: past.count)
    }

    /// Runs one segment; returns the top layer's final hidden states (one per direction), the context C for a decoder.
    private func runSegment(prefix: String, start: Int, steps: Int, condition: Variable?) throws -> [Variable] {
        let layers = spec.layers(prefix: prefix)
        var condInput = spec.conditioned(prefix: prefix).input ? condition : nil
        let writes = spec.writesOutput(prefix: prefix)
        let lossSteps = Set((options.lossSteps ?? defaultLossSteps).resolve(steps: steps))
        var finals: [Variable] = []

        if layers.contains(where: \.reverse) {
            // Layer-major: each layer in both directions, joined, feeds the next.
            var xs: [Variable?] = (0..<steps).map { input(prefix: prefix, t: $0, column: start + $0) }
            for l in 0..<spec.layerCount {
                var hs: [[Variable]] = []
                for lay in layers where lay.layer == l {
                    var state = initialState(lay, condition: condition)
                    var run = LayerRun(
                        layout: lay, startColumn: start, initialHidden: state.hidden, initialCell: state.cell)
                    let order = lay.reverse ? Array((0..<steps).reversed()) : Array(0..<steps)
                    var h = [Variable?](repeating: nil, count: steps)
                    for (n, t) in order.enumerated() {
                        try startStep()
                        let sv = step(
                            lay, n: n, column: start + t, x: xs[t], state: &state,
                            condition: l == 0 ? condInput : nil, feedback: nil)
                        h[t] = sv.hidden
                        run.steps.append(sv)
                    }
                    run.steps.sort { $0.column < $1.column }
                    runs.append(run)
                    hs.append(h.compactMap { $0 })
                    if l == spec.layerCount - 1 { finals.append(state.hidden) }
                }
                xs = (0..<steps).map { t in tape.concatColumns(hs.map { $0[t] }) }
            }
            if writes {
                for t in 0..<steps {
                    if let x = xs[t] { emit(x, column: start + t, isLoss: lossSteps.contains(t), outputStep: t) }
                }
            }
            return finals
        }

        if kernelCovers(layers: layers, start: start, steps: steps, conditionInput: condInput, writes: writes) {
            return try runLSTMSequences(
                prefix: prefix, layers: layers, start: start, steps: steps, condition: condition, writes: writes,
                lossSteps: lossSteps)
        }

        // Time-major.
        var states = layers.map { initialState($0, condition: condition) }
        runs.append(
            contentsOf: zip(layers, states).map {
                LayerRun(layout: $0, startColumn: start, initialHidden: $1.hidden, initialCell: $1.cell)
            })
        let firstRun = runs.count - layers.count
        var previousOutput: Variable?
        let feeds = writes && spec.feedback != .none
        let reach = spec.skip ?? 0
        // Every input of the bottom layer is known before the first step, so its projection x·W_ihᵀ
        // is one gemm over all T·B rows (`projectRows`) instead of one small product per step.
        let firstInputs = (0..<steps).map { input(prefix: prefix, t: $0, column: start + $0) }
        var slab: Variable?
        if let bottom = layers.first, bottom.inputSize > 0, steps > 0 {
            let xs = firstInputs.compactMap { $0 }
            if xs.count == steps { slab = tape.projectRows(xs, p(bottom.name("weight_ih"))) }
        }
        for t in 0..<steps {
            try startStep()
            let column = start + t
            if cuts(before: column) && t > 0 {
                // Truncated BPTT: everything carried into the next chunk becomes a constant.
                for i in states.indices {
                    states[i].hidden = tape.detach(states[i].hidden)
                    states[i].cell = states[i].cell.map { tape.detach($0) }
                    let h = states[i].history
                    for j in max(0, h.count - reach)..<h.count { states[i].history[j] = tape.detach(h[j]) }
                }
                // The encoder's context is carried state too; a conditioning vector is an input, and is not cut.
                if prefix == "decoder." { condInput = condInput.map { tape.detach($0) } }
            }
            var x = firstInputs[t]
            for (i, lay) in layers.enumerated() {
                let fb = feeds && i == 0 ? fedBack(step: t, column: column, previous: previousOutput) : nil
                let sv = step(
                    lay, n: t, column: column, x: x, state: &states[i],
                    condition: i == 0 ? condInput : nil, feedback: fb,
                    projected: i == 0 ? slab.map { ($0, t * batch) } : nil)
                runs[firstRun + i].steps.append(sv)
                x = sv.hidden
            }
            if writes, let top = x {
                previousOutput = emit(top, column: column, isLoss: lossSteps.contains(t), outputStep: t)
            }
        }
        for (lay, state) in zip(layers, states) { finalStates[lay.label] = state }
        finals = states.last.map { [$0.hidden] } ?? []
        return finals
    }

    /// Whether a unidirectional segment is a plain (possibly stacked) LSTM the sequence kernel runs: no skip
    /// connection, deep transition or shortcut, conditioning input or output feedback, no truncation cut inside
    /// the segment, and no one-step Jacobians (they replay single steps of the tape).
    private func kernelCovers(
        layers: [LayerLayout], start: Int, steps: Int, conditionInput: Variable?, writes: Bool
    ) -> Bool {
        sequenceKernels && spec.cell == .lstm && steps > 0 && !layers.isEmpty && spec.skip == nil
            && spec.deep.transition == 0 && !spec.deep.shortcut && conditionInput == nil
            && !(writes && spec.feedback != .none) && !options.recordJacobians
            && !(1..<max(1, steps)).contains { cuts(before: start + $0) }
    }

    /// A plain LSTM segment layer by layer, each layer one `lstmSequence` group, then the outputs: the same
    /// runs, states and outputs the time-major loop records, in the same roles.
    private func runLSTMSequences(
        prefix: String, layers: [LayerLayout], start: Int, steps: Int, condition: Variable?, writes: Bool,
        lossSteps: Set<Int>
    ) throws -> [Variable] {
        let states = layers.map { initialState($0, condition: condition) }
        var xs = (0..<steps).map { input(prefix: prefix, t: $0, column: start + $0) }
        for (lay, state) in zip(layers, states) {
            guard let c0 = state.cell else { preconditionFailure("LSTM state without a cell") }
            let reads = lay.inputSize > 0
            let inputs = reads ? xs.compactMap { $0 } : []
            precondition(!reads || inputs.count == steps, "runLSTMSequences: a step of \(lay.label) has no input")
            let out = try tape.lstmSequence(
                steps: steps, inputs: inputs, weightIH: reads ? p(lay.name("weight_ih")) : nil,
                weightHH: p(lay.name("weight_hh")), biases: [p(lay.name("bias_ih")), p(lay.name("bias_hh"))],
                hidden0: state.hidden, cell0: c0)
            var run = LayerRun(layout: lay, startColumn: start, initialHidden: state.hidden, initialCell: c0)
            var previous = state.hidden
            for (t, o) in out.enumerated() { // [pre, i, f, g, o, c, h]
                run.steps.append(
                    StepVariables(
                        column: start + t, preactivation: [o[0]], gates: Array(o[1..<5]), hidden: o[6], cell: o[5],
                        previousHidden: previous, recurrentProduct: (o[0], previous)))
                previous = o[6]
            }
            runs.append(run)
            let hs = out.map { $0[6] }
            finalStates[lay.label] = LayerState(hidden: previous, cell: out.last?[5], history: hs, carried: 0)
            xs = hs
        }
        if writes {
            for (t, x) in xs.enumerated() {
                if let x { emit(x, column: start + t, isLoss: lossSteps.contains(t), outputStep: t) }
            }
        }
        return xs.last.flatMap { $0 }.map { [$0] } ?? []
    }

    /// A step boundary of the per-step path: counted against the tape's cancellation, and marked for the replays.
    /// - Throws: `CancellationError` when the computation is cancelled.
    private func startStep() throws {
        if tape.stopsAtStep() { throw CancellationError() }
        tape.markStepStart()
    }

    /// The value the dashed line feeds into the first layer at step `t`, recorded as a constant (no gradient
    /// flows back through it): zeros at the first step (there is no previous output); then, running free
    /// (`.output`), the one-hot of the model's own previous choice argmax y_{t-1}; with teacher forcing, the
    /// one-hot of the previous target's class.
    private func fedBack(step t: Int, column: Int, previous: Variable?) -> Variable {
        let o = spec.outputSize
        let value: Matrix<T>
        if t == 0 {
            value = Matrix(rows: batch, cols: o)
        } else if spec.feedback == .output, let y = previous {
            value = .oneHot(tape.value(y).argmaxRows(), cols: o)
        } else {
            value = .oneHot(sample.targets.classes(at: t - 1), cols: o)
        }
        let v = tape.constant(value)
        fed[column] = v
        return v
    }

    private var defaultLossSteps: LossSteps {
        spec.configuration == .manyToOne ? .last : .all
    }

    /// The output layer at one column, and its loss when one is taken there.
    @discardableResult
    private func emit(_ top: Variable, column: Int, isLoss: Bool, outputStep: Int) -> Variable {
        var u = top
        for j in 0..<spec.deep.output {
            u = tape.activate(
                tape.linear(u, weight: p("output_mlp.\(j).weight"), bias: p("output_mlp.\(j).bias")), .tanh)
        }
        let y = tape.linear(u, weight: p("output.weight"), bias: p("output.bias"))
        outputs[column] = y
        if isLoss && outputStep < sample.targets.count {
            switch (options.loss, sample.targets) {
            case (.mse, .values(let v)):
                losses[column] = tape.meanSquaredError(y, target: v[outputStep])
            case (.crossEntropy, .classes(let c)):
                losses[column] = tape.crossEntropy(y, classes: c[outputStep])
            case (.mse, .classes(let c)):
                losses[column] = tape.meanSquaredError(
                    y, target: Targets<T>.classes(c).matrix(at: outputStep, outputSize: spec.outputSize))
            case (.crossEntropy, .values):
                losses[column] = tape.crossEntropy(y, classes: sample.targets.classes(at: outputStep))
            }
            lossColumns.append(column)
        }
        return y
    }

    /// One step of one layer: the input projection with every extra input, then the cell.
    /// `projected`: this step's rows of the bottom layer's precomputed input projection, used instead of `x`.
    private func step(
        _ lay: LayerLayout, n: Int, column: Int, x: Variable?, state: inout LayerState,
        condition: Variable?, feedback: Variable?, projected: (v: Variable, row: Int)? = nil
    ) -> StepVariables {
        let h = lay.hiddenSize
        let hPrev = state.hidden
        var terms: [(x: Variable, w: Variable)] = []
        if let x, lay.inputSize > 0, projected == nil { terms.append((x, p(lay.name("weight_ih")))) }
        if let k = spec.skip {
            let j = n - k + state.carried
            let far = j >= 0 ? state.history[j] : zeros(h)
            terms.append((far, p(lay.name("weight_skip"))))
        }
        var hRec = hPrev
        for j in 0..<spec.deep.transition {
            let base = lay.name("transition") + ".\(j)"
            hRec = tape.activate(tape.linear(hRec, weight: p(base + ".weight"), bias: p(base + ".bias")), .tanh)
        }
        if spec.deep.shortcut { terms.append((hPrev, p(lay.name("weight_shortcut")))) }
        if let condition { terms.append((condition, p(lay.name("weight_cond")))) }
        if let feedback { terms.append((feedback, p(lay.name("weight_fb")))) }
        let width = spec.cell.gateCount * h
        let recurrent = (x: hRec, w: p(lay.name("weight_hh")))
        let biases = [p(lay.name("bias_ih")), p(lay.name("bias_hh"))]

        var sv: StepVariables
        switch spec.cell {
        case .rnn:
            // a_t + r_t in one node: every input term, the recurrence and both biases.
            let pre = tape.affine(terms + [recurrent], biases: biases, rows: batch, cols: width, slab: projected)
            let hNew = tape.activate(pre, spec.activation)
            sv = StepVariables(
                column: column, preactivation: [pre], gates: [], hidden: hNew, cell: nil, previousHidden: hPrev,
                recurrentProduct: (pre, hRec))
        case .lstm:
            let pre = tape.affine(terms + [recurrent], biases: biases, rows: batch, cols: width, slab: projected)
            guard let cPrev = state.cell else { preconditionFailure("LSTM state without a cell") }
            let out = tape.lstmCell(pre: pre, cellPrevious: cPrev) // [i, f, g, o, c, h]
            state.cell = out[4]
            sv = StepVariables(
                column: column, preactivation: [pre], gates: Array(out[0..<4]), hidden: out[5], cell: out[4],
                previousHidden: hPrev, recurrentProduct: (pre, hRec))
        case .gru:
            // The reset gate multiplies only the recurrent part of n, so a_t and r_t stay apart.
            let gx = tape.affine(terms, biases: [biases[0]], rows: batch, cols: width, slab: projected)
            let gh = tape.affine([recurrent], biases: [biases[1]], rows: batch, cols: width)
            let out = tape.gruCell(gx: gx, gh: gh, hiddenPrevious: hPrev) // [pre, r, z, n, h]
            sv = StepVariables(
                column: column, preactivation: [out[0]], gates: Array(out[1..<4]), hidden: out[4], cell: nil,
                previousHidden: hPrev, recurrentProduct: (gh, hRec))
        }
        state.hidden = sv.hidden
        state.history.append(sv.hidden)
        return sv
    }
}
