import CUnrollKernels

/// Which vector width the cells' gate functions run on (`GateFunction.apply`): the baseline x86-64 lanes of
/// `GateMath.swift` (every CPU), or the same operations on AVX2 or AVX-512 registers (the C target
/// CUnrollKernels), chosen once when the process loads from the CPU and `UNROLL_SIMD`. Every path computes
/// the same IEEE operations in the same order (no fused multiply–add), so the results are the same bits.
public enum GateKernels {
    /// A path.
    public enum Path: Int32, CaseIterable, Sendable {
        /// The Swift lanes (128-bit SSE2 on x86-64; the only path elsewhere).
        case baseline = 0
        /// 256-bit AVX2 (with FMA present; not used for contraction).
        case avx2 = 1
        /// 512-bit AVX-512F.
        case avx512 = 2

        /// The name `UNROLL_SIMD` takes.
        public var name: String {
            switch self {
            case .baseline: "baseline"
            case .avx2: "avx2"
            case .avx512: "avx512"
            }
        }
    }

    /// The path in use.
    public static var active: Path { Path(rawValue: unroll_simd_active()) ?? .baseline }

    /// The paths this CPU runs (the baseline always).
    public static var available: [Path] {
        Path.allCases.filter { unroll_simd_available() & (1 << UInt32($0.rawValue)) != 0 }
    }

    /// One line for `--version` and reports, e.g. `Gate kernels avx2 (the default here; UNROLL_SIMD=…)`. The default
    /// is AVX2 where the CPU has it, else the baseline: AVX-512 runs only when asked for, since it has not yet run on
    /// a machine that has it.
    public static var summary: String {
        let why: String
        switch unroll_simd_request_status() {
        case 1: why = "UNROLL_SIMD=\(active.name)"
        case 2: why = "UNROLL_SIMD asks for a path this CPU lacks; the default here"
        case 3: why = "UNROLL_SIMD is not baseline, avx2 or avx512; the default here"
        default: why = "the default here; UNROLL_SIMD=baseline|avx2|avx512 chooses"
        }
        return "Gate kernels \(active.name) (\(why))"
    }

    /// `f` on `count` entries through `path` (nil: the active one); false (nothing written) when the path is the
    /// baseline, which the caller computes, or one this CPU lacks.
    @inline(__always) static func apply(
        _ f: GateFunction, _ x: UnsafeRawPointer, _ out: UnsafeMutableRawPointer, count: Int, double: Bool,
        path: Path? = nil
    ) -> Bool {
        let p = path.map { $0.rawValue } ?? -1
        let fn: Int32 = f == .tanh ? Int32(UNROLL_GATE_TANH) : Int32(UNROLL_GATE_SIGMOID)
        if double {
            return unroll_gate_f64(
                p, fn, x.assumingMemoryBound(to: Double.self), out.assumingMemoryBound(to: Double.self), count) != 0
        }
        return unroll_gate_f32(
            p, fn, x.assumingMemoryBound(to: Float.self), out.assumingMemoryBound(to: Float.self), count) != 0
    }
}

extension GateKernels {
    /// `y0 = x0·W` and `y1 = x1·W` (β = 0) for `W` (`m × n`, row-major, rows `ldw` apart), reading `W` once for
    /// both (CUnrollKernels' `unroll_gemv2`, on the path's vectors with FMA): the shared backward sweep's
    /// recurrent product at B = 1, where two BLAS gemv each stream the whole `W_hh`. Its sums run in another order
    /// than BLAS's, so the last bits may differ from two gemv, as they differ between BLAS cores. False (nothing
    /// written) on the baseline path or a CPU without AVX2 and FMA: the caller runs two gemv.
    @inline(__always) static func twoRowProduct<T: EngineScalar>(
        m: Int, n: Int, _ w: UnsafePointer<T>, ldw: Int, _ x0: UnsafePointer<T>, _ x1: UnsafePointer<T>,
        _ y0: UnsafeMutablePointer<T>, _ y1: UnsafeMutablePointer<T>, path: Path? = nil
    ) -> Bool {
        let p = path.map { $0.rawValue } ?? -1
        if T.self == Double.self {
            func d(_ q: UnsafePointer<T>) -> UnsafePointer<Double> { UnsafeRawPointer(q).assumingMemoryBound(to: Double.self) }
            func dm(_ q: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Double> {
                UnsafeMutableRawPointer(q).assumingMemoryBound(to: Double.self)
            }
            return unroll_gemv2_f64(p, m, n, d(w), ldw, d(x0), d(x1), dm(y0), dm(y1)) != 0
        }
        if T.self == Float.self {
            func f(_ q: UnsafePointer<T>) -> UnsafePointer<Float> { UnsafeRawPointer(q).assumingMemoryBound(to: Float.self) }
            func fm(_ q: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> {
                UnsafeMutableRawPointer(q).assumingMemoryBound(to: Float.self)
            }
            return unroll_gemv2_f32(p, m, n, f(w), ldw, f(x0), f(x1), fm(y0), fm(y1)) != 0
        }
        return false
    }
}
