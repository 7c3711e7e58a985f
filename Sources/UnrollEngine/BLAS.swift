/// Typed, shape-checked wrappers over the BLAS calls the engine makes.
///
/// Each wrapper checks the shapes of its operands before it calls OpenBLAS,
/// so a shape mistake stops with a message instead of reading out of bounds.
public enum BLAS {
    /// `C ← α·op(A)·op(B) + β·C`, where `op` transposes when asked.
    ///
    /// - Precondition: inner dimensions agree and `C` is `rows(op(A)) × cols(op(B))`.
    /// - Complexity: O(m·n·k) in OpenBLAS `?gemm`.
    public static func gemm<T>(
        _ a: Matrix<T>, transposeA: Bool = false,
        _ b: Matrix<T>, transposeB: Bool = false,
        into c: inout Matrix<T>, alpha: T = 1, beta: T = 0
    ) {
        let m = transposeA ? a.cols : a.rows
        let k = transposeA ? a.rows : a.cols
        let kb = transposeB ? b.cols : b.rows
        let n = transposeB ? b.rows : b.cols
        precondition(
            k == kb,
            "gemm: inner dimensions differ (\(a.rows)x\(a.cols)\(transposeA ? "ᵀ" : "") · \(b.rows)x\(b.cols)\(transposeB ? "ᵀ" : ""))"
        )
        precondition(c.rows == m && c.cols == n, "gemm: result is \(c.rows)x\(c.cols), expected \(m)x\(n)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if beta == 0 {
                c.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            } else if beta != 1 {
                for i in c.storage.indices { c.storage[i] *= beta }
            }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    guard let aa = pa.baseAddress, let bb = pb.baseAddress, let cc = pc.baseAddress else { return }
                    BLASThreads.use(work: m == 1 && !transposeA ? 0 : m * n * k)
                    if m == 1 && !transposeA {
                        // A single row: y = op(B)ᵀ x is a gemv, which OpenBLAS runs faster than a gemm with m = 1.
                        T.gemv(
                            trans: !transposeB, m: b.rows, n: b.cols, alpha: alpha, a: bb, lda: b.cols,
                            x: aa, beta: beta, y: cc)
                    } else {
                        T.gemm(
                            transA: transposeA, transB: transposeB, m: m, n: n, k: k,
                            alpha: alpha, a: aa, lda: a.cols, b: bb, ldb: b.cols,
                            beta: beta, c: cc, ldc: c.cols)
                    }
                }
            }
        }
    }

    /// `op(A)·op(B)` as a new matrix.
    public static func product<T>(
        _ a: Matrix<T>, transposeA: Bool = false, _ b: Matrix<T>, transposeB: Bool = false
    ) -> Matrix<T> {
        var c = Matrix<T>(rows: transposeA ? a.cols : a.rows, cols: transposeB ? b.rows : b.cols)
        gemm(a, transposeA: transposeA, b, transposeB: transposeB, into: &c)
        return c
    }

    /// `y ← α·x + y` over whole matrices of the same shape.
    /// - Precondition: same shape.
    /// - Complexity: O(count) in OpenBLAS `?axpy`.
    public static func axpy<T>(_ alpha: T, _ x: Matrix<T>, _ y: inout Matrix<T>) {
        precondition(
            x.rows == y.rows && x.cols == y.cols, "axpy: shapes differ (\(x.rows)x\(x.cols) vs \(y.rows)x\(y.cols))")
        let n = x.count
        if n == 0 { return }
        x.storage.withUnsafeBufferPointer { px in
            y.storage.withUnsafeMutableBufferPointer { py in
                guard let xx = px.baseAddress, let yy = py.baseAddress else { return }
                T.axpy(n: n, alpha: alpha, x: xx, y: yy)
            }
        }
    }
}
