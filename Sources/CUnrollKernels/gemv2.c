/* Two vector-matrix products that read the matrix once (see include/CUnrollKernels.h): the shared backward sweep's
   ∂L/∂h_{t-1} for two adjoints at B = 1, where the 2 MiB W_hh of a 256-unit LSTM comes from L3 at every step and
   OpenBLAS has no routine that takes both vectors in one pass (a 2-row gemm measured slower than two gemv). */
#include "CUnrollKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

/* y0 = x0·W and y1 = x1·W, four rows of W at a time: each vector-wide column block of both results is loaded once,
   takes the four rows' terms and is stored once, so the rows stream through in order. V is the vector type, L its
   lanes, SET1, LOAD, FMA and STORE its intrinsics. */
#define GEMV2(NAME, T, V, L, SET1, LOAD, FMA, STORE)                                                                   \
    __attribute__((target("avx2,fma"))) static void NAME(                                                             \
        long m, long n, const T *w, long ldw, const T *x0, const T *x1, T *y0, T *y1) {                               \
        for (long j = 0; j < n; j++) { y0[j] = 0; y1[j] = 0; }                                                        \
        long i = 0;                                                                                                   \
        for (; i + 4 <= m; i += 4) {                                                                                  \
            const T *w0 = w + i * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;                                \
            V a0 = SET1(x0[i]), a1 = SET1(x0[i + 1]), a2 = SET1(x0[i + 2]), a3 = SET1(x0[i + 3]);                     \
            V b0 = SET1(x1[i]), b1 = SET1(x1[i + 1]), b2 = SET1(x1[i + 2]), b3 = SET1(x1[i + 3]);                     \
            long j = 0;                                                                                               \
            for (; j + L <= n; j += L) {                                                                              \
                V u = LOAD(y0 + j), v = LOAD(y1 + j);                                                                 \
                V q0 = LOAD(w0 + j), q1 = LOAD(w1 + j), q2 = LOAD(w2 + j), q3 = LOAD(w3 + j);                         \
                u = FMA(a0, q0, u); v = FMA(b0, q0, v);                                                               \
                u = FMA(a1, q1, u); v = FMA(b1, q1, v);                                                               \
                u = FMA(a2, q2, u); v = FMA(b2, q2, v);                                                               \
                u = FMA(a3, q3, u); v = FMA(b3, q3, v);                                                               \
                STORE(y0 + j, u);                                                                                     \
                STORE(y1 + j, v);                                                                                     \
            }                                                                                                         \
            for (; j < n; j++) {                                                                                      \
                y0[j] = x0[i + 3] * w3[j] + (x0[i + 2] * w2[j] + (x0[i + 1] * w1[j] + (x0[i] * w0[j] + y0[j])));      \
                y1[j] = x1[i + 3] * w3[j] + (x1[i + 2] * w2[j] + (x1[i + 1] * w1[j] + (x1[i] * w0[j] + y1[j])));      \
            }                                                                                                         \
        }                                                                                                             \
        for (; i < m; i++) {                                                                                          \
            const T *wi = w + i * ldw;                                                                                \
            for (long j = 0; j < n; j++) {                                                                            \
                y0[j] += x0[i] * wi[j];                                                                               \
                y1[j] += x1[i] * wi[j];                                                                               \
            }                                                                                                         \
        }                                                                                                             \
    }

GEMV2(gemv2_f64_avx2, double, __m256d, 4, _mm256_set1_pd, _mm256_loadu_pd, _mm256_fmadd_pd, _mm256_storeu_pd)
GEMV2(gemv2_f32_avx2, float, __m256, 8, _mm256_set1_ps, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_storeu_ps)
#define RUN(KERNEL) (KERNEL(m, n, w, ldw, x0, x1, y0, y1), 1)
#else
#define RUN(KERNEL) ((void)w, (void)x0, (void)x1, (void)y0, (void)y1, 0)
#endif

/* Whether `path` (-1: the active one) runs the kernel on these sizes. */
static int runs(int path, long m, long n, long ldw) {
    return unroll_simd_runs(path) != UNROLL_SIMD_BASELINE && m >= 0 && n >= 0 && ldw >= n;
}

int unroll_gemv2_f64(
    int path, long m, long n, const double *w, long ldw, const double *x0, const double *x1, double *y0,
    double *y1) {
    return runs(path, m, n, ldw) ? RUN(gemv2_f64_avx2) : 0;
}

int unroll_gemv2_f32(
    int path, long m, long n, const float *w, long ldw, const float *x0, const float *x1, float *y0, float *y1) {
    return runs(path, m, n, ldw) ? RUN(gemv2_f32_avx2) : 0;
}
