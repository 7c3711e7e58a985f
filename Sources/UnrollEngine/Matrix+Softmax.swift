extension Matrix {
    /// The softmax of every row, computed stably: `p[r, c] = exp(m[r, c] − max_r) / Σ_c exp(m[r, c] − max_r)`.
    ///
    /// Returns the probabilities with each row's maximum and sum of exponentials, from which
    /// the cross-entropy loss `−(m[r, k] − max_r − log sum_r)` follows without a second pass.
    /// - Complexity: O(rows · cols) exponentials.
    public func softmaxRows() -> (probabilities: Matrix, maxima: [T], sums: [T]) {
        var probs = self
        var maxima = [T](repeating: 0, count: rows), sums = [T](repeating: 0, count: rows)
        for r in 0..<rows {
            var m = -T.infinity
            for c in 0..<cols { m = Swift.max(m, self[r, c]) }
            var z: T = 0
            for c in 0..<cols {
                let e = T.exp(self[r, c] - m)
                probs[r, c] = e
                z += e
            }
            for c in 0..<cols { probs[r, c] /= z }
            maxima[r] = m
            sums[r] = z
        }
        return (probs, maxima, sums)
    }

    /// The column of each row's largest entry, the first one on a tie (and 0 for a row of NaNs):
    /// the class a row of scores chooses.
    /// - Complexity: O(rows · cols).
    public func argmaxRows() -> [Int] {
        (0..<rows).map { r in (0..<cols).max { self[r, $0] < self[r, $1] } ?? 0 }
    }

    /// One-hot rows: row r has a 1 in column `classes[r]` (no 1 when that is outside `0..<cols`).
    /// - Parameters:
    ///   - classes: one class per row.
    ///   - cols: the number of classes.
    public static func oneHot(_ classes: [Int], cols: Int) -> Matrix {
        var m = Matrix(rows: classes.count, cols: cols)
        for (r, k) in classes.enumerated() where k >= 0 && k < cols { m[r, k] = 1 }
        return m
    }
}
