/// A dense row-major matrix of engine scalars: the one tensor type of the engine.
///
/// Activations are `B × F` (batch rows, feature columns); weights follow
/// PyTorch's layout, `out × in`; a bias is `1 × n`. Storage is a Swift array,
/// so copies are cheap until written (copy on write).
public struct Matrix<T: EngineScalar>: Equatable, Sendable {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let cols: Int
    /// Row-major entries, `rows * cols` of them.
    public var storage: [T]

    /// A matrix of `rows × cols` filled with `value`.
    /// - Complexity: O(rows·cols).
    public init(rows: Int, cols: Int, repeating value: T = 0) {
        precondition(rows >= 0 && cols >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.cols = cols
        self.storage = [T](repeating: value, count: rows * cols)
    }

    /// A matrix over existing row-major storage.
    /// - Precondition: `storage.count == rows * cols`.
    public init(rows: Int, cols: Int, storage: [T]) {
        precondition(
            storage.count == rows * cols,
            "storage has \(storage.count) entries, shape \(rows)x\(cols) needs \(rows * cols)")
        self.rows = rows
        self.cols = cols
        self.storage = storage
    }

    /// A one-row matrix holding `values`.
    public init(row values: [T]) {
        self.init(rows: 1, cols: values.count, storage: values)
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, cols: n)
        for i in 0..<n { m.storage[i * n + i] = 1 }
        return m
    }

    /// Number of entries.
    public var count: Int { storage.count }

    /// The entry at row `r`, column `c`.
    public subscript(r: Int, c: Int) -> T {
        get { storage[r * cols + c] }
        set { storage[r * cols + c] = newValue }
    }

    /// Row `r` as an array.
    /// - Complexity: O(cols).
    public func row(_ r: Int) -> [T] { Array(storage[(r * cols)..<((r + 1) * cols)]) }

    /// Columns `start ..< start + count` of every row, as a new matrix.
    /// - Complexity: O(rows·count).
    public func columns(_ start: Int, _ count: Int) -> Matrix {
        precondition(start >= 0 && count >= 0 && start + count <= cols, "column range out of bounds")
        var out = Matrix(rows: rows, cols: count)
        for r in 0..<rows {
            for c in 0..<count { out.storage[r * count + c] = storage[r * cols + start + c] }
        }
        return out
    }

    /// Rows `start ..< start + count`, as a new matrix.
    public func rows(_ start: Int, _ count: Int) -> Matrix {
        precondition(start >= 0 && count >= 0 && start + count <= rows, "row range out of bounds")
        return Matrix(rows: count, cols: cols, storage: Array(storage[(start * cols)..<((start + count) * cols)]))
    }

    /// `a` above `b`: `[a; b]`.
    /// - Precondition: equal column counts.
    /// - Complexity: O(total entries).
    public static func stackedRows(_ a: Matrix, _ b: Matrix) -> Matrix {
        precondition(a.cols == b.cols, "stackedRows: column counts differ")
        return Matrix(rows: a.rows + b.rows, cols: a.cols, storage: a.storage + b.storage)
    }

    /// Matrices with the same number of rows, side by side: `[a | b | …]`.
    /// - Precondition: equal row counts.
    /// - Complexity: O(total entries).
    public static func joinedColumns(_ parts: [Matrix]) -> Matrix {
        let rows = parts.first?.rows ?? 0
        precondition(parts.allSatisfy { $0.rows == rows }, "joinedColumns: row counts differ")
        var out = Matrix(rows: rows, cols: parts.reduce(0) { $0 + $1.cols })
        var offset = 0
        for v in parts {
            for r in 0..<rows { for c in 0..<v.cols { out[r, offset + c] = v[r, c] } }
            offset += v.cols
        }
        return out
    }

    /// The transpose.
    /// - Complexity: O(rows·cols).
    public var transposed: Matrix {
        var out = Matrix(rows: cols, cols: rows)
        for r in 0..<rows { for c in 0..<cols { out.storage[c * rows + r] = storage[r * cols + c] } }
        return out
    }

    /// The Frobenius (Euclidean) norm of all entries, through BLAS `nrm2`.
    public var norm: T {
        storage.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress, p.count > 0 else { return 0 }
            return T.nrm2(n: p.count, x: base)
        }
    }

    /// The largest absolute entry (0 for an empty matrix; NaN if any entry is NaN).
    public var maxAbs: T {
        var m: T = 0
        for v in storage {
            if v.isNaN { return .nan }
            m = Swift.max(m, abs(v))
        }
        return m
    }

    /// Whether every entry is finite.
    public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

    /// The entries converted to another scalar type.
    public func converted<U: EngineScalar>(to: U.Type = U.self) -> Matrix<U> {
        Matrix<U>(rows: rows, cols: cols, storage: storage.map { U($0) })
    }
}

extension Matrix: CustomStringConvertible {
    /// A short description: shape and, for small matrices, the entries.
    public var description: String {
        if count <= 16 { return "Matrix(\(rows)x\(cols): \(storage))" }
        return "Matrix(\(rows)x\(cols))"
    }
}
