import COpenBLAS

/// Spectral quantities of square matrices, computed by LAPACK in double precision.
public enum Spectrum {
    /// The spectral radius `max |λ_i|` of a square matrix (LAPACK `dgeev`).
    /// Returns NaN when the matrix has non-finite entries or LAPACK fails.
    /// - Complexity: O(n³).
    public static func radius<T>(_ m: Matrix<T>) -> Double {
        precondition(m.rows == m.cols, "spectral radius needs a square matrix, found \(m.rows)x\(m.cols)")
        let n = m.rows
        if n == 0 { return 0 }
        guard m.isFinite else { return .nan }
        var a = m.transposed.storage.map { Double($0) } // column-major
        var n32 = Int32(n), lda = Int32(n), one: Int32 = 1, info: Int32 = 0
        var wr = [Double](repeating: 0, count: n), wi = [Double](repeating: 0, count: n)
        var vl = [Double](repeating: 0, count: 1), vr = [Double](repeating: 0, count: 1)
        var lwork = Int32(max(1, 8 * n))
        var work = [Double](repeating: 0, count: Int(lwork))
        var jobN = Int8(UInt8(ascii: "N"))
        dgeev_(&jobN, &jobN, &n32, &a, &lda, &wr, &wi, &vl, &one, &vr, &one, &work, &lwork, &info)
        guard info == 0 else { return .nan }
        var r = 0.0
        for i in 0..<n { r = Swift.max(r, (wr[i] * wr[i] + wi[i] * wi[i]).squareRoot()) }
        return r
    }

    /// The singular values of a matrix, largest first (LAPACK `dgesvd`).
    /// Empty when the matrix has non-finite entries or LAPACK fails.
    /// - Complexity: O(m·n·min(m, n)).
    public static func singularValues<T>(_ m: Matrix<T>) -> [Double] {
        let rows = m.rows, cols = m.cols
        if rows == 0 || cols == 0 { return [] }
        guard m.isFinite else { return [] }
        var a = m.transposed.storage.map { Double($0) }
        var m32 = Int32(rows), n32 = Int32(cols), lda = Int32(rows), one: Int32 = 1, info: Int32 = 0
        var s = [Double](repeating: 0, count: min(rows, cols))
        var vl = [Double](repeating: 0, count: 1), vr = [Double](repeating: 0, count: 1)
        var lwork = Int32(max(1, 5 * (rows + cols)))
        var work = [Double](repeating: 0, count: Int(lwork))
        var jobN = Int8(UInt8(ascii: "N"))
        dgesvd_(&jobN, &jobN, &m32, &n32, &a, &lda, &s, &vl, &one, &vr, &one, &work, &lwork, &info)
        return info == 0 ? s : []
    }

    /// The largest singular value σ_max (the spectral norm): NaN when it cannot be computed.
    public static func largestSingularValue<T>(_ m: Matrix<T>) -> Double {
        if m.rows == 0 || m.cols == 0 { return 0 }
        return singularValues(m).first ?? .nan
    }
}
