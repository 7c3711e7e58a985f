/* Two vector-matrix products that read the matrix once (see include/CUnrollKernels.h): the shared backward sweep's
   ∂L/∂h_{t-1} for two adjoints at B = 1, where the 2 MiB W_hh of a 256-unit LSTM comes from L3 at every step and
   OpenBLAS has no routine that takes both vectors in one pass (a 2-row gemm measured slower than two gemv). */
#include "CUnrollKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define AVX2 __attribute__((target("avx2,fma")))

/* y0 = x0·W and y1 = x1·W, four rows of W at a time: each 4-wide column block of both results is loaded once,
   takes the four rows' terms and is stored once, so the rows stream through in order. */
AVX2 static void gemv2_f64_avx2(
    long m, long n, const double *w, long ldw, const double *x0, const double *x1, double *y0, double *y1) {
    for (long j = 0; j < n; j++) { y0[j] = 0; y1[j] = 0; }
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        const double *w0 = w + i * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;
        __m256d a0 = _mm256_set1_pd(x0[i]), a1 = _mm256_set1_pd(x0[i + 1]);
        __m256d a2 = _mm256_set1_pd(x0[i + 2]), a3 = _mm256_set1_pd(x0[i + 3]);
        __m256d b0 = _mm256_set1_pd(x1[i]), b1 = _mm256_set1_pd(x1[i + 1]);
        __m256d b2 = _mm256_set1_pd(x1[i + 2]), b3 = _mm256_set1_pd(x1[i + 3]);
        long j = 0;
        for (; j + 4 <= n; j += 4) {
            __m256d u = _mm256_loadu_pd(y0 + j), v = _mm256_loadu_pd(y1 + j);
            __m256d q0 = _mm256_loadu_pd(w0 + j), q1 = _mm256_loadu_pd(w1 + j);
            __m256d q2 = _mm256_loadu_pd(w2 + j), q3 = _mm256_loadu_pd(w3 + j);
            u = _mm256_fmadd_pd(a0, q0, u); v = _mm256_fmadd_pd(b0, q0, v);
            u = _mm256_fmadd_pd(a1, q1, u); v = _mm256_fmadd_pd(b1, q1, v);
            u = _mm256_fmadd_pd(a2, q2, u); v = _mm256_fmadd_pd(b2, q2, v);
            u = _mm256_fmadd_pd(a3, q3, u); v = _mm256_fmadd_pd(b3, q3, v);
            _mm256_storeu_pd(y0 + j, u);
            _mm256_storeu_pd(y1 + j, v);
        }
        for (; j < n; j++) {
            y0[j] = x0[i + 3] * w3[j] + (x0[i + 2] * w2[j] + (x0[i + 1] * w1[j] + (x0[i] * w0[j] + y0[j])));
            y1[j] = x1[i + 3] * w3[j] + (x1[i + 2] * w2[j] + (x1[i + 1] * w1[j] + (x1[i] * w0[j] + y1[j])));
        }
    }
    for (; i < m; i++) {
        const double *wi = w + i * ldw;
        for (long j = 0; j < n; j++) {
            y0[j] += x0[i] * wi[j];
            y1[j] += x1[i] * wi[j];
        }
    }
}

AVX2 static void gemv2_f32_avx2(
    long m, long n, const float *w, long ldw, const float *x0, const float *x1, float *y0, float *y1) {
    for (long j = 0; j < n; j++) { y0[j] = 0; y1[j] = 0; }
    long i = 0;
    for (; i + 4 <= m; i += 4) {
        const float *w0 = w + i * ldw, *w1 = w0 + ldw, *w2 = w1 + ldw, *w3 = w2 + ldw;
        __m256 a0 = _mm256_set1_ps(x0[i]), a1 = _mm256_set1_ps(x0[i + 1]);
        __m256 a2 = _mm256_set1_ps(x0[i + 2]), a3 = _mm256_set1_ps(x0[i + 3]);
        __m256 b0 = _mm256_set1_ps(x1[i]), b1 = _mm256_set1_ps(x1[i + 1]);
        __m256 b2 = _mm256_set1_ps(x1[i + 2]), b3 = _mm256_set1_ps(x1[i + 3]);
        long j = 0;
        for (; j + 8 <= n; j += 8) {
            __m256 u = _mm256_loadu_ps(y0 + j), v = _mm256_loadu_ps(y1 + j);
            __m256 q0 = _mm256_loadu_ps(w0 + j), q1 = _mm256_loadu_ps(w1 + j);
            __m256 q2 = _mm256_loadu_ps(w2 + j), q3 = _mm256_loadu_ps(w3 + j);
            u = _mm256_fmadd_ps(a0, q0, u); v = _mm256_fmadd_ps(b0, q0, v);
            u = _mm256_fmadd_ps(a1, q1, u); v = _mm256_fmadd_ps(b1, q1, v);
            u = _mm256_fmadd_ps(a2, q2, u); v = _mm256_fmadd_ps(b2, q2, v);
            u = _mm256_fmadd_ps(a3, q3, u); v = _mm256_fmadd_ps(b3, q3, v);
            _mm256_storeu_ps(y0 + j, u);
            _mm256_storeu_ps(y1 + j, v);
        }
        for (; j < n; j++) {
            y0[j] = x0[i + 3] * w3[j] + (x0[i + 2] * w2[j] + (x0[i + 1] * w1[j] + (x0[i] * w0[j] + y0[j])));
            y1[j] = x1[i + 3] * w3[j] + (x1[i + 2] * w2[j] + (x1[i + 1] * w1[j] + (x1[i] * w0[j] + y1[j])));
        }
    }
    for (; i < m; i++) {
        const float *wi = w + i * ldw;
        for (long j = 0; j < n; j++) {
            y0[j] += x0[i] * wi[j];
            y1[j] += x1[i] * wi[j];
        }
    }
}
#endif

int unroll_gemv2_f64(
    int path, long m, long n, const double *w, long ldw, const double *x0, const double *x1, double *y0,
    double *y1) {
    if (path < 0) path = unroll_simd_active();
    if (path == UNROLL_SIMD_BASELINE || !((unroll_simd_available() >> path) & 1) || m < 0 || n < 0 || ldw < n)
        return 0;
#if defined(__x86_64__)
    gemv2_f64_avx2(m, n, w, ldw, x0, x1, y0, y1);
    return 1;
#else
    (void)w; (void)x0; (void)x1; (void)y0; (void)y1;
    return 0;
#endif
}

int unroll_gemv2_f32(
    int path, long m, long n, const float *w, long ldw, const float *x0, const float *x1, float *y0, float *y1) {
    if (path < 0) path = unroll_simd_active();
    if (path == UNROLL_SIMD_BASELINE || !((unroll_simd_available() >> path) & 1) || m < 0 || n < 0 || ldw < n)
        return 0;
#if defined(__x86_64__)
    gemv2_f32_avx2(m, n, w, ldw, x0, x1, y0, y1);
    return 1;
#else
    (void)w; (void)x0; (void)x1; (void)y0; (void)y1;
    return 0;
#endif
}
