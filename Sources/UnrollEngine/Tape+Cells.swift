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
    public func affine(
        _ terms: [(x: Variable, w: Variable)], biases: [Variable], rows: Int, cols: Int,
        slab: (v: Variable, row: Int)? = nil
    ) -> Variable {
        var out: Matrix<T>
        if let slab {
            let sv = value(slab.v)
            precondition(
                sv.cols == cols && slab.row >= 0 && slab.row + rows <= sv.rows, "affine: slab rows out of range")
            out = Matrix(
                rows: rows, cols: cols, storage: Array(sv.storage[(slab.row * cols)..<((slab.row + rows) * cols)]))
        } else {
            out = Matrix(rows: rows, cols: cols)
        }
        out.storage.withUnsafeMutableBufferPointer { o in
            for b in biases {
                let bv = value(b)
                precondition(
                    bv.rows == 1 && bv.cols == cols, "affine: bias is \(bv.rows)x\(bv.cols), rows have \(cols)")
                bv.storage.withUnsafeBufferPointer { bb in
                    // Wrapping index arithmetic: no overflow check per entry, so the loop vectorises.
                    for r in 0..<rows {
                        let base = r * cols
                        for c in 0..<cols { o[base &+ c] += bb[c] }
                    }
                }
            }
        }
        for (x, w) in terms { BLAS.gemm(value(x), value(w), transposeB: true, into: &out, beta: 1) }
        let saved = terms.map { (x: $0.x, w: $0.w, xv: value($0.x), wv: value($0.w)) }
        func backward(_ tape: Tape<T>, _ g: Matrix<T>) {
            for t in saved {
                tape.accumulateProduct(t.x, g, t.wv) // dx = g · W
                tape.accumulateWeightProduct(t.w, g, t.xv) // dW += gᵀ · x, deferred
            }
            for b in biases { tape.accumulateColumnSums(b, g) }
            if let slab { tape.accumulateRows(slab.v, g, at: slab.row) }
        }
        let node = append(out, backward)
        // A shared sweep: where both adjoints reach an input, one product `[g; g₂]·W` (2B rows) for both; at
        // B = 1 one pass over W for both rows where the CPU has AVX2 (`GateKernels.twoRowProduct`), else two gemv,
        // as before (a 2-row gemm measured slower, docs/performance.md).
        setSharedBackward(node) { tape, gs, second in
            guard let g = gs[0], let g2 = second[0], rows > 1 || GateKernels.active != .baseline else {
                if let g = gs[0] { backward(tape, g) }
                if let g2 = second[0] { tape.asSecond { backward(tape, g2) } }
                return
            }
            for t in saved {
                if tape.takesGradient(t.x) && tape.asSecond({ tape.takesGradient(t.x) }),
                    let both = rows > 1 ? tape.stackedProducts(g, g2, t.wv) : tape.twoRows(g, g2, t.wv)
                {
                    tape.accumulate(t.x, both.0)
                    tape.asSecond { tape.accumulate(t.x, both.1) }
                } else {
                    tape.accumulateProduct(t.x, g, t.wv)
                    tape.asSecond { tape.accumulateProduct(t.x, g2, t.wv) }
                }
                tape.accumulateWeightProduct(t.w, g, t.xv)
            }
            for b in biases { tape.accumulateColumnSums(b, g) }
            if let slab {
                tape.accumulateRows(slab.v, g, at: slab.row)
                tape.asSecond { tape.accumulateRows(slab.v, g2, at: slab.row) }
            }
        }
        return node
    }

    /// `x0·W` and `x1·W` as one product of the stacked rows `[x0; x1]·W`.
    private func stackedProducts(_ x0: Matrix<T>, _ x1: Matrix<T>, _ w: Matrix<T>) -> (Matrix<T>, Matrix<T>)? {
        let both = BLAS.product(.stackedRows(x0, x1), w)
        return (both.rows(0, x0.rows), both.rows(x0.rows, x1.rows))
    }

    /// `x0·W` and `x1·W` for two single rows in one pass over `W` (`GateKernels.twoRowProduct`); nil where the
    /// kernel does not run (the baseline path).
    private func twoRows(_ x0: Matrix<T>, _ x1: Matrix<T>, _ w: Matrix<T>) -> (Matrix<T>, Matrix<T>)? {
        precondition(
            x0.rows == 1 && x1.rows == 1 && x0.cols == w.rows && x1.cols == w.rows, "twoRows: shapes do not match")
        var y0 = Matrix<T>(rows: 1, cols: w.cols), y1 = y0
        let done = w.storage.withUnsafeBufferPointer { wp in
            x0.storage.withUnsafeBufferPointer { a in
                x1.storage.withUnsafeBufferPointer { b in
                    y0.storage.withUnsafeMutableBufferPointer { o0 in
                        y1.storage.withUnsafeMutableBufferPointer { o1 in
                            guard let wb = wp.baseAddress, let ab = a.baseAddress, let bb = b.baseAddress,
                                let ob0 = o0.baseAddress, let ob1 = o1.baseAddress
                            else { return false }
                            return GateKernels.twoRowProduct(
                                m: w.rows, n: w.cols, wb, ldw: w.cols, ab, bb, ob0, ob1)
                        }
                    }
                }
            }
        }
        return done ? (y0, y1) : nil
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
        let node = append(BLAS.product(x, wv, transposeB: true)) { tape, g in
            tape.accumulateWeightProduct(w, g, x)
            guard xs.contains(where: { tape.takesGradient($0) }) else { return }
            let dx = BLAS.product(g, wv)
            var r = 0
            for (v, part) in zip(xs, parts) {
                tape.accumulate(v, dx.rows(r, part.rows))
                r += part.rows
            }
        }
        markFeedsLeaves(node, xs)
        return node
    }

    /// One LSTM cell from its pre-activations `pre` (`B × 4H`, blocks i f g o) and `c_{t-1}`:
    /// the gates, `c_t = f ⊙ c_{t-1} + i ⊙ g` and `h_t = o ⊙ tanh(c_t)`, as one group of six outputs
    /// `[i, f, g, o, c, h]` (`B × H` each). The backward records the total `∂L/∂c_t` (from `c_{t+1}` and
    /// through this step's `h_t`) with `recordTotal`, for the trace; the `c` output's own gradient keeps only the first.
    /// The gate loops run over unsafe buffers without branches or calls (`GateMath.swift`), so they vectorise.
    /// - Complexity: O(B·H) forward and backward; no zero-filled buffers.
    public func lstmCell(pre: Variable, cellPrevious cPrev: Variable) -> [Variable] {
        let pv = value(pre), cp = value(cPrev)
        let rows = pv.rows, h = pv.cols / 4
        precondition(
            pv.cols == 4 * h && cp.rows == rows && cp.cols == h,
            "lstmCell: pre is \(pv.rows)x\(pv.cols), c is \(cp.rows)x\(cp.cols)")
        let n = rows * h
        func gate(_ block: Int, _ function: GateFunction) -> [T] {
            filledArray(n) { out in
                guard let o = out.baseAddress else { return }
                pv.storage.withUnsafeBufferPointer { pb in
                    guard let p = pb.baseAddress else { return }
                    for r in 0..<rows { function.apply(p + r * 4 * h + block * h, o + r * h, count: h) }
                }
            }
        }
        let i = gate(0, .sigmoid), f = gate(1, .sigmoid), g = gate(2, .tanh), o = gate(3, .sigmoid)
        var c = [T](), tc = [T](), hh = [T]()
        withPointers([i, f, g, o, cp.storage]) { q in
            guard q.count == 5 else { return }
            let (pi, pf, pg, po, pc) = (q[0], q[1], q[2], q[3], q[4])
            c = filledArray(n) { out in for k in 0..<n { out[k] = pf[k] * pc[k] + pi[k] * pg[k] } }
            tc = filledArray(n) { out in
                c.withUnsafeBufferPointer { cb in
                    if let x = cb.baseAddress, let y = out.baseAddress { GateFunction.tanh.apply(x, y, count: n) }
                }
            }
            hh = filledArray(n) { out in tc.withUnsafeBufferPointer { t in for k in 0..<n { out[k] = po[k] * t[k] } } }
        }
        func m(_ s: [T]) -> Matrix<T> { Matrix(rows: rows, cols: h, storage: s) }
        let cell = Variable(id: count + 4) // the group's `c` output, the fifth of the six
        return appendGroup([m(i), m(f), m(g), m(o), m(c), m(hh)]) { [i, f, g, o, tc] tape, gs in
            var dcAll = [T](), dcp = [T](), dpre = [T]()
            let zeros = tape.zeros(atLeast: n)
            // ∂ at i f g o c h (zeros where none arrived), then the saved values i f g o tanh(c) and c_{t-1}.
            withPointers(gs.map { $0?.storage ?? zeros } + [i, f, g, o, tc, cp.storage]) { q in
                guard q.count == 12 else { return }
                let (di, df, dg, dO, dc, dh) = (q[0], q[1], q[2], q[3], q[4], q[5])
                let (si, sf, sg, so, st, cpp) = (q[6], q[7], q[8], q[9], q[10], q[11])
                dcAll = filledArray(n) { dcs in
                    dcp = filledArray(n) { dcPrev in
                        for k in 0..<n {
                            let total = dc[k] + dh[k] * so[k] * (1 - st[k] * st[k])
                            dcs[k] = total
                            dcPrev[k] = total * sf[k]
                        }
                    }
                }
                dpre = filledArray(4 * n) { dp in
                    dcAll.withUnsafeBufferPointer { dcs in
                        for r in 0..<rows {
                            let base = r * 4 * h, row = r * h
                            for j in 0..<h {
                                let k = row &+ j, b = base &+ j
                                let i = si[k], f = sf[k], g = sg[k], o = so[k], t = st[k]
                                let total = dcs[k]
                                dp[b] = (total * g + di[k]) * i * (1 - i)
                                dp[b &+ h] = (total * cpp[k] + df[k]) * f * (1 - f)
                                dp[b &+ 2 &* h] = (total * i + dg[k]) * (1 - g * g)
                                dp[b &+ 3 &* h] = (dh[k] * t + dO[k]) * o * (1 - o)
                            }
                        }
                    }
                }
            }
            tape.accumulate(pre, Matrix(rows: rows, cols: 4 * h, storage: dpre))
            tape.accumulate(cPrev, Matrix(rows: rows, cols: h, storage: dcp))
            tape.recordTotal(cell, Matrix(rows: rows, cols: h, storage: dcAll))
        }
    }

    /// One GRU cell (PyTorch's): from `gx` (`B × 3H`: input terms and `b_ih`, blocks r z n), `gh`
    /// (`B × 3H`: `s_{t-1} W_hhᵀ + b_hh`) and the raw `h_{t-1}`,
    /// `r = σ(gx_r + gh_r)`, `z = σ(gx_z + gh_z)`, `n = tanh(gx_n + r ⊙ gh_n)`, `h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}`,
    /// as one group of five outputs `[pre (B × 3H: r, z and n sums), r, z, n, h]`.
    /// The gate loops run over unsafe buffers without branches or calls (`GateMath.swift`), so they vectorise.
    /// - Complexity: O(B·H) forward and backward; no zero-filled buffers.
    public func gruCell(gx: Variable, gh: Variable, hiddenPrevious hPrev: Variable) -> [Variable] {
        let xv = value(gx), hv = value(gh), hp = value(hPrev)
        let rows = xv.rows, h = xv.cols / 3
        precondition(
            xv.cols == 3 * h && hv.rows == rows && hv.cols == 3 * h && hp.rows == rows && hp.cols == h,
            "gruCell: shapes \(xv.rows)x\(xv.cols), \(hv.rows)x\(hv.cols), \(hp.rows)x\(hp.cols)")
        let n = rows * h
        // Blocks: the pre-activation sums (3n, in gx's layout), then r, z, n, h (n each).
        let saved: [T] = filledArray(7 * n) { (s: UnsafeMutableBufferPointer<T>) in
            xv.storage.withUnsafeBufferPointer { a in
                hv.storage.withUnsafeBufferPointer { b in
                    hp.storage.withUnsafeBufferPointer { p in
                        guard let sb = s.baseAddress else { return }
                        for row in 0..<rows {
                            let base = row * 3 * h, k0 = row * h
                            for j in 0..<2 * h { s[base + j] = a[base + j] + b[base + j] }
                            GateFunction.sigmoid.apply(sb + base, sb + 3 * n + k0, count: h)
                            GateFunction.sigmoid.apply(sb + base + h, sb + 4 * n + k0, count: h)
                            for j in 0..<h {
                                s[base + 2 * h + j] = a[base + 2 * h + j] + s[3 * n + k0 + j] * b[base + 2 * h + j]
                            }
                            GateFunction.tanh.apply(sb + base + 2 * h, sb + 5 * n + k0, count: h)
                            for j in 0..<h {
                                let k = k0 + j, z = s[4 * n + k]
                                s[6 * n + k] = (1 - z) * s[5 * n + k] + z * p[k]
                            }
                        }
                    }
                }
            }
        }
        var outputs = [Matrix<T>(rows: rows, cols: 3 * h, storage: Array(saved[0..<(3 * n)]))]
        for block in 3..<7 {
            outputs.append(Matrix(rows: rows, cols: h, storage: Array(saved[(block * n)..<((block + 1) * n)])))
        }
        return appendGroup(outputs) { tape, gs in
            var dgx = [T](), dgh = [T](), dhp = [T]()
            let zeros = tape.zeros(atLeast: 3 * n)
            withPointers(gs.map { $0?.storage ?? zeros }) { d in // ∂ at pre, r, z, n, h (zeros where none arrived)
                guard d.count == 5 else { return }
                let (dPre, dr, dz, dn, dhOut) = (d[0], d[1], d[2], d[3], d[4])
                hv.storage.withUnsafeBufferPointer { b in
                    hp.storage.withUnsafeBufferPointer { p in
                        saved.withUnsafeBufferPointer { s in
                            dgx = filledArray(3 * n) { dx in
                                dgh = filledArray(3 * n) { dhh in
                                    dhp = filledArray(n) { dp in
                                        for row in 0..<rows {
                                            let base = row * 3 * h
                                            for j in 0..<h {
                                                let k = row * h + j
                                                let r = s[3 * n + k], z = s[4 * n + k], nn = s[5 * n + k]
                                                let dh = dhOut[k]
                                                let dN = dh * (1 - z) + dn[k]
                                                let dZ = dh * (p[k] - nn) + dz[k]
                                                dp[k] = dh * z
                                                let dNp = dN * (1 - nn * nn) + dPre[base + 2 * h + j]
                                                let dR = dNp * b[base + 2 * h + j] + dr[k]
                                                let dRp = dR * r * (1 - r) + dPre[base + j]
                                                let dZp = dZ * z * (1 - z) + dPre[base + h + j]
                                                dx[base + j] = dRp
                                                dx[base + h + j] = dZp
                                                dx[base + 2 * h + j] = dNp
                                                dhh[base + j] = dRp
                                                dhh[base + h + j] = dZp
                                                dhh[base + 2 * h + j] = dNp * r
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            tape.accumulate(gx, Matrix(rows: rows, cols: 3 * h, storage: dgx))
            tape.accumulate(gh, Matrix(rows: rows, cols: 3 * h, storage: dgh))
            tape.accumulate(hPrev, Matrix(rows: rows, cols: h, storage: dhp))
        }
    }
}

/// An array of `count` entries, every one of which `body` writes, without zero-filling it first.
@inline(__always) private func filledArray<T>(_ count: Int, _ body: (UnsafeMutableBufferPointer<T>) -> Void) -> [T] {
    [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        body(buffer)
        initialized = count
    }
}

/// Runs `body` with a pointer to the first entry of each array (none if any is empty), so a kernel's loop reads
/// several arrays without bounds checks or copies.
private func withPointers<T>(_ arrays: [[T]], _ body: ([UnsafePointer<T>]) -> Void) {
    var pointers: [UnsafePointer<T>] = []
    pointers.reserveCapacity(arrays.count)
    func nest(_ k: Int) {
        guard k < arrays.count else {
            body(pointers)
            return
        }
        arrays[k].withUnsafeBufferPointer { buffer in
            guard let p = buffer.baseAddress else {
                body([])
                return
            }
            pointers.append(p)
            nest(k + 1)
        }
    }
    nest(0)
}
