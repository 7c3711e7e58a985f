import Foundation

/// One LSTM layer over a whole sequence, outside the tape: the forward pass over all T steps and the backward
/// sweep in one loop each, on buffers allocated once per sequence (`Tape.lstmSequence` records it as one group).
///
/// Forward: one gemm for the input projection of all T·B rows, then per step one product with `W_hh` and the
/// fused gate math (the same `GateFunction` loops and the same order of additions as `Tape.lstmCell`), writing
/// the pre-activations, gates, c, tanh(c) and h into the buffers. Backward: per step (last to first) the cell's
/// elementwise backward and one product `δ_t·W_hh` for `∂L/∂h_{t-1}`; the weight, bias and input gradients are
/// then single products over all T·B rows (`Tape.lstmSequence`).
///
/// Layouts (`n = B·H`): `pre` and `dPre` are `T·B × 4H` row-major (blocks i f g o in each row); `gates` holds per
/// step four `B × H` blocks i, f, g, o; `states` and `cells` hold `T + 1` blocks of `n`, the first the initial state.
final class LSTMSequence<T: EngineScalar> {
    let steps: Int, batch: Int, hidden: Int, inputSize: Int
    /// `B·H`, one state block.
    let n: Int
    /// The stacked inputs, `T·B × I` (nothing when I = 0).
    let input: UnsafeMutablePointer<T>
    let pre: UnsafeMutablePointer<T>
    let gates: UnsafeMutablePointer<T>
    let cells: UnsafeMutablePointer<T>
    let tanhCells: UnsafeMutablePointer<T>
    let states: UnsafeMutablePointer<T>
    /// Backward, for `lanes` adjoints carried together (the loss's, and a second loss's in a shared sweep): ∂L/∂pre
    /// per step (`T·B·lanes × 4H`), the total ∂L/∂h_t, the part of ∂L/∂c_t that arrives from c_{t+1}, the total
    /// ∂L/∂c_t (`T` blocks of `B·lanes × H`); and ∂L/∂h_{-1}, ∂L/∂c_{-1} (`B·lanes × H` each). Within a step, row
    /// `r·lanes + lane` is batch row r of adjoint `lane`, so each step's two adjoints are one `2B × 4H` matrix and
    /// the product with `W_hh` takes both at once; one adjoint's rows over all steps are evenly spaced (stride
    /// `lanes` rows), so its weight gradients stay single products. Allocated by the first backward sweep.
    private(set) var lanes = 0
    private(set) var dPre: UnsafeMutablePointer<T>
    private(set) var dHidden: UnsafeMutablePointer<T>
    private(set) var dCellNext: UnsafeMutablePointer<T>
    private(set) var dCellTotal: UnsafeMutablePointer<T>
    private(set) var dHidden0: UnsafeMutablePointer<T>
    private(set) var dCell0: UnsafeMutablePointer<T>
    /// `W_hh` (`4H × H`), read by both passes.
    let recurrentWeight: Matrix<T>

    /// Buffers for `steps` steps of `batch` rows, `hidden` units and `inputSize` input features.
    init(steps: Int, batch: Int, hidden: Int, inputSize: Int, recurrentWeight: Matrix<T>) {
        precondition(steps > 0 && batch > 0 && hidden > 0 && inputSize >= 0, "LSTMSequence: empty shape")
        precondition(
            recurrentWeight.rows == 4 * hidden && recurrentWeight.cols == hidden,
            "LSTMSequence: W_hh is \(recurrentWeight.rows)x\(recurrentWeight.cols), expected \(4 * hidden)x\(hidden)")
        self.steps = steps
        self.batch = batch
        self.hidden = hidden
        self.inputSize = inputSize
        self.recurrentWeight = recurrentWeight
        n = batch * hidden
        // Every entry is written before it is read (`forward` copies the inputs and the initial states, the
        // input projection's gemm writes `pre` with β = 0), so nothing is zero-filled, except `pre` without
        // inputs, where the biases are added to it.
        func buffer(_ count: Int) -> UnsafeMutablePointer<T> { .allocate(capacity: max(1, count)) }
        input = buffer(steps * batch * inputSize)
        pre = buffer(steps * 4 * n)
        if inputSize == 0 { pre.initialize(repeating: 0, count: steps * 4 * n) }
        gates = buffer(steps * 4 * n)
        cells = buffer((steps + 1) * n)
        tanhCells = buffer(steps * n)
        states = buffer((steps + 1) * n)
        (dPre, dHidden, dCellNext, dCellTotal, dHidden0, dCell0) = (pre, pre, pre, pre, pre, pre)
    }

    /// The backward buffers, for `lanes` adjoints (kept when already that wide). Every entry is written by
    /// `backward` before it is read, so they are not zero-filled.
    private func allocateBackward(lanes k: Int) {
        if lanes == k { return }
        if lanes > 0 { for p in [dPre, dHidden, dCellNext, dCellTotal, dHidden0, dCell0] { p.deallocate() } }
        lanes = k
        dPre = .allocate(capacity: steps * 4 * n * k)
        dHidden = .allocate(capacity: steps * n * k)
        dCellNext = .allocate(capacity: steps * n * k)
        dCellTotal = .allocate(capacity: steps * n * k)
        dHidden0 = .allocate(capacity: n * k)
        dCell0 = .allocate(capacity: n * k)
    }

    deinit {
        for p in [input, pre, gates, cells, tanhCells, states] { p.deallocate() }
        if lanes > 0 { for p in [dPre, dHidden, dCellNext, dCellTotal, dHidden0, dCell0] { p.deallocate() } }
    }

    /// The forward pass: `inputs` (T matrices `B × I`, none when I = 0), `W_ih` (`4H × I`), the two biases
    /// (`1 × 4H`) and the initial states (`B × H`).
    /// - Throws: `CancellationError` when `cancellation` stops it at a step boundary.
    func forward(
        inputs: [Matrix<T>], inputWeight: Matrix<T>?, biases: [Matrix<T>], hidden0: Matrix<T>, cell0: Matrix<T>,
        cancellation: Cancellation? = nil
    ) throws {
        let h = hidden, b = batch, width = 4 * h
        precondition(hidden0.count == n && cell0.count == n, "LSTMSequence: initial state is not \(b)x\(h)")
        precondition(biases.allSatisfy { $0.count == width }, "LSTMSequence: a bias is not 1x\(width)")
        copy(hidden0, to: states)
        copy(cell0, to: cells)
        if inputSize > 0, let w = inputWeight {
            precondition(inputs.count == steps, "LSTMSequence: \(inputs.count) inputs for \(steps) steps")
            precondition(w.rows == width && w.cols == inputSize, "LSTMSequence: W_ih is \(w.rows)x\(w.cols)")
            for (t, x) in inputs.enumerated() {
                precondition(x.rows == b && x.cols == inputSize, "LSTMSequence: input \(t) is \(x.rows)x\(x.cols)")
                copy(x, to: input + t * b * inputSize)
            }
            w.storage.withUnsafeBufferPointer { wb in
                guard let wp = wb.baseAddress else { return }
                rawGemm(
                    transB: true, m: steps * b, n: width, k: inputSize, a: input, lda: inputSize, b: wp, ldb: inputSize,
                    beta: 0, c: pre, ldc: width)
            }
        }
        try recurrentWeight.storage.withUnsafeBufferPointer { wb in
            guard let whh = wb.baseAddress else { return }
            for t in 0..<steps {
                if cancellation?.stopsAtStep() == true { throw CancellationError() }
                let p = pre + t * b * width
                // The biases, then h_{t-1}·W_hhᵀ with β = 1: `Tape.affine`'s order.
                for bias in biases {
                    bias.storage.withUnsafeBufferPointer { bb in
                        for r in 0..<b {
                            let row = p + r * width
                            for c in 0..<width { row[c] += bb[c] }
                        }
                    }
                }
                rawGemm(
                    transB: true, m: b, n: width, k: h, a: states + t * n, lda: h, b: whh, ldb: h, beta: 1, c: p,
                    ldc: width)
                let g = gates + t * 4 * n
                for r in 0..<b {
                    let row = p + r * width, out = g + r * h
                    GateFunction.sigmoid.apply(row, out, count: h)
                    GateFunction.sigmoid.apply(row + h, out + n, count: h)
                    GateFunction.tanh.apply(row + 2 * h, out + 2 * n, count: h)
                    GateFunction.sigmoid.apply(row + 3 * h, out + 3 * n, count: h)
                }
                let (gi, gf, gg, go) = (g, g + n, g + 2 * n, g + 3 * n)
                let cp = cells + t * n, c = cells + (t + 1) * n, tc = tanhCells + t * n, hh = states + (t + 1) * n
                for k in 0..<n { c[k] = gf[k] * cp[k] + gi[k] * gg[k] }
                GateFunction.tanh.apply(c, tc, count: n)
                for k in 0..<n { hh[k] = go[k] * tc[k] }
            }
        }
    }

    /// The backward sweep, for one adjoint or two at once, from the gradients that arrived at each step's h_t and
    /// c_t from outside the layer (`arrivedHidden[lane][t]`, nil: none), filling `dPre`, `dHidden`, `dCellNext`,
    /// `dCellTotal`, `dHidden0` and `dCell0` (layouts above). Each step's recurrent product is written straight
    /// into the previous step's blocks, so nothing is copied or zero-filled per step.
    /// - Returns: false when `cancellation` stopped it at a step boundary (the buffers are then partial).
    @discardableResult
    func backward(arrivedHidden: [[Matrix<T>?]], arrivedCell: [[Matrix<T>?]], cancellation: Cancellation? = nil) -> Bool {
        let k = arrivedHidden.count
        precondition(k >= 1 && arrivedCell.count == k, "LSTMSequence: gradients per adjoint")
        precondition(
            arrivedHidden.allSatisfy { $0.count == steps } && arrivedCell.allSatisfy { $0.count == steps },
            "LSTMSequence: gradients per step")
        allocateBackward(lanes: k)
        let h = hidden, b = batch, width = 4 * h, nk = n * k
        return recurrentWeight.storage.withUnsafeBufferPointer { wb in
            guard let whh = wb.baseAddress else { return true }
            for t in (0..<steps).reversed() {
                if cancellation?.stopsAtStep() == true { return false }
                // ∂L/∂h_t through h_{t+1} and ∂L/∂c_t through c_{t+1} are already in these blocks (step t+1 wrote
                // them); after the last step there are none, so the arrivals alone start them.
                let dh = dHidden + t * nk, dcN = dCellNext + t * nk, dcT = dCellTotal + t * nk
                let last = t == steps - 1
                for lane in 0..<k {
                    put(arrivedHidden[lane][t], into: dh, lane: lane, replacing: last)
                    put(arrivedCell[lane][t], into: dcN, lane: lane, replacing: last)
                }
                // ∂L/∂c_{t-1} and ∂L/∂h_{t-1} go to step t-1's blocks (for t = 0, ∂L/∂c_{-1} and ∂L/∂h_{-1}).
                let dcCarry = t == 0 ? dCell0 : dCellNext + (t - 1) * nk
                let dhRec = t == 0 ? dHidden0 : dHidden + (t - 1) * nk
                let g = gates + t * 4 * n
                let (si, sf, sg, so) = (g, g + n, g + 2 * n, g + 3 * n)
                let st = tanhCells + t * n, cpp = cells + t * n, dp = dPre + t * b * k * width
                for r in 0..<b {
                    for lane in 0..<k {
                        let row = r * h, brow = (r * k + lane) * h, base = (r * k + lane) * width
                        for j in 0..<h {
                            let f0 = row &+ j, q = brow &+ j, bj = base &+ j
                            let i = si[f0], f = sf[f0], gv = sg[f0], o = so[f0], tv = st[f0]
                            let total = dcN[q] + dh[q] * o * (1 - tv * tv)
                            dcT[q] = total
                            dcCarry[q] = total * f
                            dp[bj] = total * gv * i * (1 - i)
                            dp[bj &+ h] = total * cpp[f0] * f * (1 - f)
                            dp[bj &+ 2 &* h] = total * i * (1 - gv * gv)
                            dp[bj &+ 3 &* h] = dh[q] * tv * o * (1 - o)
                        }
                    }
                }
                // ∂L/∂h_{t-1} through this step: δ_t·W_hh, every adjoint in one product (B·lanes rows); at B = 1
                // both adjoints in one pass over W_hh where the CPU has AVX2 (`twoRowProduct`), else one gemv per
                // adjoint, since a 2-row gemm measured slower than two gemv (docs/performance.md).
                if b == 1 {
                    let both =
                        k == 2
                        && GateKernels.twoRowProduct(m: width, n: h, whh, ldw: h, dp, dp + width, dhRec, dhRec + h)
                    for lane in 0..<k where !both {
                        rawGemm(
                            m: 1, n: h, k: width, a: dp + lane * width, lda: width, b: whh, ldb: h, beta: 0,
                            c: dhRec + lane * h, ldc: h)
                    }
                } else {
                    rawGemm(m: b * k, n: h, k: width, a: dp, lda: width, b: whh, ldb: h, beta: 0, c: dhRec, ldc: h)
                }
            }
            return true
        }
    }

    /// Adjoint `lane`'s `B × H` block `block` of a backward buffer (`B·lanes × H` per block) as a matrix (a copy).
    func state(_ base: UnsafeMutablePointer<T>, block: Int, lane: Int) -> Matrix<T> {
        matrix(base + (block * batch * lanes + lane) * hidden, rows: batch, cols: hidden, stride: lanes * hidden)
    }

    /// Adjoint `lane`'s ∂L/∂pre at step `t` (`B × 4H`, a copy).
    func preGradient(step t: Int, lane: Int) -> Matrix<T> {
        let width = 4 * hidden
        return matrix(dPre + (t * batch * lanes + lane) * width, rows: batch, cols: width, stride: lanes * width)
    }

    /// `rows × cols` entries from `p`, rows `stride` apart, as a matrix (a copy).
    func matrix(_ p: UnsafePointer<T>, rows: Int, cols: Int, stride: Int) -> Matrix<T> {
        if stride == cols { return matrix(p, rows: rows, cols: cols) }
        var out = [T]()
        out.reserveCapacity(rows * cols)
        for r in 0..<rows { out.append(contentsOf: UnsafeBufferPointer(start: p + r * stride, count: cols)) }
        return Matrix(rows: rows, cols: cols, storage: out)
    }

    /// `B × H` block `block` of `base` as a matrix (a copy).
    func state(_ base: UnsafeMutablePointer<T>, block: Int) -> Matrix<T> {
        matrix(base + block * n, rows: batch, cols: hidden)
    }

    /// `rows × cols` entries from `p` as a matrix (a copy).
    func matrix(_ p: UnsafePointer<T>, rows: Int, cols: Int) -> Matrix<T> {
        Matrix(rows: rows, cols: cols, storage: Array(UnsafeBufferPointer(start: p, count: rows * cols)))
    }

    private func copy(_ m: Matrix<T>, to p: UnsafeMutablePointer<T>) {
        m.storage.withUnsafeBufferPointer { src in
            if let s = src.baseAddress { p.update(from: s, count: src.count) }
        }
    }

    /// Adds `m` (`B × H`, nil: zeros) into adjoint `lane`'s rows of the `B·lanes × H` block at `p`, or stores it
    /// there (`replacing`).
    private func put(_ m: Matrix<T>?, into p: UnsafeMutablePointer<T>, lane: Int, replacing: Bool) {
        let h = hidden, k = lanes
        guard let m else {
            if replacing { for r in 0..<batch { (p + (r * k + lane) * h).update(repeating: 0, count: h) } }
            return
        }
        precondition(m.count == n, "LSTMSequence: a state gradient is \(m.rows)x\(m.cols), expected \(batch)x\(hidden)")
        m.storage.withUnsafeBufferPointer { src in
            guard let s = src.baseAddress else { return }
            for r in 0..<batch {
                let dst = p + (r * k + lane) * h, from = s + r * h
                if replacing {
                    dst.update(from: from, count: h)
                } else {
                    for j in 0..<h { dst[j] += from[j] }
                }
            }
        }
    }
}

extension LSTMSequence {
    /// Whether plain LSTM segments run through the kernel by default: yes, unless the environment sets
    /// `UNROLL_SEQUENCE_KERNELS=0` (read once), which runs them step by step on the tape as before, to compare
    /// the two in one build (docs/performance.md).
    static var enabledByDefault: Bool { sequenceKernelsEnabled }
}

/// `UNROLL_SEQUENCE_KERNELS` read once.
private let sequenceKernelsEnabled = ProcessInfo.processInfo.environment["UNROLL_SEQUENCE_KERNELS"] != "0"

/// `C ← op(A)·op(B) + β·C` on raw row-major buffers, through `EngineScalar.gemm` (a gemv for a single row,
/// as `BLAS.gemm` does), with the thread count `BLASThreads` picks for its size.
@inline(__always) func rawGemm<T: EngineScalar>(
    transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
    a: UnsafePointer<T>, lda: Int, b: UnsafePointer<T>, ldb: Int, beta: T, c: UnsafeMutablePointer<T>, ldc: Int
) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        for r in 0..<m { for j in 0..<n { c[r * ldc + j] = beta == 0 ? 0 : beta * c[r * ldc + j] } }
        return
    }
    BLASThreads.use(work: m == 1 && !transA ? 0 : m * n * k)
    if m == 1 && !transA {
        // y = op(B)ᵀ·x: B is (transB ? n × k : k × n) with leading dimension ldb.
        T.gemv(
            trans: !transB, m: transB ? n : k, n: transB ? k : n, alpha: 1, a: b, lda: ldb, x: a, beta: beta, y: c)
    } else {
        T.gemm(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1, a: a, lda: lda, b: b, ldb: ldb, beta: beta,
            c: c, ldc: ldc)
    }
}

extension Tape {
    /// A whole LSTM layer over T steps as one group (`LSTMSequence`): per step the outputs
    /// `[pre (B × 4H), i, f, g, o, c, h]` (the same values `affine` + `lstmCell` record, in the same roles), in
    /// time order. The backward leaves at each step what the per-step nodes would: the total ∂L/∂h_t at h, at c
    /// the part of ∂L/∂c_t from c_{t+1} (the total by `recordTotal`), ∂L/∂pre at pre; then one product each for
    /// ∂W_ih, ∂W_hh and the inputs' gradient over all T·B rows, and the column sums of ∂pre for both biases.
    /// Without `recordsStateGradients` (training), only the parameters', inputs' and initial states' gradients.
    /// - Precondition: `steps` ≥ 1; `inputs` has one `B × I` value per step when `weightIH` is given (none otherwise).
    /// Both loops check `cancellation` at every step: the forward throws, a stopped backward leaves no gradient.
    /// - Throws: `CancellationError` when `cancellation` stops the forward pass.
    /// - Complexity: forward one `T·B × 4H × I` gemm and T `B × 4H × H` products; backward T products, then three
    ///   over all T·B rows.
    func lstmSequence(
        steps: Int, inputs: [Variable], weightIH: Variable?, weightHH: Variable, biases: [Variable],
        hidden0: Variable, cell0: Variable
    ) throws -> [[Variable]] {
        let h0 = value(hidden0), whh = value(weightHH)
        let hidden = h0.cols, batch = h0.rows
        let inputSize = weightIH.map { value($0).cols } ?? 0
        let kernel = LSTMSequence<T>(
            steps: steps, batch: batch, hidden: hidden, inputSize: inputSize, recurrentWeight: whh)
        try kernel.forward(
            inputs: weightIH == nil ? [] : inputs.map { value($0) }, inputWeight: weightIH.map { value($0) },
            biases: biases.map { value($0) }, hidden0: h0, cell0: value(cell0), cancellation: cancellation)
        let width = 4 * hidden
        var outputs: [Matrix<T>] = []
        outputs.reserveCapacity(7 * steps)
        // Without `keepsStepValues` (training) only what is read after the pass is copied out: every h_t (the
        // readout, the next layer) and the last c_t (the state carried to the next chunk).
        let keep = keepsStepValues, none = Matrix<T>(rows: 0, cols: 0)
        for t in 0..<steps {
            outputs.append(keep ? kernel.matrix(kernel.pre + t * batch * width, rows: batch, cols: width) : none)
            for gate in 0..<4 { outputs.append(keep ? kernel.state(kernel.gates, block: 4 * t + gate) : none) }
            outputs.append(keep || t == steps - 1 ? kernel.state(kernel.cells, block: t + 1) : none)
            outputs.append(kernel.state(kernel.states, block: t + 1))
        }
        let first = count
        func variable(_ t: Int, _ k: Int) -> Variable { Variable(id: first + 7 * t + k) }
        let inputWeight = weightIH.map { value($0) }
        let rows = steps * batch
        // What the per-step nodes would leave, for adjoint `lane` of the kernel's last backward sweep: on the tape's
        // current gradients (the loss's, or the second adjoint's under `asSecond`).
        func leave(_ tape: Tape<T>, lane: Int, _ gs: [Matrix<T>?]) {
            let k = kernel.lanes, dPre = kernel.dPre + lane * width
            for t in 0..<steps where tape.recordsStateGradients {
                tape.setGradient(variable(t, 0), kernel.preGradient(step: t, lane: lane))
                tape.setGradient(variable(t, 6), kernel.state(kernel.dHidden, block: t, lane: lane))
                if t < steps - 1 || gs[7 * t + 5] != nil {
                    tape.setGradient(variable(t, 5), kernel.state(kernel.dCellNext, block: t, lane: lane))
                }
                tape.recordTotal(variable(t, 5), kernel.state(kernel.dCellTotal, block: t, lane: lane))
            }
            tape.accumulate(hidden0, kernel.state(kernel.dHidden0, block: 0, lane: lane))
            tape.accumulate(cell0, kernel.state(kernel.dCell0, block: 0, lane: lane))
            // ∂W_hh = Σ_t δ_tᵀ·h_{t-1}: the states before each step are the first T blocks of `states`.
            if tape.takesGradient(weightHH) {
                tape.accumulate(weightHH, product(dPre, lda: k * width, kernel.states, rows: rows, m: width, n: hidden))
            }
            if let w = weightIH, tape.takesGradient(w) {
                tape.accumulate(w, product(dPre, lda: k * width, kernel.input, rows: rows, m: width, n: inputSize))
            }
            let takes = biases.filter { tape.takesGradient($0) }
            if !takes.isEmpty {
                var sums = [T](repeating: 0, count: width)
                for r in 0..<rows {
                    let row = dPre + r * k * width
                    for c in 0..<width { sums[c] += row[c] }
                }
                for b in takes { tape.accumulate(b, Matrix(rows: 1, cols: width, storage: sums)) }
            }
            // ∂inputs = ∂pre·W_ih over all T·B rows, then each step's rows to its input.
            if let wih = inputWeight, inputs.contains(where: { tape.takesGradient($0) }) {
                let dx = UnsafeMutablePointer<T>.allocate(capacity: rows * inputSize)
                defer { dx.deallocate() }
                wih.storage.withUnsafeBufferPointer { wb in
                    guard let wp = wb.baseAddress else { return }
                    rawGemm(
                        m: rows, n: inputSize, k: width, a: dPre, lda: k * width, b: wp, ldb: inputSize, beta: 0,
                        c: dx, ldc: inputSize)
                }
                for (t, x) in inputs.enumerated() where tape.takesGradient(x) {
                    tape.accumulate(x, kernel.matrix(dx + t * batch * inputSize, rows: batch, cols: inputSize))
                }
            }
        }
        func arrivals(_ gs: [Matrix<T>?]) -> (hidden: [Matrix<T>?], cell: [Matrix<T>?]) {
            ((0..<steps).map { gs[7 * $0 + 6] }, (0..<steps).map { gs[7 * $0 + 5] })
        }
        func backward(_ tape: Tape<T>, _ gs: [Matrix<T>?]) {
            let a = arrivals(gs)
            guard kernel.backward(arrivedHidden: [a.hidden], arrivedCell: [a.cell], cancellation: tape.cancellation)
            else { return }
            leave(tape, lane: 0, gs)
        }
        let group = appendGroup(outputs, backward)
        // A shared sweep: both adjoints through one backward loop, one `2B × 4H` by `4H × H` product per step.
        guard let lastOutput = group.last else { return [] }
        setSharedBackward(lastOutput) { tape, gs, second in
            guard gs.contains(where: { $0 != nil }) else {
                tape.asSecond { backward(tape, second) }
                return
            }
            let a = arrivals(gs), b = arrivals(second)
            guard
                kernel.backward(
                    arrivedHidden: [a.hidden, b.hidden], arrivedCell: [a.cell, b.cell], cancellation: tape.cancellation)
            else { return }
            leave(tape, lane: 0, gs)
            tape.asSecond { leave(tape, lane: 1, second) }
        }
        return (0..<steps).map { t in Array(group[(7 * t)..<(7 * t + 7)]) }
    }
}

/// `Aᵀ·B` for `A` (`rows × m`) and `B` (`rows × n`) on raw buffers, as a new `m × n` matrix;
/// `A`'s rows are `lda` apart.
private func product<T: EngineScalar>(
    _ a: UnsafePointer<T>, lda: Int, _ b: UnsafePointer<T>, rows: Int, m: Int, n: Int
) -> Matrix<T> {
    var out = Matrix<T>(rows: m, cols: n)
    out.storage.withUnsafeMutableBufferPointer { o in
        guard let c = o.baseAddress else { return }
        rawGemm(transA: true, m: m, n: n, k: rows, a: a, lda: lda, b: b, ldb: n, beta: 0, c: c, ldc: n)
    }
    return out
}
