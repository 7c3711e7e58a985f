import COpenBLAS

/// The processor features that decide which OpenBLAS kernels can run, read with `cpuid`.
public struct CPUFeatures: OptionSet, Sendable, Hashable {
    /// The raw bits, as `unroll_cpu_features()` in the COpenBLAS shim returns them.
    public let rawValue: UInt32
    /// A set from raw bits.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// AVX2 (with the OS saving the YMM state).
    public static let avx2 = CPUFeatures(rawValue: 1)
    /// Fused multiply–add (FMA3).
    public static let fma = CPUFeatures(rawValue: 2)
    /// AVX-512 Foundation.
    public static let avx512f = CPUFeatures(rawValue: 4)
    /// AVX-512 byte and word instructions.
    public static let avx512bw = CPUFeatures(rawValue: 8)
    /// AVX-512 vector length extensions.
    public static let avx512vl = CPUFeatures(rawValue: 16)
    /// AVX-512 doubleword and quadword instructions.
    public static let avx512dq = CPUFeatures(rawValue: 32)
    /// AVX-512 BF16 (Cooper Lake, Sapphire Rapids, AMD Zen 4 and later).
    public static let avx512bf16 = CPUFeatures(rawValue: 64)
    /// AVX with the OS saving the YMM state.
    public static let avx = CPUFeatures(rawValue: 128)
    /// The OS saves the ZMM (AVX-512) state.
    public static let osAVX512 = CPUFeatures(rawValue: 256)

    /// What SkylakeX kernels need: AVX-512 F, BW, VL and DQ with OS support, plus AVX2 and FMA.
    public static let skylakeX: CPUFeatures = [.avx2, .fma, .avx512f, .avx512bw, .avx512vl, .avx512dq, .osAVX512]

    /// The features of the processor this runs on (empty on other architectures).
    public static var current: CPUFeatures { CPUFeatures(rawValue: unroll_cpu_features()) }

    /// The features by name, for reports: e.g. `avx2 fma avx512f …`.
    public var names: String {
        let all: [(CPUFeatures, String)] = [
            (.avx, "avx"), (.avx2, "avx2"), (.fma, "fma"), (.avx512f, "avx512f"),
            (.avx512bw, "avx512bw"), (.avx512vl, "avx512vl"), (.avx512dq, "avx512dq"),
            (.avx512bf16, "avx512bf16")
        ]
        return all.filter { contains($0.0) }.map(\.1).joined(separator: " ")
    }
}
