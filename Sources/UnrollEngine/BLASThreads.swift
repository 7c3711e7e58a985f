import COpenBLAS

/// How many OpenBLAS threads each product gets: all of them for a large gemm, one for a small one.
///
/// OpenBLAS hands every product above a tiny size to its threads, and its idle threads spin
/// (`sched_yield`) between calls. A recurrent step's products are small (a gemv at B = 1), so on a
/// shared two-core machine the hand-off and the spinning cost more than the second core gives.
/// `BLAS.gemm` therefore asks `use(work:)` before each call; the most threads it ever uses is
/// OpenBLAS's count at start (`OPENBLAS_NUM_THREADS`, else one per core) or `OpenBLAS.setThreads`.
enum BLASThreads {
    /// Products of at least this many multiply–adds (m·n·k) run on every thread: about 80 µs of work
    /// for one core, well above the cost of waking another.
    static let threshold = 1 << 22

    nonisolated(unsafe) static var maximum = Int(openblas_get_num_threads())
    nonisolated(unsafe) private static var current = Int(openblas_get_num_threads())

    /// Sets OpenBLAS's thread count for a product of `work` multiply–adds, calling OpenBLAS only on a change.
    @inline(__always)
    static func use(work: Int) {
        let want = work >= threshold ? maximum : 1
        if want != current {
            openblas_set_num_threads(Int32(want))
            current = want
        }
    }

    /// Records a new maximum (the user's choice) and applies it.
    static func setMaximum(_ n: Int) {
        maximum = max(1, n)
        current = maximum
        openblas_set_num_threads(Int32(maximum))
    }
}
