import RealModule

/// The differentiable operations of the engine. Shapes: `B` batch rows,
/// features in columns; weights are `out × in` (PyTorch's layout).
extension Tape {
    /// `x · Wᵀ`: a `B × in` input through an `out × in` weight, giving `B × out`.
    /// - Complexity: one gemm forward, two backward.
    public func matmulTransposed(_ x: Variable, _ w: Variable) -> Variable {
        let xv = value(x), wv = value(w)
        let y = BLAS.product(xv, wv, transposeB: true)
        return append(y) { tape, g in
            tape.accumulateProduct(x, g, wv) // dx = g · W
            tape.accumulateWeightProduct(w, g, xv) // dW += gᵀ · x, deferred
        }
    }

    /// `y + b` with the `1 × n` bias broadcast over the rows of `y`.
    public func addBias(_ y: Variable, _ b: Variable) -> Variable {
        var out = value(y)
        let bv = value(b)
        precondition(
            bv.rows == 1 && bv.cols == out.cols, "addBias: bias is \(bv.rows)x\(bv.cols), rows have \(out.cols)")
        for r in 0..<out.rows { for c in 0..<out.cols { out[r, c] += bv.storage[c] } }
        return append(out) { tape, g in
            tape.accumulate(y, g)
            tape.accumulateColumnSums(b, g)
        }
    }

    /// `x · Wᵀ + b`: PyTorch's `nn.Linear`.
    public func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        let y = matmulTransposed(x, weight)
        guard let bias else { return y }
        return addBias(y, bias)
    }

    /// The sum of same-shaped values.
    public func add(_ terms: [Variable]) -> Variable {
        precondition(!terms.isEmpty, "add: no terms")
        if terms.count == 1 { return terms[0] }
        var out = value(terms[0])
        for t in terms.dropFirst() { BLAS.axpy(1, value(t), &out) }
        return append(out) { tape, g in for t in terms { tape.accumulate(t, g) } }
    }

    /// `a + b`.
    public func add(_ a: Variable, _ b: Variable) -> Variable { add([a, b]) }

    /// The elementwise (Hadamard) product `a ⊙ b`.
    public func multiply(_ a: Variable, _ b: Variable) -> Variable {
        let av = value(a), bv = value(b)
        precondition(av.rows == bv.rows && av.cols == bv.cols, "multiply: shapes differ")
        var out = av
        for i in out.storage.indices { out.storage[i] *= bv.storage[i] }
        return append(out) { tape, g in
            var ga = g, gb = g
            for i in g.storage.indices {
                ga.storage[i] *= bv.storage[i]
                gb.storage[i] *= av.storage[i]
            }
            tape.accumulate(a, ga)
            tape.accumulate(b, gb)
        }
    }

    /// `1 − a`, elementwise.
    public func oneMinus(_ a: Variable) -> Variable {
        var out = value(a)
        for i in out.storage.indices { out.storage[i] = 1 - out.storage[i] }
        return append(out) { tape, g in
            var ga = g
            for i in ga.storage.indices { ga.storage[i] = -ga.storage[i] }
            tape.accumulate(a, ga)
        }
    }

    /// An elementwise activation. Its derivative is computed from the output
    /// (tanh, sigmoid) or the input (ReLU), as the closed forms allow.
    public func activate(_ a: Variable, _ f: Activation) -> Variable {
        if f == .identity { return a }
        let x = value(a)
        var y = x
        let gate: GateFunction? = f == .tanh ? .tanh : f == .sigmoid ? .sigmoid : nil
        if let gate {
            // tanh and sigmoid four lanes at a time (`GateFunction`), equal to `f.apply` entry by entry.
            x.storage.withUnsafeBufferPointer { xb in
                y.storage.withUnsafeMutableBufferPointer { yb in
                    if let xp = xb.baseAddress, let yp = yb.baseAddress { gate.apply(xp, yp, count: x.count) }
                }
            }
        } else {
            for i in y.storage.indices { y.storage[i] = f.apply(x.storage[i]) }
        }
        return append(y) { tape, g in
            var ga = g
            for i in ga.storage.indices { ga.storage[i] *= f.derivative(input: x.storage[i], output: y.storage[i]) }
            tape.accumulate(a, ga)
        }
    }

    /// Columns `start ..< start + count` of every row: a named gate's view of a fused gate matrix.
    public func columns(_ a: Variable, _ start: Int, _ count: Int) -> Variable {
        let av = value(a)
        return append(av.columns(start, count)) { tape, g in
            var ga = Matrix<T>(rows: av.rows, cols: av.cols)
            for r in 0..<g.rows { for c in 0..<count { ga[r, start + c] = g[r, c] } }
            tape.accumulate(a, ga)
        }
    }

    /// Values side by side: `[a | b | …]`, as a bidirectional layer joins its two directions.
    public func concatColumns(_ parts: [Variable]) -> Variable {
        precondition(!parts.isEmpty, "concatColumns: no parts")
        if parts.count == 1 { return parts[0] }
        let vs = parts.map { value($0) }
        let widths = vs.map(\.cols)
        return append(.joinedColumns(vs)) { tape, g in
            var start = 0
            for (p, w) in zip(parts, widths) {
                tape.accumulate(p, g.columns(start, w))
                start += w
            }
        }
    }

    /// Mean squared error against `target`, averaged over every entry (PyTorch's `MSELoss()`): a `1 × 1` value.
    public func meanSquaredError(_ y: Variable, target: Matrix<T>) -> Variable {
        let yv = value(y)
        precondition(
            yv.rows == target.rows && yv.cols == target.cols,
            "meanSquaredError: target is \(target.rows)x\(target.cols), output \(yv.rows)x\(yv.cols)")
        let n = T(yv.count)
        var sum: T = 0
        for i in yv.storage.indices {
            let d = yv.storage[i] - target.storage[i]
            sum += d * d
        }
        return append(Matrix(row: [sum / n])) { tape, g in
            let s = g.storage[0] * 2 / n
            var gy = yv
            for i in gy.storage.indices { gy.storage[i] = s * (yv.storage[i] - target.storage[i]) }
            tape.accumulate(y, gy)
        }
    }

    /// Softmax cross-entropy of logits `y` (`B × C`) against class indices, averaged
    /// over the batch (PyTorch's `CrossEntropyLoss()`): a `1 × 1` value.
    /// - Precondition: one class index in `0 ..< C` per row.
    public func crossEntropy(_ y: Variable, classes: [Int]) -> Variable {
        let yv = value(y)
        precondition(classes.count == yv.rows, "crossEntropy: \(classes.count) classes for \(yv.rows) rows")
        let (probs, maxima, sums) = yv.softmaxRows()
        var loss: T = 0
        for r in 0..<yv.rows {
            precondition(
                classes[r] >= 0 && classes[r] < yv.cols, "crossEntropy: class \(classes[r]) out of 0..<\(yv.cols)")
            loss += -(yv[r, classes[r]] - maxima[r] - T.log(sums[r]))
        }
        let n = T(yv.rows)
        return append(Matrix(row: [loss / n])) { tape, g in
            var gy = probs
            for r in 0..<gy.rows { gy[r, classes[r]] -= 1 }
            let s = g.storage[0] / n
            for i in gy.storage.indices { gy.storage[i] *= s }
            tape.accumulate(y, gy)
        }
    }
}

extension Activation {
    /// The activation of one value.
    @inlinable
    public func apply<T: EngineScalar>(_ x: T) -> T {
        switch self {
        case .tanh: return fastTanh(x)
        case .sigmoid: return gateSigmoid(x)
        case .relu: return x > 0 ? x : 0
        case .identity: return x
        }
    }

    /// The derivative at input `x` whose activation is `y`.
    @inlinable
    public func derivative<T: EngineScalar>(input x: T, output y: T) -> T {
        switch self {
        case .tanh: return 1 - y * y
        case .sigmoid: return y * (1 - y)
        case .relu: return x > 0 ? 1 : 0
        case .identity: return 1
        }
    }
}
