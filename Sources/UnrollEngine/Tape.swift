/// A reverse-mode tape: the record of one forward pass that backpropagation replays backwards.
///
/// Every operation appends a node holding its value and a closure that, given
/// the gradient of the loss with respect to that value, adds the gradients of
/// its inputs. Because every architecture is written as ordinary forward code
/// on the tape, backpropagation through time is exact for all of them with no
/// hand-written backward pass per architecture.
///
/// Nodes are numbered in creation order, which is a topological order; the
/// backward pass walks them from last to first.
public final class Tape<T: EngineScalar> {
    /// A handle to a value on the tape.
    public struct Variable: Hashable, Sendable {
        /// The node's position on the tape (its creation order).
        public let id: Int
    }

    typealias Backward = (Tape<T>, Matrix<T>) -> Void
    /// The backward pass of a node with several outputs: the gradients reaching each output (nil where none).
    typealias GroupBackward = (Tape<T>, [Matrix<T>?]) -> Void
    /// A node's backward for two adjoints at once (`backward(from:alongWith:withRespectTo:)`): the loss's
    /// gradients at its outputs and the second loss's (nil where none), sharing the products of the two.
    typealias SharedBackward = (Tape<T>, _ loss: [Matrix<T>?], _ second: [Matrix<T>?]) -> Void

    /// How a node propagates its gradient.
    enum Node {
        /// An input, a parameter, or an output of a group other than its last.
        case leaf
        /// One output.
        case single(Backward)
        /// The last output of a group whose outputs are nodes `first ... self`: the backward runs once,
        /// when the replay reaches it, with every output's gradient (all are complete by then, since
        /// every consumer of any output comes later on the tape).
        case group(first: Int, GroupBackward)
    }

    private(set) var values: [Matrix<T>] = []
    private var nodes: [Node] = []
    private var grads: [Matrix<T>?] = []
    /// Leaves that take no gradient (inputs when only the parameters' gradients are wanted).
    private var constant: [Bool] = []
    /// Per weight leaf, the (g, x) pairs whose `gᵀ·x` backward still owes it: summed by one gemm over
    /// all of them when the backward pass ends (`flushWeightGradients`), never in diagnostic passes.
    private var pending: [Int: [(g: Matrix<T>, x: Matrix<T>)]] = [:]
    /// Set during diagnostic passes (`withScratchGradients`), which need no weight gradients.
    private var scratch = false
    /// Nodes recorded by `leaf` or `constant` (inputs, parameters, initial states), not outputs of a group.
    private var inputLeaf: [Bool] = []
    /// Per node, whether the current diagnostic pass computes no gradient for it (`takesGradient`).
    private var skipped: [Bool] = []
    /// Nodes whose gradient flows only into these leaves (`projectRows`): a diagnostic pass skips them
    /// when it wants none of the leaves.
    private var feedsLeaves: [Int: [Int]] = [:]
    /// Per output of a fused group, the total gradient its backward computed for it: the gradient that
    /// arrived at the output plus the paths through the group's other outputs (an LSTM's `c_t`, whose
    /// own step's `h_t = o ⊙ tanh(c_t)` reaches the loss too). Filled by the loss backward pass only.
    private var totals: [Int: Matrix<T>] = [:]

    /// Whether a whole-sequence group (`lstmSequence`) leaves gradients at its per-step outputs (h, c, the
    /// pre-activation) for the trace: off for a pass that wants only the parameters' gradients (`Engine.gradients`).
    var recordsStateGradients = true

    /// Whether a whole-sequence group (`lstmSequence`) keeps every step's pre-activation, gates and `c_t` as
    /// values: off for a pass that reads only each `h_t` and the last `c_t` (`Engine.gradients`), whose other
    /// outputs then hold an empty matrix instead of a copy of the kernel's buffers.
    var keepsStepValues = true

    /// The second adjoint of a shared sweep (`backward(from:alongWith:withRespectTo:)`); empty otherwise.
    private var secondGrads: [Matrix<T>?] = []
    /// Per node (a single node, or a group's last output), a backward that carries both adjoints of a shared
    /// sweep at once; nodes without one run their backward once per adjoint.
    private var shared: [Int: SharedBackward] = [:]

    /// Zeros the cells' backward passes read for outputs no gradient reached (grown on demand, never written).
    private var zeroStorage: [T] = []

    /// Checked at every step boundary of the forward pass (`Unroller`, the sequence kernel) and of every replay
    /// (nil: never cancelled). A replay stopped by it leaves partial gradients; the engine then throws.
    var cancellation: Cancellation?
    /// The first node of each step of each layer on the per-step path (`markStepStart`), ascending: where a
    /// replay checks `cancellation`. A sequence kernel's group checks per step in its own loop.
    private var stepStarts: [Int] = []

    /// Marks the next node recorded as the start of a time step (a replay checks `cancellation` there).
    func markStepStart() {
        if stepStarts.last != values.count { stepStarts.append(values.count) }
    }

    /// Counts a step boundary against `cancellation`; true when the computation must stop there.
    @inline(__always)
    func stopsAtStep() -> Bool { cancellation?.stopsAtStep() ?? false }

    /// Whether `cancellation` has stopped the computation.
    var isCancelled: Bool { cancellation?.isCancelled ?? false }

    /// An empty tape.
    public init() {}

    /// At least `count` zeros, shared (no allocation once grown).
    func zeros(atLeast count: Int) -> [T] {
        if zeroStorage.count < count { zeroStorage = [T](repeating: 0, count: count) }
        return zeroStorage
    }

    /// Number of nodes recorded so far.
    public var count: Int { values.count }

    /// Records a leaf: an input or parameter, with no inputs of its own.
    public func leaf(_ value: Matrix<T>) -> Variable {
        let v = append(value, nil)
        inputLeaf[v.id] = true
        return v
    }

    /// Records a leaf that takes no gradient: backward passes skip every product into it.
    public func constant(_ value: Matrix<T>) -> Variable {
        let v = append(value, nil)
        constant[v.id] = true
        inputLeaf[v.id] = true
        return v
    }

    /// A leaf holding the same value as `v`: gradient does not flow through it.
    /// Truncated BPTT cuts the graph with it at chunk boundaries.
    public func detach(_ v: Variable) -> Variable {
        leaf(values[v.id])
    }

    func append(_ value: Matrix<T>, _ backward: Backward?) -> Variable {
        values.append(value)
        nodes.append(backward.map { .single($0) } ?? .leaf)
        grads.append(nil)
        constant.append(false)
        inputLeaf.append(false)
        return Variable(id: values.count - 1)
    }

    /// Records an operation with several outputs (a fused cell step) as consecutive nodes, one per value.
    /// - Precondition: at least one value.
    func appendGroup(_ outputs: [Matrix<T>], _ backward: @escaping GroupBackward) -> [Variable] {
        precondition(!outputs.isEmpty, "appendGroup: no outputs")
        let first = values.count
        for (k, v) in outputs.enumerated() {
            values.append(v)
            nodes.append(k == outputs.count - 1 ? .group(first: first, backward) : .leaf)
            grads.append(nil)
            constant.append(false)
            inputLeaf.append(false)
        }
        return (first..<values.count).map { Variable(id: $0) }
    }

    /// Gives node `v` (a single node or a group's last output) a backward for both adjoints of a shared sweep.
    func setSharedBackward(_ v: Variable, _ backward: @escaping SharedBackward) {
        shared[v.id] = backward
    }

    /// The value of a node.
    public func value(_ v: Variable) -> Matrix<T> { values[v.id] }

    /// The gradient accumulated at a node by the last backward pass, or
    /// `nil` when no gradient reached it.
    public func gradient(_ v: Variable) -> Matrix<T>? { grads[v.id] }

    /// The gradient at a node, or zeros of its shape when none reached it.
    public func gradientOrZero(_ v: Variable) -> Matrix<T> {
        grads[v.id] ?? Matrix(rows: values[v.id].rows, cols: values[v.id].cols)
    }

    /// The total gradient of the last `backward` at an output of a fused group, every path included
    /// (`gradient(_:)` holds only what arrived from the output's later consumers); for any other node,
    /// or when no gradient reached the group, `gradientOrZero(_:)`.
    public func totalGradientOrZero(_ v: Variable) -> Matrix<T> {
        totals[v.id] ?? gradientOrZero(v)
    }

    /// Records `g` as the total gradient of group output `v` (`totalGradientOrZero`). Called by group
    /// backward closures; ignored in diagnostic passes, which must not disturb the loss pass's record.
    func recordTotal(_ v: Variable, _ g: Matrix<T>) {
        if !scratch { totals[v.id] = g }
    }

    /// Whether a backward pass computes a gradient for `v`: never for a constant; in a diagnostic pass
    /// (`withScratchGradients`), for a leaf only when the pass reads it, and for a node that feeds only
    /// leaves (`projectRows`) only when it reads one of them. So a diagnostic pass is vector–Jacobian
    /// products along the states alone: no parameter, bias or input gradients.
    func takesGradient(_ v: Variable) -> Bool {
        !constant[v.id] && !(scratch && skipped[v.id])
    }

    /// Marks `v` as a node whose backward feeds only the leaves `leaves` (see `takesGradient`).
    func markFeedsLeaves(_ v: Variable, _ leaves: [Variable]) {
        feedsLeaves[v.id] = leaves.map(\.id)
    }

    /// Sets the gradient of node `v` to `g`, replacing what arrived: a group's backward (`lstmSequence`) leaving
    /// at its outputs the totals the per-step nodes would have accumulated there.
    func setGradient(_ v: Variable, _ g: Matrix<T>) {
        if takesGradient(v) { grads[v.id] = g }
    }

    /// Adds `g` to the gradient of node `v`. Called by backward closures.
    func accumulate(_ v: Variable, _ g: Matrix<T>) {
        if !takesGradient(v) { return }
        if grads[v.id] == nil {
            grads[v.id] = g
        } else {
            updateGradient(v) { BLAS.axpy(1, g, &$0) }
        }
    }

    /// Runs `body` on the gradient of `v` (zeros when none has arrived) in place: the stored value is
    /// taken out first, so a gradient nothing else shares is changed without a copy.
    private func updateGradient(_ v: Variable, _ body: (inout Matrix<T>) -> Void) {
        var g = grads[v.id] ?? Matrix(rows: values[v.id].rows, cols: values[v.id].cols)
        grads[v.id] = nil
        body(&g)
        grads[v.id] = g
    }

    /// Adds `op(A)·op(B)` to the gradient of node `v` in place (one gemm with β = 1, no temporary),
    /// or stores it when no gradient has reached `v` yet.
    func accumulateProduct(
        _ v: Variable, _ a: Matrix<T>, transposeA: Bool = false, _ b: Matrix<T>, transposeB: Bool = false
    ) {
        if !takesGradient(v) { return }
        if grads[v.id] == nil {
            grads[v.id] = BLAS.product(a, transposeA: transposeA, b, transposeB: transposeB)
        } else {
            updateGradient(v) { BLAS.gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &$0, beta: 1) }
        }
    }

    /// Adds `gᵀ·x` to the gradient of weight `w` (`out × in`, with `g` `B × out` and `x` `B × in`). For a
    /// leaf the product is deferred: every step's pair is summed by one gemm over all T·B rows when the
    /// backward pass ends, instead of T rank-B updates of the whole weight; diagnostic passes drop them.
    func accumulateWeightProduct(_ w: Variable, _ g: Matrix<T>, _ x: Matrix<T>) {
        if !takesGradient(w) { return }
        guard case .leaf = nodes[w.id] else {
            accumulateProduct(w, g, transposeA: true, x)
            return
        }
        pending[w.id, default: []].append((g, x))
    }

    /// Adds `g` (`r × n`) into rows `row ..< row + r` of the gradient of `v`, creating it as zeros first.
    func accumulateRows(_ v: Variable, _ g: Matrix<T>, at row: Int) {
        if !takesGradient(v) { return }
        let n = g.cols
        precondition(n == values[v.id].cols && row + g.rows <= values[v.id].rows, "accumulateRows: out of range")
        updateGradient(v) { grad in
            g.storage.withUnsafeBufferPointer { src in
                grad.storage.withUnsafeMutableBufferPointer { dst in
                    let offset = row * n // wrapping index arithmetic below: the loop vectorises
                    for k in 0..<g.count { dst[offset &+ k] += src[k] }
                }
            }
        }
    }

    /// Sums the deferred weight products into the gradients: per weight, one `Gᵀ·X` over the stacked rows.
    private func flushWeightGradients() {
        for (id, pairs) in pending {
            guard let first = pairs.first else { continue }
            let rows = pairs.reduce(0) { $0 + $1.g.rows }
            var g = Matrix<T>(rows: rows, cols: first.g.cols), x = Matrix<T>(rows: rows, cols: first.x.cols)
            var r = 0
            for pair in pairs {
                g.storage.replaceSubrange((r * g.cols)..<((r + pair.g.rows) * g.cols), with: pair.g.storage)
                x.storage.replaceSubrange((r * x.cols)..<((r + pair.x.rows) * x.cols), with: pair.x.storage)
                r += pair.g.rows
            }
            accumulateProduct(Variable(id: id), g, transposeA: true, x)
        }
        pending = [:]
    }

    /// Adds the column sums of `g` (`B × n`) to the `1 × n` gradient of `v`: a bias's gradient.
    func accumulateColumnSums(_ v: Variable, _ g: Matrix<T>) {
        if !takesGradient(v) { return }
        precondition(
            values[v.id].count == g.cols, "accumulateColumnSums: bias has \(values[v.id].count) entries, rows \(g.cols)"
        )
        updateGradient(v) { grad in
            g.storage.withUnsafeBufferPointer { src in
                grad.storage.withUnsafeMutableBufferPointer { dst in
                    for r in 0..<g.rows {
                        let row = r * g.cols // wrapping index arithmetic below: the loop vectorises
                        for c in 0..<g.cols { dst[c] += src[row &+ c] }
                    }
                }
            }
        }
    }

    /// Backpropagates from `output`, seeded with `seed` (ones when nil), through
    /// every node from `output` back to the start. Clears earlier gradients first.
    /// - Complexity: one pass over the tape, the cost of the forward pass again (about twice its flops).
    public func backward(from output: Variable, seed: Matrix<T>? = nil) {
        grads = [Matrix<T>?](repeating: nil, count: values.count)
        let v = values[output.id]
        grads[output.id] = seed ?? Matrix(rows: v.rows, cols: v.cols, repeating: 1)
        pending = [:]
        totals = [:]
        replay(from: output.id, downTo: 0)
        if isCancelled {
            pending = [:]
            return
        }
        flushWeightGradients()
    }

    /// Runs the nodes' backward passes from `top` down to `bottom`; stops at a step boundary (`stepStarts`) when
    /// `cancellation` says so.
    private func replay(from top: Int, downTo bottom: Int) {
        var i = top
        var boundary = stepBoundary(atOrBelow: top)
        while i >= bottom {
            if boundary >= 0 && stepStarts[boundary] == i {
                if stopsAtStep() { return }
                boundary -= 1
            }
            runBackward(i)
            i -= 1
        }
    }

    /// The index in `stepStarts` of the last step start at or below `top`, by bisection (the Jacobian replays
    /// start here once per unit); -1 when there is none or no `cancellation` to check. A replay walks it down.
    private func stepBoundary(atOrBelow top: Int) -> Int {
        guard cancellation != nil else { return -1 }
        var lo = 0, hi = stepStarts.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if stepStarts[mid] <= top { lo = mid + 1 } else { hi = mid }
        }
        return lo - 1
    }

    /// Node `i`'s backward with the gradients in `grads`, when any reached it.
    private func runBackward(_ i: Int) {
        switch nodes[i] {
        case .leaf:
            break
        case .single(let back):
            if let g = grads[i] { back(self, g) }
        case .group(let first, let back):
            let gs = Array(grads[first...i])
            if gs.contains(where: { $0 != nil }) { back(self, gs) }
        }
    }

    /// The loss backward pass, `backward(from: output)`, and in the same replay the diagnostic pass of
    /// `gradients(of: second, withRespectTo: targets)`: node by node, both adjoints; a node with a shared
    /// backward (`setSharedBackward`) computes the two in one go (one product with two right-hand sides), any
    /// other runs its backward once per adjoint. The loss's gradients are left as `backward(from:)` leaves them;
    /// the second adjoint's gradients at `targets` are returned (zeros where none arrives). Stops at a step
    /// boundary when `cancellation` says so (then `isCancelled`, the gradients partial, and none returned).
    /// - Precondition: `second.id <= output.id`.
    /// - Complexity: the loss pass and the diagnostic pass, with the products of shared nodes fused.
    public func backward(from output: Variable, alongWith second: Variable, withRespectTo targets: [Variable])
        -> [Matrix<T>]
    {
        precondition(second.id <= output.id, "backward(alongWith:): the second loss must precede the output")
        grads = [Matrix<T>?](repeating: nil, count: values.count)
        let v = values[output.id]
        grads[output.id] = Matrix(rows: v.rows, cols: v.cols, repeating: 1)
        pending = [:]
        totals = [:]
        secondGrads = [Matrix<T>?](repeating: nil, count: values.count)
        let s = values[second.id]
        secondGrads[second.id] = Matrix(rows: s.rows, cols: s.cols, repeating: 1)
        skipped = skippedLeaves(reading: targets)
        defer {
            secondGrads = []
            skipped = []
        }
        let bottom = targets.map(\.id).min() ?? 0
        var i = output.id
        var boundary = stepBoundary(atOrBelow: i)
        while i >= 0 {
            if boundary >= 0 && stepStarts[boundary] == i {
                if stopsAtStep() {
                    pending = [:]
                    return []
                }
                boundary -= 1
            }
            let first: Int
            switch nodes[i] {
            case .leaf: first = i
            case .single: first = i
            case .group(let f, _): first = f
            }
            let reachedSecond = i >= bottom && secondGrads[first...i].contains { $0 != nil }
            if reachedSecond, let both = shared[i] {
                both(self, Array(grads[first...i]), Array(secondGrads[first...i]))
            } else {
                runBackward(i)
                if reachedSecond { asSecond { runBackward(i) } }
            }
            i -= 1
        }
        if isCancelled {
            pending = [:]
            return []
        }
        flushWeightGradients()
        return targets.map { secondGrads[$0.id] ?? Matrix(rows: values[$0.id].rows, cols: values[$0.id].cols) }
    }

    /// Runs `body` on the second adjoint of a shared sweep: `accumulate` and the rest write to it, with the
    /// diagnostic pass's rules (`takesGradient`: no parameter, bias or input gradients; no totals recorded).
    func asSecond<R>(_ body: () -> R) -> R {
        swap(&grads, &secondGrads)
        scratch = true
        defer {
            scratch = false
            swap(&grads, &secondGrads)
        }
        return body()
    }

    /// Per node, whether a diagnostic pass reading `reading` skips it (`takesGradient`): every leaf it does
    /// not read, then every node that feeds only skipped leaves.
    private func skippedLeaves(reading: [Variable]) -> [Bool] {
        var skip = inputLeaf
        for v in reading { skip[v.id] = false }
        for (node, sources) in feedsLeaves where sources.allSatisfy({ skip[$0] }) { skip[node] = true }
        return skip
    }

    /// Runs `body` with a fresh set of gradients and restores the previous ones
    /// afterwards, so diagnostic passes do not disturb the loss gradients. Of the leaves, only
    /// `reading`'s take gradients (`takesGradient`).
    func withScratchGradients<R>(reading: [Variable], _ body: () -> R) -> R {
        let saved = grads
        grads = [Matrix<T>?](repeating: nil, count: values.count)
        skipped = skippedLeaves(reading: reading)
        scratch = true
        defer {
            grads = saved
            pending = [:]
            scratch = false
            skipped = []
        }
        return body()
    }

    /// A second backward pass from `output`, seeded with ones, returning the
    /// gradient it leaves at each node of `targets` (zeros where none arrives).
    /// The loss gradients of the last `backward` are kept.
    public func gradients(of output: Variable, withRespectTo targets: [Variable]) -> [Matrix<T>] {
        withScratchGradients(reading: targets) {
            let v = values[output.id]
            grads[output.id] = Matrix(rows: v.rows, cols: v.cols, repeating: 1)
            replay(from: output.id, downTo: targets.map(\.id).min() ?? 0)
            return targets.map { gradientOrZero($0) }
        }
    }

    /// The Jacobian ∂output/∂input for batch row `row`, as an `n_out × n_in` matrix,
    /// by one vector–Jacobian product per output unit over the nodes between
    /// `input` and `output` only.
    ///
    /// Nodes recorded before `input` are held fixed, so this is the partial
    /// derivative along the paths that start at `input`.
    /// - Precondition: `input.id < output.id`.
    /// - Complexity: `n_out` replays of the nodes between the two.
    public func jacobian(of output: Variable, withRespectTo input: Variable, row: Int = 0) -> Matrix<T> {
        jacobians([(output, input)], row: row)[0]
    }

    /// The Jacobians of several (output, input) pairs, as `jacobian(of:withRespectTo:row:)` computes
    /// each, sharing one set of scratch gradients (allocating it once, not once per pair).
    public func jacobians(_ pairs: [(output: Variable, input: Variable)], row: Int = 0) -> [Matrix<T>] {
        withScratchGradients(reading: pairs.map(\.input)) {
            pairs.map { output, input in
                precondition(input.id < output.id, "jacobian: input must precede output on the tape")
                let out = values[output.id], inp = values[input.id]
                var jac = Matrix<T>(rows: out.cols, cols: inp.cols)
                for i in 0..<out.cols {
                    for k in input.id...output.id { grads[k] = nil }
                    var seed = Matrix<T>(rows: out.rows, cols: out.cols)
                    seed[row, i] = 1
                    grads[output.id] = seed
                    replay(from: output.id, downTo: input.id + 1)
                    if let g = grads[input.id] {
                        for j in 0..<inp.cols { jac[i, j] = g[row, j] }
                    }
                }
                return jac
            }
        }
    }
}
