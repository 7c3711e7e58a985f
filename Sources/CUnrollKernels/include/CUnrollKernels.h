#ifndef UNROLL_CUNROLLKERNELS_H
#define UNROLL_CUNROLLKERNELS_H

/* The cells' gate functions (sigmoid, tanh) on wider vectors than the baseline x86-64 binary has: AVX2 (256-bit)
   and AVX-512 (512-bit) variants of the Swift lanes in UnrollEngine/GateMath.swift, the same IEEE operations in
   the same order (no fused multiply-add: contraction is off), so every path gives the same bits. One path is
   chosen when the library loads, from the CPU (`__builtin_cpu_supports`) and the environment variable
   UNROLL_SIMD=baseline|avx2|avx512; "baseline" is the Swift code itself (these functions then return 0 and
   the caller computes). On other architectures than x86-64 only the baseline exists. */

/* The paths. */
enum {
    UNROLL_SIMD_BASELINE = 0,
    UNROLL_SIMD_AVX2 = 1,
    UNROLL_SIMD_AVX512 = 2
};

/* The gate functions. */
enum {
    UNROLL_GATE_SIGMOID = 0,
    UNROLL_GATE_TANH = 1
};

/* The paths this CPU runs, as bits (1 << path); the baseline always. */
unsigned int unroll_simd_available(void);

/* The path chosen at load. */
int unroll_simd_active(void);

/* How UNROLL_SIMD was read at load: 0 unset or empty (the best available), 1 a path this CPU runs (used),
   2 a path it lacks (the best available used instead), 3 not a path's name (the best available used). */
int unroll_simd_request_status(void);

/* The vector path that runs for `path` (-1: the active one): `path` itself when it is AVX2 or AVX-512 and this CPU
   has it, else UNROLL_SIMD_BASELINE (the caller computes). Every kernel below asks it. */
int unroll_simd_runs(int path);

/* out[k] = f(x[k]) for k < count through `path` (-1: the active one); x and out may be the same buffer.
   Returns 1 when computed, 0 when the path is the baseline or this CPU lacks it (nothing written). */
int unroll_gate_f32(int path, int function, const float *x, float *out, long count);
int unroll_gate_f64(int path, int function, const double *x, double *out, long count);

/* y0 = x0·W and y1 = x1·W (β = 0) for W `m × n` row-major with rows `ldw` apart, x0 and x1 of `m` entries, y0
   and y1 of `n`, reading W once for both (AVX2 and FMA; AVX-512 runs the AVX2 code). The sums are in another
   order than BLAS's gemv, so the last bits may differ from it, as they differ between BLAS cores. Returns 1 when
   computed, 0 when the path is the baseline or this CPU lacks it (nothing written: the caller runs two gemv). */
int unroll_gemv2_f32(int path, long m, long n, const float *w, long ldw, const float *x0, const float *x1,
                     float *y0, float *y1);
int unroll_gemv2_f64(int path, long m, long n, const double *w, long ldw, const double *x0, const double *x1,
                     double *y0, double *y1);

#endif
