import COpenBLAS
import Foundation

/// The OpenBLAS library at run time: the kernel set ("core") it chose, its threads, and the
/// choice of a better core than it detected.
///
/// OpenBLAS picks its kernels once, when the library loads, from `cpuid` or from the
/// `OPENBLAS_CORETYPE` environment variable. Debian's 0.3.21 does not know recent processors
/// and falls back to older kernels (here, an AMD EPYC with AVX-512 gets `Haswell`), so the
/// executable asks `coreDecision` at start and re-executes itself with `OPENBLAS_CORETYPE` set.
public enum OpenBLAS {
    /// The core OpenBLAS runs on, e.g. `Haswell`, `SkylakeX`, `Cooperlake` (`openblas_get_corename`).
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// OpenBLAS's build configuration (`openblas_get_config`), e.g. `OpenBLAS 0.3.21 DYNAMIC_ARCH …`.
    public static var config: String {
        guard let p = openblas_get_config() else { return "unknown" }
        return String(cString: p)
    }

    /// The number of threads OpenBLAS uses for a large product (small ones run on one; see `BLASThreads`).
    public static var threads: Int { BLASThreads.maximum }

    /// Sets the number of OpenBLAS threads for large products (at least 1); `reason`, when given, is what
    /// `summary` says about the count from now on (e.g. `--threads 2`).
    public static func setThreads(_ n: Int, reason: String? = nil) {
        BLASThreads.setMaximum(n)
        if let reason { threadReason = reason }
    }

    /// The environment variables OpenBLAS reads its thread count from, in its order of precedence.
    public static let threadVariables = ["OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"]

    /// Unroll's thread count for a process: the user's when one of `threadVariables` is set to a number
    /// (OpenBLAS has applied it), else 1, with the reason `summary` gives.
    ///
    /// One thread, because on the machine measured (2 cores, docs/performance.md) a second OpenBLAS thread made
    /// no command 1.5× faster (at best 1.27×), while its idle spinning (`sched_yield`) raised the CPU time of training by 20–35 %
    /// (the issue measured twice the CPU time with OpenBLAS's default).
    /// - Parameter environment: the process's environment.
    /// - Returns: the count to set (nil: keep OpenBLAS's) and why.
    public static func threadDecision(environment: [String: String]) -> (threads: Int?, reason: String) {
        let own = (
            1,
            "unroll's default: a second thread made no command 1.5× faster here and spins idle; "
                + "OPENBLAS_NUM_THREADS=N chooses"
        )
        guard let (name, n) = requestedThreads(environment: environment) else { return own }
        return (nil, "\(name)=\(n)")
    }

    /// Set in the environment of a process re-executed with `OPENBLAS_NUM_THREADS=1` by unroll (not the user).
    public static let threadsMarker = "UNROLL_OPENBLAS_THREADS"

    /// The variables to set and re-execute with so that OpenBLAS starts with unroll's thread count: empty when
    /// it already does. OpenBLAS starts its helper threads when it loads, and an idle helper spins in
    /// `sched_yield` for about 0.1 s before it sleeps: every short command paid that in CPU and wall time,
    /// whatever `openblas_set_num_threads` said afterwards.
    /// - Parameters:
    ///   - environment: the process's environment.
    ///   - loadedThreads: OpenBLAS's thread count at load (`threads` before any change).
    public static func threadReexec(environment: [String: String], loadedThreads: Int) -> [String: String] {
        guard loadedThreads > 1, environment[threadsMarker] == nil,
            threadDecision(environment: environment).threads == 1
        else { return [:] }
        return ["OPENBLAS_NUM_THREADS": "1", threadsMarker: "1"]
    }

    /// Why the thread count is what it is (set by `chooseThreads`; OpenBLAS's own count until then).
    nonisolated(unsafe) private static var threadReason = "OpenBLAS's default, one per core"

    /// Applies `threadDecision` for this process's environment; the executable calls it once at start.
    /// `unroll bench --threads N` may override it afterwards.
    public static func chooseThreads(environment: [String: String]) {
        let (n, reason) = threadDecision(environment: environment)
        if let n { setThreads(n) }
        threadReason = reason
        if n == nil, let asked = requestedThreads(environment: environment)?.count, asked > threads {
            threadReason += cappedNote
        }
    }

    /// What `summary` adds to the reason when the user asked for more threads than OpenBLAS started: OpenBLAS
    /// starts at most one per CPU the process may run on (its affinity mask: `taskset`, a container's CPU limit).
    public static let cappedNote = "; OpenBLAS starts at most one per CPU this process may use"

    /// The first of `threadVariables` set to a number of at least 1, and that number; nil when none is, or in a
    /// process unroll re-executed with `OPENBLAS_NUM_THREADS=1` (`threadsMarker`: that count is unroll's).
    static func requestedThreads(environment: [String: String]) -> (name: String, count: Int)? {
        guard environment[threadsMarker] == nil else { return nil }
        for name in threadVariables {
            if let value = environment[name], let n = Int(value.trimmingCharacters(in: .whitespaces)), n >= 1 {
                return (name, n)
            }
        }
        return nil
    }

    /// Set in the environment of a re-executed process: the core Unroll chose and the one OpenBLAS had detected.
    public static let chosenMarker = "UNROLL_OPENBLAS_DETECTED"

    /// What to do about the core at start.
    public enum CoreDecision: Equatable, Sendable {
        /// Run on the detected core; the reason, for reports.
        case keep(String)
        /// Re-execute with `OPENBLAS_CORETYPE` set to this core.
        case reexec(String)
    }

    /// The kernel families in increasing capability; a name not listed counts as the lowest.
    static let rank: [String: Int] = [
        "prescott": 0, "core2": 0, "penryn": 0, "dunnington": 0, "nehalem": 1, "atom": 0, "bulldozer": 1,
        "sandybridge": 2, "piledriver": 2, "steamroller": 2, "excavator": 2,
        "haswell": 3, "zen": 3, "skylakex": 4, "cooperlake": 5, "sapphirerapids": 5
    ]

    /// The best OpenBLAS 0.3.21 core for a processor's features.
    public static func bestCore(for f: CPUFeatures) -> String {
        if f.isSuperset(of: CPUFeatures.skylakeX) { return f.contains(.avx512bf16) ? "Cooperlake" : "SkylakeX" }
        if f.isSuperset(of: [.avx2, .fma]) { return "Haswell" }
        if f.contains(.avx) { return "Sandybridge" }
        return "Prescott"
    }

    /// Whether to re-execute with a better core: a pure function of what OpenBLAS detected, the CPU's
    /// features, the user's `OPENBLAS_CORETYPE` (nil when unset) and whether this process is already
    /// a re-execution (which guards against a loop when OpenBLAS ignores the request). A re-executed process has
    /// `OPENBLAS_CORETYPE` set, by unroll: that is unroll's choice, not the user's.
    public static func coreDecision(
        detected: String, features: CPUFeatures, userCoreType: String?,
        reexecuted: Bool
    ) -> CoreDecision {
        if reexecuted { return .keep("chosen by unroll") }
        if let user = userCoreType, !user.isEmpty { return .keep("OPENBLAS_CORETYPE=\(user) set by the user") }
        let best = bestCore(for: features)
        let have = rank[detected.lowercased()] ?? 0, want = rank[best.lowercased()] ?? 0
        if want > have { return .reexec(best) }
        return .keep("detected by OpenBLAS")
    }

    /// The processor features a loaded core's kernels use that `features` lacks (empty when it can run them, and
    /// for a core the table does not know). OpenBLAS 0.3.21 loads a forced `OPENBLAS_CORETYPE=SkylakeX` on a CPU
    /// without AVX-512 and stops at its first product with an illegal instruction; unroll refuses it first.
    /// Only meaningful on x86-64 (elsewhere `features` is empty and no core here applies).
    public static func missingFeatures(core: String, features: CPUFeatures) -> CPUFeatures {
        let needs: CPUFeatures
        switch core.lowercased() {
        case "skylakex", "cooperlake", "sapphirerapids": needs = CPUFeatures.skylakeX
        case "haswell", "zen": needs = [.avx2, .fma]
        case "sandybridge": needs = [.avx]
        default: needs = []
        }
        return needs.subtracting(features)
    }

    /// One line for `--version` and reports: the core, how it was chosen, and the thread count and why.
    public static func summary(environment: [String: String]) -> String {
        var why = "detected by OpenBLAS"
        if let detected = environment[chosenMarker] {
            why = "chosen by unroll for this CPU; OpenBLAS detected \(detected)"
        } else if let user = environment["OPENBLAS_CORETYPE"], !user.isEmpty {
            why = "OPENBLAS_CORETYPE=\(user)"
            let best = bestCore(for: .current)
            if (rank[best.lowercased()] ?? 0) > (rank[coreName.lowercased()] ?? 0) {
                why += "; this CPU supports \(best)"
            }
        }
        return "OpenBLAS core \(coreName) (\(why)), \(threads) thread\(threads == 1 ? "" : "s") (\(threadReason))"
    }
}
