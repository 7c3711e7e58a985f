import COpenBLAS
import Synchronization

/// How many OpenBLAS threads each product gets: all of them for a large gemm, one for a small one.
///
/// OpenBLAS hands every product above a tiny size to its threads, and its idle threads spin
/// (`sched_yield`) between calls. A recurrent step's products are small (a gemv at B = 1), so on a
/// shared two-core machine the hand-off and the spinning cost more than the second core gives.
/// `BLAS.gemm` therefore asks `use(work:)` before each call; the most threads it ever uses is
/// OpenBLAS's count at start (`OPENBLAS_NUM_THREADS`, else one per core) or `OpenBLAS.setThreads`.
///
/// Two engines may run at once (`--versus` gives each model its own worker), so the counts live in a `Mutex`
/// and the call that changes OpenBLAS's count is made under it: the count recorded is always the count set.
enum BLASThreads {
    /// Products of at least this many multiply–adds (m·n·k) run on every thread: about 80 µs of work
    /// for one core, well above the cost of waking another.
    static let threshold = 1 << 22

    /// The most threads a product may use, and the count OpenBLAS was last set to.
    private struct Counts {
        var maximum: Int
        var current: Int
    }
    private static let counts = Mutex(
        Counts(
            maximum: Int(openblas_get_num_threads()),
            current: Int(openblas_get_num_threads())))
    /// `counts.maximum`, readable without the lock: at one thread, `use(work:)` has nothing to change.
    private static let single = Atomic<Bool>(openblas_get_num_threads() <= 1)

    /// The most threads a product may use.
    static var maximum: Int { counts.withLock { $0.maximum } }

    /// Sets OpenBLAS's thread count for a product of `work` multiply–adds, calling OpenBLAS only on a change.
    /// - Complexity: one atomic load at one thread; one uncontended lock otherwise.
    @inline(__always)
    static func use(work: Int) {
        if single.load(ordering: .relaxed) { return }
        counts.withLock { c in
            let want = work >= threshold ? c.maximum : 1
            if want != c.current {
                openblas_set_num_threads(Int32(want))
                c.current = want
            }
        }
    }

    /// Records a new maximum (the user's choice) and applies it.
    static func setMaximum(_ n: Int) {
        counts.withLock { c in
            c.maximum = max(1, n)
            c.current = c.maximum
            openblas_set_num_threads(Int32(c.maximum))
            single.store(c.maximum <= 1, ordering: .relaxed)
        }
    }
}
