import RealModule

/// Fused operations of one recurrent step: one tape node for the whole input projection and one
/// group for a cell's elementwise work, each with a hand-written backward pass. They compute what the
/// equivalent chains of `matmulTransposed`, `add`, `columns`, `activate` and `multiply` compute, with a
/// handful of allocations per step instead of a few dozen.
extension Tape {
    /// `Σ_k x_k · W_kᵀ + Σ_j b_j`: every term of a gate pre-activation in one buffer (`B × n`), by gemm
    /// with β = 1. With no terms the value is the biases broadcast over `rows` rows.
    /// `slab`, when given, adds rows `row ..< row + rows` of a precomputed projection (`projectRows`).
    /// - Complexity: one gemm per term forward, two backward (accumulated in place).
    public func affine(_ terms: [(x: Variable, w: Variable)], biases: [Variable], rows: Int, cols: Int,
                       slab: (v: Variable, row: Int)? = nil) -> Variable {
        var out = Matrix<T>(rows: rows, cols: cols)
        if let slab {
            let sv = value(slab.v)
            precondition(sv.cols == cols && slab.row >= 0 && slab.row + rows <= sv.rows, "affine: slab rows out of range")
            out.storage.replaceSubrange(0..<(rows * cols), with: sv.storage[(slab.row * cols)..<((slab.row + rows) * cols)])
        }
        out.storage.withUnsafeMutableBufferPointer { o in
            for b in biases {
                let bv = value(b)
                precondition(bv.rows == 1 && bv.cols == cols, "affine: bias is \(bv.rows)x\(bv.cols), rows have \(cols)")
                bv.storage.withUnsafeBufferPointer { bb in
                    for r in 0..<rows { for c in 0..<cols { o[r * cols + c] += bb[c] } }
                }
            }
        }
        for (x, w) in terms { BLAS.gemm(value(x), value(w), transposeB: true, into: &out, beta: 1) }
        let saved = terms.map { (x: $0.x, w: $0.w, xv: value($0.x), wv: value($0.w)) }
        return append(out) { tape, g in
            for t in saved {
                tape.accumulateProduct(t.x, g, t.wv)                       // dx = g · W
                tape.accumulateWeightProduct(t.w, g, t.xv)   // dW += gᵀ · x, deferred
            }
            for b in biases { tape.accumulateColumnSums(b, g) }
            if let slab { tape.accumulateRows(slab.v, g, at: slab.row) }
        }
    }

    /// Every step's input projection at once: the inputs stacked in rows (`T·B × I`) times `Wᵀ`, one gemm
    /// instead of T small ones (a gemv each at B = 1). Steps read their rows through `affine(…slab:)`.
    /// - Complexity: one gemm forward; backward one gemm for `∂W` (deferred with the others) and one for the inputs.
    public func projectRows(_ xs: [Variable], _ w: Variable) -> Variable {
        let parts = xs.map { value($0) }
        let cols = parts.first?.cols ?? 0
        precondition(parts.allSatisfy { $0.cols == cols }, "projectRows: inputs differ in width")
        var stacked = [T]()
        stacked.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for part in parts { stacked.append(contentsOf: part.storage) }
        let x = Matrix(rows: parts.reduce(0) { $0 + $1.rows }, cols: cols, storage: stacked)
        let wv = value(w)
        return append(BLAS.product(x, wv, transposeB: true)) { tape, g in
            tape.accumulateWeightProduct(w, g, x)
            guard xs.contains(where: { !tape.isConstant($0) }) else { return }
            let dx = BLAS.product(g, wv)
            var r = 0
            for (v, part) in zip(xs, parts) {
                tape.accumulate(v, dx.rows(r, part.rows))
                r += part.rows
            }
        }
    }

    /// One LSTM cell from its pre-activations `pre` (`B × 4H`, blocks i f g o) and `c_{t-1}`:
    /// the gates, `c_t = f ⊙ c_{t-1} + i ⊙ g` and `h_t = o ⊙ tanh(c_t)`, as one group of six outputs
    /// `[i, f, g, o, c, h]` (`B × H` each). The backward records the total `∂L/∂c_t` (from `c_{t+1}` and
    /// through this step's `h_t`) with `recordTotal`, for the trace; the `c` output's own gradient keeps only the first.
    /// - Complexity: O(B·H) forward and backward.
    public func lstmCell(pre: Variable, cellPrevious cPrev: Variable) -> [Variable] {
        let pv = value(pre), cp = value(cPrev)
        let rows = pv.rows, h = pv.cols / 4
        precondition(pv.cols == 4 * h && cp.rows == rows && cp.cols == h, "lstmCell: pre is \(pv.rows)x\(pv.cols), c is \(cp.rows)x\(cp.cols)")
        let n = rows * h
        var i = [T](repeating: 0, count: n), f = i, g = i, o = i, c = i, hh = i, tc = i
        pv.storage.withUnsafeBufferPointer { p in
            cp.storage.withUnsafeBufferPointer { cpp in
                for r in 0..<rows {
                    let base = r * 4 * h
                    for j in 0..<h {
                        let k = r * h + j
                        let ii = sigmoid(p[base + j]), ff = sigmoid(p[base + h + j])
                        let gg = fastTanh(p[base + 2 * h + j]), oo = sigmoid(p[base + 3 * h + j])
                        let cc = ff * cpp[k] + ii * gg
                        let t = fastTanh(cc)
                        i[k] = ii; f[k] = ff; g[k] = gg; o[k] = oo; c[k] = cc; tc[k] = t; hh[k] = oo * t
                    }
                }
            }
        }
        func m(_ s: [T]) -> Matrix<T> { Matrix(rows: rows, cols: h, storage: s) }
        let cell = Variable(id: count + 4)      // the group's `c` output, the fifth of the six
        return appendGroup([m(i), m(f), m(g), m(o), m(c), m(hh)]) { [i, f, g, o, tc] tape, gs in
            let (gg0, gg1, gg2, gg3, gg4, gg5) = (gs[0]?.storage, gs[1]?.storage, gs[2]?.storage, gs[3]?.storage, gs[4]?.storage, gs[5]?.storage)
            var dpre = Matrix<T>(rows: rows, cols: 4 * h)
            var dcp = Matrix<T>(rows: rows, cols: h), dcAll = dcp
            dpre.storage.withUnsafeMutableBufferPointer { d in
                dcp.storage.withUnsafeMutableBufferPointer { dc in
                    dcAll.storage.withUnsafeMutableBufferPointer { dcs in
                        cp.storage.withUnsafeBufferPointer { cpp in
                            for r in 0..<rows {
                                let base = r * 4 * h
                                for j in 0..<h {
                                    let k = r * h + j
                                    let dh = gg5?[k] ?? 0
                                    let dcTotal = (gg4?[k] ?? 0) + dh * o[k] * (1 - tc[k] * tc[k])
                                    let dO = dh * tc[k] + (gg3?[k] ?? 0)
                                    let dI = dcTotal * g[k] + (gg0?[k] ?? 0)
                                    let dF = dcTotal * cpp[k] + (gg1?[k] ?? 0)
                                    let dG = dcTotal * i[k] + (gg2?[k] ?? 0)
                                    dcs[k] = dcTotal
                                    dc[k] = dcTotal * f[k]
                                    d[base + j] = dI * i[k] * (1 - i[k])
                                    d[base + h + j] = dF * f[k] * (1 - f[k])
                                    d[base + 2 * h + j] = dG * (1 - g[k] * g[k])
                                    d[base + 3 * h + j] = dO * o[k] * (1 - o[k])
                                }
                            }
                        }
                    }
                }
            }
            tape.accumulate(pre, dpre)
            tape.accumulate(cPrev, dcp)
            tape.recordTotal(cell, dcAll)
        }
    }

    /// One GRU cell (PyTorch's): from `gx` (`B × 3H`: input terms and `b_ih`, blocks r z n), `gh`
    /// (`B × 3H`: `s_{t-1} W_hhᵀ + b_hh`) and the raw `h_{t-1}`,
    /// `r = σ(gx_r + gh_r)`, `z = σ(gx_z + gh_z)`, `n = tanh(gx_n + r ⊙ gh_n)`, `h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}`,
    /// as one group of five outputs `[pre (B × 3H: r, z and n sums), r, z, n, h]`.
    /// - Complexity: O(B·H) forward and backward.
    public func gruCell(gx: Variable, gh: Variable, hiddenPrevious hPrev: Variable) -> [Variable] {
        let xv = value(gx), hv = value(gh), hp = value(hPrev)
        let rows = xv.rows, h = xv.cols / 3
        precondition(xv.cols == 3 * h && hv.rows == rows && hv.cols == 3 * h && hp.rows == rows && hp.cols == h,
                     "gruCell: shapes \(xv.rows)x\(xv.cols), \(hv.rows)x\(hv.cols), \(hp.rows)x\(hp.cols)")
        let n = rows * h
        var pre = [T](repeating: 0, count: 3 * n), r = [T](repeating: 0, count: n), z = r, nn = r, hh = r
        xv.storage.withUnsafeBufferPointer { a in
            hv.storage.withUnsafeBufferPointer { b in
                hp.storage.withUnsafeBufferPointer { p in
                    for row in 0..<rows {
                        let base = row * 3 * h
                        for j in 0..<h {
                            let k = row * h + j
                            let rp = a[base + j] + b[base + j], zp = a[base + h + j] + b[base + h + j]
                            let rr = sigmoid(rp), zz = sigmoid(zp)
                            let np = a[base + 2 * h + j] + rr * b[base + 2 * h + j]
                            let ng = fastTanh(np)
                            pre[base + j] = rp; pre[base + h + j] = zp; pre[base + 2 * h + j] = np
                            r[k] = rr; z[k] = zz; nn[k] = ng; hh[k] = (1 - zz) * ng + zz * p[k]
                        }
                    }
                }
            }
        }
        func m(_ s: [T]) -> Matrix<T> { Matrix(rows: rows, cols: h, storage: s) }
        return appendGroup([Matrix(rows: rows, cols: 3 * h, storage: pre), m(r), m(z), m(nn), m(hh)]) { [r, z, nn] tape, gs in
            let (gg0, gg1, gg2, gg3, gg4) = (gs[0]?.storage, gs[1]?.storage, gs[2]?.storage, gs[3]?.storage, gs[4]?.storage)
            var dgx = Matrix<T>(rows: rows, cols: 3 * h), dgh = dgx
            var dhp = Matrix<T>(rows: rows, cols: h)
            dgx.storage.withUnsafeMutableBufferPointer { dx in
                dgh.storage.withUnsafeMutableBufferPointer { dhh in
                    dhp.storage.withUnsafeMutableBufferPointer { dp in
                        hv.storage.withUnsafeBufferPointer { b in
                            hp.storage.withUnsafeBufferPointer { p in
                                for row in 0..<rows {
                                    let base = row * 3 * h
                                    for j in 0..<h {
                                        let k = row * h + j
                                        let dh = gg4?[k] ?? 0
                                        let dN = dh * (1 - z[k]) + (gg3?[k] ?? 0)
                                        let dZ = dh * (p[k] - nn[k]) + (gg2?[k] ?? 0)
                                        dp[k] = dh * z[k]
                                        let dNp = dN * (1 - nn[k] * nn[k]) + (gg0?[base + 2 * h + j] ?? 0)
                                        let dR = dNp * b[base + 2 * h + j] + (gg1?[k] ?? 0)
                                        let dRp = dR * r[k] * (1 - r[k]) + (gg0?[base + j] ?? 0)
                                        let dZp = dZ * z[k] * (1 - z[k]) + (gg0?[base + h + j] ?? 0)
                                        dx[base + j] = dRp; dx[base + h + j] = dZp; dx[base + 2 * h + j] = dNp
                                        dhh[base + j] = dRp; dhh[base + h + j] = dZp; dhh[base + 2 * h + j] = dNp * r[k]
                                    }
                                }
                            }
                        }
                    }
                }
            }
            tape.accumulate(gx, dgx)
            tape.accumulate(gh, dgh)
            tape.accumulate(hPrev, dhp)
        }
    }
}

@inline(__always) private func sigmoid<T: EngineScalar>(_ x: T) -> T { 1 / (1 + T.exp(-x)) }

/// tanh in Double, accurate to a few ulps relative over the whole range: for |x| < 0.55 as
/// `−t/(2 + t)` with `t = expm1(−2|x|)` (no cancellation, so tiny and subnormal x keep their relative
/// accuracy), above it as `(1 − e)/(1 + e)` with `e = exp(−2|x|)` (no cancellation there either, and
/// `exp` is cheaper than `expm1`); the sign is copied back, so ±0 stay ±0. glibc's `tanh` took a fifth of
/// an LSTM pass; this is cheaper. A Float result is correctly rounded but for rare near-ties; past
/// about 19 (Double) the result is ±1 exactly, ±∞ give ±1, and NaN stays NaN.
@usableFromInline @inline(__always) func fastTanh<T: EngineScalar>(_ x: T) -> T {
    let d = Double(x)
    let a = Swift.abs(d)
    let m: Double
    if a < 0.55 {
        let t = Double.expMinusOne(-2 * a)
        m = -t / (2 + t)
    } else {
        let e = Double.exp(-2 * a)
        m = (1 - e) / (1 + e)
    }
    return T(Double(signOf: d, magnitudeOf: m))
}
