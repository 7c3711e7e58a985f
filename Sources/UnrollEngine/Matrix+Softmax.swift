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
            for c in 0..<cols { let e = T.exp(self[r, c] - m); probs[r, c] = e; z += e }
            for c in 0..<cols { probs[r, c] /= z }
            maxima[r] = m
            sums[r] = z
        }
        return (probs, maxima, sums)
    }
}
