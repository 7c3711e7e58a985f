import COpenBLAS
import RealModule

/// A floating-point type the engine computes in: `Float` or `Double`.
///
/// Every BLAS and LAPACK entry point the engine uses is reached through this
/// protocol, so engine code is written once, generically, and runs in both
/// precisions. Elementary functions (`tanh`, `exp`, `log`) come from
/// swift-numerics' `Real`.
public protocol EngineScalar: Real, BinaryFloatingPoint, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
    /// `C ← α·op(A)·op(B) + β·C` on row-major storage (cblas `?gemm`).
    static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Self, a: UnsafePointer<Self>, lda: Int,
        b: UnsafePointer<Self>, ldb: Int,
        beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `y ← α·op(A)·x + β·y` on row-major storage (cblas `?gemv`).
    static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Self, a: UnsafePointer<Self>, lda: Int,
        x: UnsafePointer<Self>, beta: Self, y: UnsafeMutablePointer<Self>)
    /// The upper triangle of `C ← A·Aᵀ` (`n × n`) for `A` (`n × k`), row-major (cblas `?syrk`, α = 1, β = 0): half
    /// a gemm's work for a Gram matrix; the entries below the diagonal are not written.
    static func syrkUpper(n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, c: UnsafeMutablePointer<Self>, ldc: Int)
    /// `y ← α·x + y` (cblas `?axpy`).
    static func axpy(n: Int, alpha: Self, x: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>)
    /// Euclidean norm (cblas `?nrm2`), computed without overflow for large entries.
    static func nrm2(n: Int, x: UnsafePointer<Self>) -> Self
    /// Column-major QR factorisation, returning Q in place (LAPACK `?geqrf` then `?orgqr`).
    /// Returns `false` when LAPACK reports an error.
    static func orthonormalize(m: Int, n: Int, columnMajor a: UnsafeMutablePointer<Self>) -> Bool
    /// A short name for messages and file headers: "float32" or "float64".
    static var dtypeName: String { get }
}

@inline(__always) private func order() -> CBLAS_ORDER { CblasRowMajor }
@inline(__always) private func tr(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: EngineScalar {
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            order(), tr(transA), tr(transB), blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        x: UnsafePointer<Float>, beta: Float, y: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemv(order(), tr(trans), blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
    public static func syrkUpper(
        n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_ssyrk(order(), CblasUpper, CblasNoTrans, blasint(n), blasint(k), 1, a, blasint(lda), 0, c, blasint(ldc))
    }
    public static func axpy(n: Int, alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
        cblas_saxpy(blasint(n), alpha, x, 1, y, 1)
    }
    public static func nrm2(n: Int, x: UnsafePointer<Float>) -> Float {
        cblas_snrm2(blasint(n), x, 1)
    }
    public static func orthonormalize(m: Int, n: Int, columnMajor a: UnsafeMutablePointer<Float>) -> Bool {
        var m32 = Int32(m), n32 = Int32(n), k32 = Int32(min(m, n)), lda = Int32(m), info: Int32 = 0
        var tau = [Float](repeating: 0, count: max(1, min(m, n)))
        var lwork = Int32(max(1, 64 * n))
        var work = [Float](repeating: 0, count: Int(lwork))
        sgeqrf_(&m32, &n32, a, &lda, &tau, &work, &lwork, &info)
        guard info == 0 else { return false }
        sorgqr_(&m32, &n32, &k32, a, &lda, &tau, &work, &lwork, &info)
        return info == 0
    }
    public static var dtypeName: String { "float32" }
}

extension Double: EngineScalar {
    public static func gemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dgemm(
            order(), tr(transA), tr(transB), blasint(m), blasint(n), blasint(k),
            alpha, a, blasint(lda), b, blasint(ldb), beta, c, blasint(ldc))
    }
    public static func gemv(
        trans: Bool, m: Int, n: Int, alpha: Double, a: UnsafePointer<Double>, lda: Int,
        x: UnsafePointer<Double>, beta: Double, y: UnsafeMutablePointer<Double>
    ) {
        cblas_dgemv(order(), tr(trans), blasint(m), blasint(n), alpha, a, blasint(lda), x, 1, beta, y, 1)
    }
    public static func syrkUpper(
        n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        cblas_dsyrk(order(), CblasUpper, CblasNoTrans, blasint(n), blasint(k), 1, a, blasint(lda), 0, c, blasint(ldc))
    }
    public static func axpy(n: Int, alpha: Double, x: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>) {
        cblas_daxpy(blasint(n), alpha, x, 1, y, 1)
    }
    public static func nrm2(n: Int, x: UnsafePointer<Double>) -> Double {
        cblas_dnrm2(blasint(n), x, 1)
    }
    public static func orthonormalize(m: Int, n: Int, columnMajor a: UnsafeMutablePointer<Double>) -> Bool {
        var m32 = Int32(m), n32 = Int32(n), k32 = Int32(min(m, n)), lda = Int32(m), info: Int32 = 0
        var tau = [Double](repeating: 0, count: max(1, min(m, n)))
        var lwork = Int32(max(1, 64 * n))
        var work = [Double](repeating: 0, count: Int(lwork))
        dgeqrf_(&m32, &n32, a, &lda, &tau, &work, &lwork, &info)
        guard info == 0 else { return false }
        dorgqr_(&m32, &n32, &k32, a, &lda, &tau, &work, &lwork, &info)
        return info == 0
    }
    public static var dtypeName: String { "float64" }
}
