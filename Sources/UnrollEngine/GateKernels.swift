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
