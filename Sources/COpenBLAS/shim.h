#ifndef UNROLL_COPENBLAS_SHIM_H
#define UNROLL_COPENBLAS_SHIM_H

#include <cblas.h>

/* OpenBLAS ships LAPACK in the same library; Debian's cblas.h does not
   declare the Fortran entry points, so the few Unroll uses are declared here
   with their reference-LAPACK signatures (column-major, arguments by pointer). */
void sgeqrf_(const int *m, const int *n, float *a, const int *lda, float *tau,
             float *work, const int *lwork, int *info);
void dgeqrf_(const int *m, const int *n, double *a, const int *lda, double *tau,
             double *work, const int *lwork, int *info);
void sorgqr_(const int *m, const int *n, const int *k, float *a, const int *lda,
             const float *tau, float *work, const int *lwork, int *info);
void dorgqr_(const int *m, const int *n, const int *k, double *a, const int *lda,
             const double *tau, double *work, const int *lwork, int *info);
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a,
            const int *lda, double *wr, double *wi, double *vl, const int *ldvl,
            double *vr, const int *ldvr, double *work, const int *lwork, int *info);
void dgesvd_(const char *jobu, const char *jobvt, const int *m, const int *n,
             double *a, const int *lda, double *s, double *u, const int *ldu,
             double *vt, const int *ldvt, double *work, const int *lwork, int *info);

/* Bytes malloc has handed out and not taken back (glibc mallinfo2; 0 elsewhere): the benchmark
   weighs a Trace with it. Kept here, beside OpenBLAS's own runtime queries, to need no other C module. */
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
#include <malloc.h>
static inline unsigned long unroll_malloc_in_use(void) { return (unsigned long)mallinfo2().uordblks; }
/* Keep freed memory for reuse: blocks up to 32 MiB come from the heap, not fresh mmap()s, and the heap is
   trimmed only above 256 MiB free, so the engine's per-pass buffers are not page-faulted in anew each pass. */
static inline void unroll_malloc_keep_memory(void) {
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
}
#else
static inline unsigned long unroll_malloc_in_use(void) { return 0; }
static inline void unroll_malloc_keep_memory(void) {}
#endif

/* CPU features OpenBLAS's kernels need, from cpuid (x86-64 only; 0 elsewhere).
   Bits: 1 AVX2, 2 FMA, 4 AVX-512F, 8 AVX-512BW, 16 AVX-512VL, 32 AVX-512DQ,
   64 AVX-512 BF16, 128 AVX (with OS support for the YMM state),
   256 OS support for the ZMM (AVX-512) state. */
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
static inline unsigned int unroll_cpu_features(void) {
    unsigned int a, b, c, d, out = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1, fma = (c >> 12) & 1;
    unsigned int xcr0 = 0;
    if (osxsave) { unsigned int lo, hi; __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0)); xcr0 = lo; }
    int ymm = (xcr0 & 0x6) == 0x6, zmm = (xcr0 & 0xE6) == 0xE6;
    if (avx && ymm) out |= 128;
    if (fma && ymm) out |= 2;
    if (zmm) out |= 256;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        if (((b >> 5) & 1) && ymm) out |= 1;
        if ((b >> 16) & 1) out |= 4;
        if ((b >> 30) & 1) out |= 8;
        if ((b >> 31) & 1) out |= 16;
        if ((b >> 17) & 1) out |= 32;
    }
    if (__get_cpuid_count(7, 1, &a, &b, &c, &d)) {
        if ((a >> 5) & 1) out |= 64;
    }
    return out;
}
#else
static inline unsigned int unroll_cpu_features(void) { return 0; }
#endif

#endif
