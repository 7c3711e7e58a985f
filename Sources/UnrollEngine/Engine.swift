import Foundation

/// A problem that stops a pass before it starts: the model, sample and options do not fit together.
public struct EngineError: Error, Equatable, CustomStringConvertible {
    /// Every problem found, as sentences.
    public var problems: [String]
    /// An error listing `problems`.
    public init(problems: [String]) { self.problems = problems }
    /// The problems, one per line.
    public var description: String { problems.joined(separator: "\n") }
}

/// The compute engine's entry points: forward, BPTT and every diagnostic, into a `Trace`.
public enum Engine {
    /// Every reason `sample` and `options` cannot run on `model`; empty when they can.
    public static func problems<T>(model: Model<T>, sample: Sample<T>, options: RunOptions) -> [String] {
        problems(model: model, sample: sample, options: options, needsLoss: true)
    }

    /// The problems; without `needsLoss`, a pass that takes no loss (a forward pass that only carries state) is fine.
    private static func problems<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions, needsLoss: Bool
    ) -> [String] {
        let spec = model.spec
        var p = spec.problems()
        let b = sample.batchSize
        if b < 1 { p.append("the batch is empty") }
        if sample.steps < 1 { p.append("the sequence is empty: at least one output step is needed") }
        func checkShapes(_ ms: [Matrix<T>], cols: Int, what: String) {
            for (t, m) in ms.enumerated() where m.rows != b || m.cols != cols {
                p.append("\(what) at step \(t) is \(m.rows)x\(m.cols), expected \(b)x\(cols)")
                return
            }
        }
        checkShapes(sample.inputs, cols: spec.inputSize, what: "input")
        checkShapes(sample.decoderInputs, cols: spec.decoderInputSize, what: "decoder input")
        switch spec.configuration {
        case .oneToOne:
            if sample.steps != 1 || sample.inputs.count != 1 {
                p.append("one-to-one takes exactly one input and one step")
            }
        case .oneToMany:
            if sample.inputs.count > 1 { p.append("one-to-many takes one input, found \(sample.inputs.count)") }
        case .manyToOne, .manyToMany:
            if sample.inputs.count > sample.steps {
                p.append("\(sample.inputs.count) inputs for \(sample.steps) steps")
            }
        case .encoderDecoder:
            if sample.inputs.isEmpty { p.append("the encoder needs at least one input step") }
        }
        if sample.conditioning != nil && (spec.conditioningSize == nil || spec.configuration == .encoderDecoder) {
            p.append("the sample has a conditioning vector, but the model takes none")
        }
        if let v = spec.conditioningSize, spec.configuration != .encoderDecoder {
            if let c = sample.conditioning {
                if c.rows != b || c.cols != v {
                    p.append("conditioning vector is \(c.rows)x\(c.cols), expected \(b)x\(v)")
                }
            } else {
                p.append("the model takes a conditioning vector of size \(v), but the sample has none")
            }
        }
        let needed = (options.lossSteps ?? (spec.configuration == .manyToOne ? .last : .all)).resolve(
            steps: sample.steps)
        if needed.isEmpty && needsLoss { p.append("no loss step lies within the \(sample.steps) output steps") }
        if let last = needed.last, last >= sample.targets.count {
            p.append("a loss is taken at step \(last), but targets cover \(sample.targets.count) steps")
        }
        if spec.feedback == .teacherForcing && sample.targets.count < sample.steps - 1 {
            p.append("teacher forcing needs a target for every step but the last")
        }
        switch sample.targets {
        case .values(let v): checkShapes(v, cols: spec.outputSize, what: "target")
        case .classes(let c):
            for (t, row) in c.enumerated() {
                if row.count != b {
                    p.append("targets at step \(t) have \(row.count) classes for a batch of \(b)")
                    break
                }
                if let bad = row.first(where: { $0 < 0 || $0 >= spec.outputSize }) {
                    p.append("class \(bad) at step \(t) is outside 0..<\(spec.outputSize)")
                    break
                }
            }
        }
        let sizes = Dictionary(
            spec.segmentPrefixes.flatMap { spec.layers(prefix: $0) }.map { ($0.label, $0.hiddenSize) }
        ) { a, _ in a }
        for (what, states) in [
            ("initial hidden state", sample.initialHidden), ("initial cell state", sample.initialCell)
        ] {
            for (label, m) in states.sorted(by: { $0.key < $1.key }) {
                guard let h = sizes[label] else {
                    p.append(
                        "\(what) for \(label): the model has no layer of that name (it has \(sizes.keys.sorted().joined(separator: ", ")))"
                    )
                    continue
                }
                if m.rows != b || m.cols != h {
                    p.append("\(what) for \(label) is \(m.rows)x\(m.cols), expected \(b)x\(h)")
                }
            }
        }
        if !sample.initialCell.isEmpty && spec.cell != .lstm {
            p.append("initial cell states are for LSTM layers only")
        }
        for (label, ms) in sample.initialSkipHistory.sorted(by: { $0.key < $1.key }) {
            if sizes[label] == nil {
                p.append("skip history for \(label): the model has no layer of that name")
                continue
            }
            if let m = ms.first(where: { $0.rows != b || $0.cols != sizes[label] }) {
                p.append(
                    "skip history for \(label) has a \(m.rows)x\(m.cols) state, expected \(b)x\(sizes[label] ?? 0)")
            }
        }
        if let k = options.truncation {
            if k < 1 { p.append("truncation must be at least 1 step, found \(k)") }
            if spec.bidirectional {
                p.append("truncated BPTT needs a causal model; a bidirectional layer reads the whole sequence")
            }
        }
        switch options.clipping {
        case .norm(let v), .value(let v):
            if !(v > 0) || !v.isFinite { p.append("the clipping threshold must be a positive number, found \(v)") }
        case .none: break
        }
        return p
    }

    /// One forward pass and full (or truncated) backpropagation through time, recording the `Trace`:
    /// `try forward(model:sample:options:).backward()`.
    ///
    /// - Throws: `EngineError` when `problems(model:sample:options:)` finds any.
    /// - Complexity: forward and backward are each O(T·L·B·H·(H+I)) through BLAS, and one
    ///   diagnostic sweep, along the states alone (no parameter or input gradients), for the last loss unless it
    ///   is the only loss (then the loss sweep's own gradients serve), carried in the loss sweep's replay (two
    ///   adjoints per node, one product for both where a node shares them), shared by the focus loss when it is the same;
    ///   with `recordJacobians`, H more vector–Jacobian products per step and layer.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func run<T>(model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions()) throws -> Trace<T>
    {
        try forward(model: model, sample: sample, options: options).backward()
    }

    /// Each step's term of every layer's recurrent weight gradient, ∂L/∂W_hh = Σ_t δ_tᵀ·h_{t-1} (`G·H × H` each,
    /// per layer in `Trace.layers` order, steps in time order), from one forward pass and the loss's backward sweep:
    /// the matrices whose norms `LayerTrace.recurrentTermNorms` records. The terms sum to the trace's ∂L/∂W_hh.
    /// - Throws: `EngineError` when `problems(model:sample:options:)` finds any.
    /// - Complexity: a forward and a backward pass, then one gemm per step and layer.
    public static func recurrentWeightTerms<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions()
    ) throws -> [[Matrix<T>]] {
        let (u, total) = try unrolled(model: model, sample: sample, options: options)
        u.tape.backward(from: total)
        return u.runs.map { recurrentTerms(u.tape, $0) }
    }

    /// The forward pass of a run, stopped before any backward sweep: its ``ForwardPass/trace`` (the forward
    /// values alone) can be shown at once, and ``ForwardPass/backward()`` finishes the run. A pass never
    /// carried on costs nothing more.
    ///
    /// `cancellation` is checked at every step boundary, here and in ``ForwardPass/backward(cancellation:)``.
    ///
    /// - Throws: `EngineError` when `problems(model:sample:options:)` finds any; `CancellationError` when
    ///   `cancellation` stops the pass.
    /// - Complexity: O(T·L·B·H·(H+I)) through BLAS; with `recordJacobians`, H vector–Jacobian products per step
    ///   and layer.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func forward<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions(), cancellation: Cancellation? = nil
    ) throws
        -> ForwardPass<T>
    {
        try forward(
            model: model, sample: sample, options: options, sequenceKernels: LSTMSequence<T>.enabledByDefault,
            cancellation: cancellation)
    }

    /// `forward(model:sample:options:cancellation:)`, with the LSTM sequence kernel on or off (tests compare the two).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func forward<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions, sequenceKernels: Bool,
        cancellation: Cancellation? = nil
    ) throws -> ForwardPass<T> {
        let (u, total) = try unrolled(
            model: model, sample: sample, options: options, sequenceKernels: sequenceKernels, jacobians: true,
            cancellation: cancellation)
        let tape = u.tape
        let steps = u.runs.flatMap(\.steps)
        // One-step Jacobian norms, all computed in one scratch pass over the tape: the forward stage shows them
        // (they need the forward values only, and `backward` starts from fresh gradients, so they change nothing).
        var jacobianNorms: [Int: Double] = [:]
        if options.recordJacobians {
            tape.cancellation = cancellation
            defer { tape.cancellation = nil }
            let jacobians = tape.jacobians(steps.map { ($0.hidden, $0.previousHidden) })
            if tape.isCancelled { throw CancellationError() }
            for (sv, j) in zip(steps, jacobians) { jacobianNorms[sv.hidden.id] = Spectrum.largestSingularValue(j) }
        }
        return ForwardPass(unroller: u, total: total, model: model, options: options, jacobianNorms: jacobianNorms)
    }

    /// The backward sweeps of a forward pass and the whole trace (``ForwardPass/backward()``), or nil when
    /// `cancellation` (checked at every step of every sweep) stopped them.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func backward<T>(_ pass: ForwardPass<T>, cancellation: Cancellation?) -> Trace<T>? {
        backward(pass, cancellation: cancellation, sharedSweep: sharedSweepEnabled)
    }

    /// `backward(_:cancellation:)`, with the last loss's diagnostic sweep carried in the loss sweep's replay
    /// (`Tape.backward(from:alongWith:withRespectTo:)`, `sharedSweep`) or run after it on its own (tests
    /// compare the two; `UNROLL_SHARED_SWEEP=0` runs it on its own, to compare the two in one build,
    /// docs/performance.md).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func backward<T>(_ pass: ForwardPass<T>, cancellation: Cancellation? = nil, sharedSweep: Bool) -> Trace<T>? {
        let u = pass.unroller, total = pass.total, model = pass.model, options = pass.options
        let jacobianNorms = pass.jacobianNorms
        let tape = u.tape
        tape.cancellation = cancellation
        defer { tape.cancellation = nil }
        let steps = u.runs.flatMap(\.steps)

        // The gradient of one loss alone at every hidden and cell state: the loss sweep's own when that
        // loss is the only one (the same replay from the same node), else a diagnostic sweep per loss,
        // shared by the last-loss and focus norms when they name the same loss. The last loss's sweep
        // runs inside the loss sweep's replay, two adjoints per node (`sharedSweep`).
        let stateVars = steps.map(\.hidden) + steps.compactMap(\.cell)
        var sweeps: [Int: [Matrix<T>]] = [:]
        if sharedSweep, let lastColumn = u.lossColumns.last, let lastLoss = u.losses[lastColumn], lastLoss != total {
            sweeps[lastLoss.id] = tape.backward(from: total, alongWith: lastLoss, withRespectTo: stateVars)
        } else {
            tape.backward(from: total)
        }
        if tape.isCancelled { return nil }
        func stateGradients(_ loss: Tape<T>.Variable) -> [Matrix<T>] {
            if let done = sweeps[loss.id] { return done }
            let grads =
                loss == total
                ? stateVars.map { tape.gradientOrZero($0) }
                : tape.gradients(of: loss, withRespectTo: stateVars)
            sweeps[loss.id] = grads
            return grads
        }

        // The gradient of the last loss step alone, at every hidden state.
        var lastNorms: [Int: Double] = [:]
        if let lastColumn = u.lossColumns.last, let lastLoss = u.losses[lastColumn] {
            let grads = stateGradients(lastLoss)
            if tape.isCancelled { return nil }
            for (sv, g) in zip(steps, grads) { lastNorms[sv.hidden.id] = Double(g.norm) }
        }

        // The gradient of one chosen loss alone, at every hidden state and (LSTM) cell state.
        var focusNorms: [Int: (hidden: Double, cell: Double)] = [:]
        if let focus = options.focusLoss {
            let column: Int? =
                switch focus {
                case .last: u.lossColumns.last
                case .column(let c): c
                }
            if let column, let loss = u.losses[column] {
                let grads = stateGradients(loss)
                if tape.isCancelled { return nil }
                focusNorms = focusLossNorms(tape, grads: grads, steps: steps)
            } else {
                for sv in steps { focusNorms[sv.hidden.id] = (0, sv.cell == nil ? .nan : 0) }
            }
        }

        return record(
            u, total: total, model: model, options: options, jacobians: jacobianNorms,
            backward: BackwardNorms(last: lastNorms, focus: focusNorms))
    }

    /// The trace of a forward pass alone (``ForwardPass/trace``).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func forwardTrace<T>(_ pass: ForwardPass<T>) -> Trace<T> {
        record(
            pass.unroller, total: pass.total, model: pass.model, options: pass.options, jacobians: pass.jacobianNorms,
            backward: nil)
    }

    /// The per-step norms of the backward sweeps, keyed by the hidden state's variable id.
    private struct BackwardNorms {
        var last: [Int: Double]
        var focus: [Int: (hidden: Double, cell: Double)]
    }

    /// The trace of a pass: after the backward sweeps (`backward` given), or of the forward pass alone (nil:
    /// gradients are zero matrices of their shapes, sharing one buffer per shape, and every gradient norm NaN).
    /// `jacobians`: the one-step Jacobian norms by hidden state id (empty when not recorded).
    private static func record<T>(
        _ u: Unroller<T>, total: Tape<T>.Variable, model: Model<T>, options: RunOptions,
        jacobians: [Int: Double], backward: BackwardNorms?
    ) -> Trace<T> {
        let tape = u.tape
        var zeros: [Int: Matrix<T>] = [:]
        func zero(like v: Tape<T>.Variable) -> Matrix<T> {
            let m = tape.value(v)
            let key = m.rows << 32 | m.cols
            if let z = zeros[key] { return z }
            let z = Matrix<T>(rows: m.rows, cols: m.cols)
            zeros[key] = z
            return z
        }
        func gradient(_ v: Tape<T>.Variable) -> Matrix<T> { backward == nil ? zero(like: v) : tape.gradientOrZero(v) }
        func norm(_ m: Matrix<T>) -> Double { backward == nil ? .nan : Double(m.norm) }
        let layers = u.runs.map { run -> LayerTrace<T> in
            let steps = run.steps.map { sv -> StepTrace<T> in
                let jac = jacobians[sv.hidden.id] ?? .nan
                var cellJac = Double.nan
                if model.spec.cell == .lstm, sv.gates.count == 4 {
                    cellJac = Double(tape.value(sv.gates[1]).row(0).max() ?? 0)
                }
                let hiddenGradient = gradient(sv.hidden)
                let pre =
                    sv.preactivation.count == 1
                    ? tape.value(sv.preactivation[0])
                    : Matrix.joinedColumns(sv.preactivation.map { tape.value($0) })
                return StepTrace(
                    column: sv.column, preactivation: pre, gates: sv.gates.map { tape.value($0) },
                    hidden: tape.value(sv.hidden), cell: sv.cell.map { tape.value($0) },
                    hiddenGradient: hiddenGradient, hiddenGradientNorm: norm(hiddenGradient),
                    cellGradient: sv.cell.map { backward == nil ? zero(like: $0) : tape.totalGradientOrZero($0) },
                    jacobianNorm: jac, cellJacobianNorm: cellJac,
                    lastLossGradientNorm: backward.map { $0.last[sv.hidden.id] ?? 0 } ?? .nan,
                    focusLossGradientNorm: backward?.focus[sv.hidden.id]?.hidden ?? .nan,
                    focusLossCellGradientNorm: backward?.focus[sv.hidden.id]?.cell ?? .nan)
            }
            var layer = LayerTrace(
                label: run.layout.label, layer: run.layout.layer, reverse: run.layout.reverse,
                segment: run.layout.prefix, hiddenSize: run.layout.hiddenSize, steps: StepColumns(steps),
                startColumn: run.startColumn,
                initialHidden: tape.value(run.initialHidden), initialHiddenGradient: gradient(run.initialHidden),
                initialCell: run.initialCell.map { tape.value($0) }, initialCellGradient: run.initialCell.map(gradient))
            let nan = [Double](repeating: .nan, count: run.steps.count)
            (layer.recurrentTermNorms, layer.recurrentSumNorms) = backward == nil ? (nan, nan) : recurrentTermNorms(tape, run)
            return layer
        }

        let gradients = u.parameters.map(gradient)
        let (clipped, report) =
            backward == nil
            ? (gradients, ClipReport(clipping: options.clipping, normBefore: .nan, normAfter: .nan, clipped: false))
            : clip(gradients, options.clipping)
        let cols = u.columns
        let inputGradients = (0..<cols).map { c in u.inputs[c].map(gradient) }
        let outputs = (0..<cols).map { c in u.outputs[c].map { tape.value($0) } }
        let outputGradients = (0..<cols).map { c in u.outputs[c].map(gradient) }
        var trace = Trace<T>(
            spec: model.spec, options: options, batchSize: u.batch, columns: cols,
            decoderStartColumn: u.decoderStart,
            inputs: MatrixSlots((0..<cols).map { c in u.inputs[c].map { tape.value($0) } }),
            inputGradients: MatrixSlots(inputGradients), inputGradientNorms: inputGradients.map { $0.map(norm) },
            conditioning: u.conditioning.map { tape.value($0) },
            conditioningGradient: u.conditioning.map(gradient),
            context: u.context.map { tape.value($0) },
            layers: layers,
            outputs: MatrixSlots(outputs),
            outputGradients: MatrixSlots(outputGradients), outputGradientNorms: outputGradients.map { $0.map(norm) },
            probabilities: MatrixSlots(
                options.loss == .crossEntropy
                    ? outputs.map { $0?.softmaxRows().probabilities }
                    : outputs.map { _ in nil }),
            losses: (0..<cols).map { c in u.losses[c].map { tape.value($0).storage[0] } },
            loss: tape.value(total).storage[0],
            lossColumns: u.lossColumns,
            parameterNames: model.layout.map(\.name),
            parameters: model.values,
            gradients: gradients, clippedGradients: clipped, clip: report,
            recurrent: !options.recordSpectra
                ? []
                : model.recurrentBlocks.map {
                    RecurrentSpectrum(
                        name: $0.name, spectralRadius: Spectrum.radius($0.block),
                        largestSingularValue: Spectrum.largestSingularValue($0.block))
                },
            nonFiniteForwardColumn: nil, nonFiniteBackwardColumn: nil,
            fedBack: MatrixSlots((0..<cols).map { c in u.fed[c].map { tape.value($0) } }))
        trace.hasGradients = backward != nil
        markNonFinite(&trace)
        return trace
    }

    /// Each step's term of the layer's recurrent weight gradient, `∂L/∂W_hh = Σ_t δ_tᵀ·h_{t-1}` (`G·H × H`), in
    /// time order: δ_t is the loss sweep's gradient at the step's pre-activation (GRU: at `W_hh h_{t-1} + b_hh`),
    /// h_{t-1} the state the step read (`s_t` after a deep transition). The same pairs the tape's deferred
    /// weight product sums in one gemm, one product each. Call after `tape.backward(from:)`.
    /// - Complexity: one `G·H × B × H` gemm per step.
    static func recurrentTerms<T>(_ tape: Tape<T>, _ run: Unroller<T>.LayerRun) -> [Matrix<T>] {
        run.steps.map { sv in
            BLAS.product(
                tape.gradientOrZero(sv.recurrentProduct.gradientAt), transposeA: true,
                tape.value(sv.recurrentProduct.input))
        }
    }

    /// The Frobenius norm of each step's term of ∂L/∂W_hh (`recurrentTerms`), and of the sum of the terms the
    /// backward sweep has reached at each step (its own and every later one in processing order: from the last
    /// step back to t, from the first for a reverse layer); the first step's sum is the whole ∂L/∂W_hh.
    ///
    /// Without forming a term: with every step's δ rows stacked in G (`T·B × G·H`) and its input rows in X
    /// (`T·B × H`), in the order the sweep reaches them, ⟨δ_sᵀh_s, δ_tᵀh_t⟩ is the sum over their batch rows of
    /// (G Gᵀ ⊙ X Xᵀ), so two symmetric products (syrk: one triangle each) give every term's norm and, by running
    /// block sums, every partial sum's. When that costs more multiply-adds, (T·B)²·(G·H + H + 2)/2, than forming the
    /// terms and adding them one by one, T·G·H·H·(B + 3) (long sequences, large batches: the 512-unit LSTM at
    /// T = 100, B = 32 takes 13 G against 3.7 G), the terms are formed one at a time instead, so one `G·H × H` term
    /// is held at once.
    /// - Complexity: O((T·B)²·(G·H + H)) through BLAS, or one gemm and two passes over `G·H × H` per step.
    private static func recurrentTermNorms<T>(
        _ tape: Tape<T>, _ run: Unroller<T>.LayerRun
    ) -> (terms: [Double], sums: [Double]) {
        let count = run.steps.count
        let order = run.layout.reverse ? Array(0..<count) : Array((0..<count).reversed())
        let gs = order.map { tape.gradientOrZero(run.steps[$0].recurrentProduct.gradientAt) }
        let xs = order.map { tape.value(run.steps[$0].recurrentProduct.input) }
        guard let g0 = gs.first, let x0 = xs.first else { return ([], []) }
        let b = g0.rows
        var terms = [Double](repeating: .nan, count: count), sums = terms
        let rows = Double(count * b), gh = Double(g0.cols), h = Double(x0.cols)
        if rows * rows * (gh + h + 2) / 2 > Double(count) * gh * h * Double(b + 3) {
            // The term is added into the sum by its own gemm (β = 1), never held; its norm comes from the step's
            // B × B Gram matrices, ‖δᵀh‖² = Σ (δδᵀ ⊙ hhᵀ).
            var sum = Matrix<T>(rows: g0.cols, cols: x0.cols)
            for (k, i) in order.enumerated() {
                let gg = BLAS.product(gs[k], gs[k], transposeB: true), xx = BLAS.product(xs[k], xs[k], transposeB: true)
                var square = 0.0
                for e in gg.storage.indices { square += Double(gg.storage[e]) * Double(xx.storage[e]) }
                terms[i] = max(0, square).squareRoot()
                BLAS.gemm(gs[k], transposeA: true, xs[k], into: &sum, beta: 1)
                sums[i] = Double(sum.norm)
            }
            return (terms, sums)
        }
        func stacked(_ ms: [Matrix<T>]) -> Matrix<T> {
            Matrix(rows: ms.count * b, cols: ms[0].cols, storage: ms.flatMap(\.storage))
        }
        let g = stacked(gs), x = stacked(xs)
        // Only the upper triangles (syrk, half a gemm's work): block (j, i) for j ≤ i is
        // ⟨term of the j-th step reached, term of the i-th⟩, which is all the sums below read.
        let gg = gram(g), xx = gram(x)
        let n = count * b
        var inner = [Double](repeating: 0, count: count * count)
        for i in 0..<count {
            for j in 0...i {
                var v = 0.0
                for r in 0..<b {
                    for c in 0..<b {
                        // Row j·b + r, column i·b + c, or its mirror in the diagonal block.
                        let (row, col) = (j * b + r, i * b + c)
                        let e = row <= col ? row * n + col : col * n + row
                        v += Double(gg[e]) * Double(xx[e])
                    }
                }
                inner[j * count + i] = v
            }
        }
        var square = 0.0
        for i in 0..<count {
            var cross = 0.0
            for j in 0..<i { cross += inner[j * count + i] }
            square += inner[i * count + i] + 2 * cross
            terms[order[i]] = max(0, inner[i * count + i]).squareRoot()
            sums[order[i]] = max(0, square).squareRoot()
        }
        return (terms, sums)
    }

    /// The upper triangle of `m·mᵀ` (`m.rows × m.rows`, row-major; below the diagonal zeros).
    private static func gram<T>(_ m: Matrix<T>) -> [T] {
        var out = [T](repeating: 0, count: m.rows * m.rows)
        guard m.rows > 0, m.cols > 0 else { return out }
        m.storage.withUnsafeBufferPointer { a in
            out.withUnsafeMutableBufferPointer { c in
                guard let ap = a.baseAddress, let cp = c.baseAddress else { return }
                BLASThreads.use(work: m.rows * m.rows * m.cols / 2)
                T.syrkUpper(n: m.rows, k: m.cols, a: ap, lda: m.cols, c: cp, ldc: m.rows)
            }
        }
        return out
    }

    /// ‖∂loss/∂h_t‖ and, for an LSTM step, the total ‖∂loss/∂c_t‖ at every step, keyed by the hidden
    /// state's id, from one loss's gradients at `steps`' hidden states then their cell states. The tape's
    /// gradient at c_t holds only what arrived through c_{t+1}; the path through
    /// h_t = o_t ⊙ tanh(c_t) is added here: ∂loss/∂h_t ⊙ o_t ⊙ (1 − tanh²c_t).
    /// - Complexity: O(T·B·H).
    private static func focusLossNorms<T>(
        _ tape: Tape<T>, grads: [Matrix<T>],
        steps: [Unroller<T>.StepVariables]
    ) -> [Int: (hidden: Double, cell: Double)] {
        var out: [Int: (hidden: Double, cell: Double)] = [:]
        var next = steps.count
        for (i, sv) in steps.enumerated() {
            let gh = grads[i]
            var cellNorm = Double.nan
            if let c = sv.cell, sv.gates.count == 4 {
                var gc = grads[next]
                next += 1
                let cv = tape.value(c), o = tape.value(sv.gates[3])
                for k in gc.storage.indices {
                    let th = T.tanh(cv.storage[k])
                    gc.storage[k] += gh.storage[k] * o.storage[k] * (1 - th * th)
                }
                cellNorm = Double(gc.norm)
            }
            out[sv.hidden.id] = (Double(gh.norm), cellNorm)
        }
        return out
    }

    /// Loss, outputs and parameter gradients only: what one training iteration needs.
    ///
    /// Records no per-step trace, Jacobians or spectra. The gradients equal `run`'s.
    /// - Throws: `EngineError` as `run` does.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func gradients<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions()
    ) throws -> Gradients<T> {
        let (u, total) = try unrolled(
            model: model, sample: sample, options: options, constantInputs: true, stepValues: false)
        let tape = u.tape
        tape.recordsStateGradients = false
        tape.backward(from: total)
        let gradients = u.parameters.map { tape.gradientOrZero($0) }
        let (clipped, report) = clip(gradients, options.clipping)
        return Gradients(
            loss: tape.value(total).storage[0],
            outputs: (0..<u.columns).map { c in u.outputs[c].map { tape.value($0) } },
            gradients: gradients, clippedGradients: clipped, clip: report, carried: carried(u))
    }

    /// The forward pass alone, for the state it ends with: how truncated BPTT crosses a chunk
    /// that takes no loss (its state is carried, no update is made). The sample may take no loss.
    /// - Throws: `EngineError` when `problems(model:sample:options:)` finds any but a missing loss.
    /// - Complexity: one forward pass, O(T·L·B·H·(H+I)).
    public static func carry<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions()
    ) throws -> [String: CarriedState<T>] {
        try forwardOutputs(model: model, sample: sample, options: options).carried
    }

    /// The forward pass alone, for its outputs (by column; nil where none is written) and the state it ends with:
    /// what sampling from a character model needs, a step at a time, with no backward sweep. The outputs are the
    /// values `gradients` returns for the same sample. The sample may take no loss.
    /// - Throws: `EngineError` when `problems(model:sample:options:)` finds any but a missing loss.
    /// - Complexity: one forward pass, O(T·L·B·H·(H+I)).
    public static func forwardOutputs<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions()
    ) throws -> (outputs: [Matrix<T>?], carried: [String: CarriedState<T>]) {
        let problems = problems(model: model, sample: sample, options: options, needsLoss: false)
        guard problems.isEmpty else { throw EngineError(problems: problems) }
        var unrolling = options
        unrolling.recordJacobians = false // a forward pass alone records none: the sequence kernel may run
        let u = Unroller(model: model, sample: sample, options: unrolling, constantInputs: true)
        try u.forward()
        return ((0..<u.columns).map { c in u.outputs[c].map { u.tape.value($0) } }, carried(u))
    }

    /// The values of the unroller's final states, each with the last k (skip) hidden states.
    private static func carried<T>(_ u: Unroller<T>) -> [String: CarriedState<T>] {
        let reach = u.spec.skip ?? 0
        return u.finalStates.mapValues { s in
            CarriedState(
                hidden: u.tape.value(s.hidden), cell: s.cell.map { u.tape.value($0) },
                skipHistory: s.history.suffix(reach).map { u.tape.value($0) })
        }
    }

    /// The total loss alone, from a forward pass (what a finite-difference check perturbs).
    /// - Throws: `EngineError` as `run` does.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func loss<T>(model: Model<T>, sample: Sample<T>, options: RunOptions = RunOptions()) throws -> T {
        let (u, total) = try unrolled(model: model, sample: sample, options: options)
        return u.tape.value(total).storage[0]
    }

    /// The checks and forward pass `run`, `gradients` and `loss` share: the unroller on its tape and the total loss.
    /// - Throws: `EngineError` when `problems(model:sample:options:)` finds any, or no loss was taken.
    /// `jacobians`: whether the pass records one-step Jacobians (`forward` when the options ask; `gradients`,
    /// `loss` and the others never do, so `options.recordJacobians` does not keep them off the sequence kernel).
    /// `cancellation` is the tape's during the forward pass (`CancellationError` when it stops it), none after.
    private static func unrolled<T>(
        model: Model<T>, sample: Sample<T>, options: RunOptions,
        constantInputs: Bool = false, sequenceKernels: Bool = LSTMSequence<T>.enabledByDefault, jacobians: Bool = false,
        stepValues: Bool = true, cancellation: Cancellation? = nil
    ) throws -> (Unroller<T>, Tape<T>.Variable) {
        let problems = problems(model: model, sample: sample, options: options)
        guard problems.isEmpty else { throw EngineError(problems: problems) }
        var unrolling = options
        unrolling.recordJacobians = jacobians && options.recordJacobians
        let u = Unroller(
            model: model, sample: sample, options: unrolling, constantInputs: constantInputs,
            sequenceKernels: sequenceKernels)
        u.tape.cancellation = cancellation
        u.tape.keepsStepValues = stepValues
        defer { u.tape.cancellation = nil }
        try u.forward()
        guard let total = u.totalLoss else { throw EngineError(problems: ["no loss was taken"]) }
        return (u, total)
    }

    /// Applies `clipping` to a set of gradients, returning them and the norms before and after.
    ///
    /// By norm, as PyTorch's `clip_grad_norm_`: every gradient is scaled by
    /// `max / (norm + 1e-6)` when that is below 1. By value, as `clip_grad_value_`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    public static func clip<T>(_ gradients: [Matrix<T>], _ clipping: Clipping) -> ([Matrix<T>], ClipReport) {
        func globalNorm(_ gs: [Matrix<T>]) -> Double {
            gs.reduce(0.0) { acc, g in
                let n = Double(g.norm)
                return acc + n * n
            }.squareRoot()
        }
        let before = globalNorm(gradients)
        var out = gradients
        var clipped = false
        switch clipping {
        case .none:
            break
        case .norm(let maxNorm):
            let coef = maxNorm / (before + 1e-6)
            if coef < 1 || before.isNaN {
                clipped = true
                for i in out.indices { for k in out[i].storage.indices { out[i].storage[k] *= T(coef) } }
            }
        case .value(let v):
            let lim = T(v)
            for i in out.indices {
                for k in out[i].storage.indices {
                    let g = out[i].storage[k]
                    let c = Swift.min(Swift.max(g, -lim), lim)
                    if !g.isNaN && c != g {
                        clipped = true
                        out[i].storage[k] = c
                    }
                }
            }
        }
        return (
            out,
            ClipReport(
                clipping: clipping, normBefore: before, normAfter: clipped ? globalNorm(out) : before, clipped: clipped)
        )
    }

    private static func markNonFinite<T>(_ t: inout Trace<T>) {
        var forward: Int?, backward: Int?
        for l in t.layers {
            let s = l.steps
            for i in s.indices {
                let column = s.firstColumn + i
                if !(s.hidden.isFinite(i) && (s.cell?.isFinite(i) ?? true)) { forward = min(forward ?? column, column) }
                if !(s.hiddenGradient.isFinite(i) && (s.cellGradient?.isFinite(i) ?? true)) {
                    backward = max(backward ?? column, column)
                }
            }
        }
        for c in 0..<t.columns where !(t.outputs[c]?.isFinite ?? true) || !(t.losses[c]?.isFinite ?? true) {
            forward = min(forward ?? c, c)
        }
        t.nonFiniteForwardColumn = forward
        t.nonFiniteBackwardColumn = backward
    }
}

/// `UNROLL_SHARED_SWEEP` read once: the trace's last-loss sweep shares the loss sweep's replay unless it is `0`.
private let sharedSweepEnabled = ProcessInfo.processInfo.environment["UNROLL_SHARED_SWEEP"] != "0"
