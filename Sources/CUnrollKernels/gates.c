/* The gate functions on AVX2 and AVX-512 lanes (see include/CUnrollKernels.h). Each formula is a line-by-line
   copy of its Swift lane version in UnrollEngine/GateMath.swift: keep the two in step. */
#include "CUnrollKernels.h"
#include <stdlib.h>
#include <string.h>

/* A separate multiply and add stay two roundings, as in Swift: every path computes the same bits. */
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#if defined(__x86_64__)

/* lanes ? a : b, bit by bit (m is a comparison's result: all ones or all zeros per lane). */
#define SELECT(VU, m, a, b) ((__typeof__(a))((((VU)(m)) & (VU)(a)) | (~((VU)(m)) & (VU)(b))))

/* e^x, sigmoid and tanh in Double on the vector type VF (unsigned lanes VU): gateExp(_: Lanes) and fastTanh(_: Lanes). */
#define DOUBLE_FUNCTIONS(SUFFIX, ATTR, VF, VU)                                                                       \
    ATTR static inline VF exp_##SUFFIX(VF x) {                                                                       \
        VF zero = (VF){0}, hi = zero + 709.0, lo = zero - 708.0;                                                     \
        VF xc = SELECT(VU, x > 709.0, hi, x);                                                                        \
        xc = SELECT(VU, x < -708.0, lo, xc);                                                                         \
        VF kd = xc * 1.4426950408889634 + 6755399441055744.0;                                                        \
        VF n = kd - 6755399441055744.0;                                                                              \
        VF r = (xc - n * 6.93145751953125e-1) - n * 1.42860682030941723212e-6;                                       \
        VF rr = r * r;                                                                                               \
        VF px = r * ((1.26177193074810590878e-4 * rr + 3.02994407707441961300e-2) * rr + 9.99999999999999999910e-1); \
        VF qx = ((3.00198505138664455042e-6 * rr + 2.52448340349684104192e-3) * rr + 2.27265548208155028766e-1) * rr \
            + 2.00000000000000000009e0;                                                                              \
        VF er = 1.0 + 2.0 * (px / (qx - px));                                                                        \
        VF scale = (VF)((((VU)kd) + 1023) << 52);                                                                    \
        VF y = er * scale;                                                                                           \
        y = SELECT(VU, x < -708.0, zero, y);                                                                         \
        VF inf = (VF)((VU){0} + 0x7FF0000000000000ULL);                                                              \
        return SELECT(VU, x > 709.0, inf, y);                                                                        \
    }                                                                                                                \
    ATTR static inline VF sigmoid_##SUFFIX(VF x) { return 1.0 / (1.0 + exp_##SUFFIX(-x)); }                          \
    ATTR static inline VF tanh_##SUFFIX(VF d) {                                                                      \
        VU bits = (VU)d, sign = bits & 0x8000000000000000ULL;                                                        \
        VF a = (VF)(bits & 0x7FFFFFFFFFFFFFFFULL);                                                                   \
        VF z = a * a;                                                                                                \
        VF p = ((-9.64399179425052238628e-1 * z - 9.92877231001918586564e1) * z - 1.61468768441708447952e3);         \
        VF q = ((z + 1.12811678491632931402e2) * z + 2.23548839060100448583e3) * z + 4.84406305325125486048e3;       \
        VF small = a + a * z * (p / q);                                                                              \
        VF e = exp_##SUFFIX(-2.0 * a);                                                                               \
        VF large = (1.0 - e) / (1.0 + e);                                                                            \
        VF m = SELECT(VU, a < 0.55, small, large);                                                                   \
        return (VF)((VU)m | sign);                                                                                   \
    }

/* e^x, sigmoid and tanh in Float: gateExp(_: FloatLanes) and fastTanh(_: FloatLanes). */
#define FLOAT_FUNCTIONS(SUFFIX, ATTR, VF, VU)                                                                        \
    ATTR static inline VF exp_##SUFFIX(VF x) {                                                                       \
        VF zero = (VF){0}, hi = zero + 88.0f, lo = zero - 87.0f;                                                     \
        VF xc = SELECT(VU, x > 88.0f, hi, x);                                                                        \
        xc = SELECT(VU, x < -87.0f, lo, xc);                                                                         \
        VF kd = xc * 1.44269504088896341f + 12582912.0f;                                                             \
        VF n = kd - 12582912.0f;                                                                                     \
        VF r = (xc - n * 0.693359375f) - n * -2.12194440e-4f;                                                        \
        VF poly = r * 1.9875691500e-4f + 1.3981999507e-3f;                                                           \
        poly = poly * r + 8.3334519073e-3f;                                                                          \
        poly = poly * r + 4.1665795894e-2f;                                                                          \
        poly = poly * r + 1.6666665459e-1f;                                                                          \
        poly = poly * r + 5.0000001201e-1f;                                                                          \
        VF rr = r * r;                                                                                               \
        VF er = poly * rr + r + 1.0f;                                                                                \
        VF scale = (VF)((((VU)kd) + 127u) << 23);                                                                    \
        VF y = er * scale;                                                                                           \
        y = SELECT(VU, x < -87.0f, zero, y);                                                                         \
        VF inf = (VF)((VU){0} + 0x7F800000u);                                                                        \
        return SELECT(VU, x > 88.0f, inf, y);                                                                        \
    }                                                                                                                \
    ATTR static inline VF sigmoid_##SUFFIX(VF x) { return 1.0f / (1.0f + exp_##SUFFIX(-x)); }                        \
    ATTR static inline VF tanh_##SUFFIX(VF d) {                                                                      \
        VU bits = (VU)d, sign = bits & 0x80000000u;                                                                  \
        VF a = (VF)(bits & 0x7FFFFFFFu);                                                                             \
        VF z = a * a;                                                                                                \
        VF poly = z * -5.70498872745e-3f + 2.06390887954e-2f;                                                        \
        poly = poly * z - 5.37397155531e-2f;                                                                         \
        poly = poly * z + 1.33314422036e-1f;                                                                         \
        poly = poly * z - 3.33332819422e-1f;                                                                         \
        VF small = poly * z * a + a;                                                                                 \
        VF e = exp_##SUFFIX(-2.0f * a);                                                                              \
        VF large = (1.0f - e) / (1.0f + e);                                                                          \
        VF m = SELECT(VU, a < 0.55f, small, large);                                                                  \
        return (VF)((VU)m | sign);                                                                                   \
    }

/* out[k] = f(x[k]) over whole vectors, the last partial one padded with zeros (every lane is computed alike). */
#define APPLY(NAME, SUFFIX, ATTR, T, VF)                                                                             \
    ATTR static void NAME(int function, const T *x, T *out, long count) {                                            \
        const long width = (long)(sizeof(VF) / sizeof(T));                                                           \
        long k = 0;                                                                                                  \
        for (; k + width <= count; k += width) {                                                                     \
            VF v;                                                                                                    \
            memcpy(&v, x + k, sizeof v);                                                                             \
            VF y = function == UNROLL_GATE_TANH ? tanh_##SUFFIX(v) : sigmoid_##SUFFIX(v);                            \
            memcpy(out + k, &y, sizeof y);                                                                           \
        }                                                                                                            \
        if (k < count) {                                                                                             \
            VF v = {0};                                                                                              \
            memcpy(&v, x + k, (size_t)(count - k) * sizeof(T));                                                      \
            VF y = function == UNROLL_GATE_TANH ? tanh_##SUFFIX(v) : sigmoid_##SUFFIX(v);                            \
            memcpy(out + k, &y, (size_t)(count - k) * sizeof(T));                                                    \
        }                                                                                                            \
    }

typedef double f64x4 __attribute__((vector_size(32)));
typedef unsigned long long u64x4 __attribute__((vector_size(32)));
typedef float f32x8 __attribute__((vector_size(32)));
typedef unsigned int u32x8 __attribute__((vector_size(32)));
typedef double f64x8 __attribute__((vector_size(64)));
typedef unsigned long long u64x8 __attribute__((vector_size(64)));
typedef float f32x16 __attribute__((vector_size(64)));
typedef unsigned int u32x16 __attribute__((vector_size(64)));

#define AVX2 __attribute__((target("avx2,fma")))
#define AVX512 __attribute__((target("avx512f,avx2,fma")))

DOUBLE_FUNCTIONS(d4, AVX2, f64x4, u64x4)
FLOAT_FUNCTIONS(f8, AVX2, f32x8, u32x8)
DOUBLE_FUNCTIONS(d8, AVX512, f64x8, u64x8)
FLOAT_FUNCTIONS(f16, AVX512, f32x16, u32x16)
APPLY(gate_f64_avx2, d4, AVX2, double, f64x4)
APPLY(gate_f32_avx2, f8, AVX2, float, f32x8)
APPLY(gate_f64_avx512, d8, AVX512, double, f64x8)
APPLY(gate_f32_avx512, f16, AVX512, float, f32x16)

static unsigned int detect(void) {
    unsigned int paths = 1u << UNROLL_SIMD_BASELINE;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        paths |= 1u << UNROLL_SIMD_AVX2;
        if (__builtin_cpu_supports("avx512f")) paths |= 1u << UNROLL_SIMD_AVX512;
    }
    return paths;
}

#else

static unsigned int detect(void) { return 1u << UNROLL_SIMD_BASELINE; }

#endif

static unsigned int available = 1u << UNROLL_SIMD_BASELINE;
static int active = UNROLL_SIMD_BASELINE;
static int requestStatus = 0;

/* Once, when the library loads: before main and before any thread of the process. */
__attribute__((constructor)) static void choose(void) {
    available = detect();
    /* AVX-512 only when asked for: it has not yet run on a machine that has it (docs/DECISIONS.md). */
    int best = (available >> UNROLL_SIMD_AVX2) & 1 ? UNROLL_SIMD_AVX2 : UNROLL_SIMD_BASELINE;
    active = best;
    const char *asked = getenv("UNROLL_SIMD");
    if (asked == NULL || asked[0] == 0) return;
    int want = strcmp(asked, "baseline") == 0 ? UNROLL_SIMD_BASELINE
        : strcmp(asked, "avx2") == 0          ? UNROLL_SIMD_AVX2
        : strcmp(asked, "avx512") == 0        ? UNROLL_SIMD_AVX512
                                              : -1;
    if (want < 0) {
        requestStatus = 3;
    } else if ((available >> want) & 1) {
        requestStatus = 1;
        active = want;
    } else {
        requestStatus = 2;
    }
}

unsigned int unroll_simd_available(void) { return available; }
int unroll_simd_active(void) { return active; }
int unroll_simd_request_status(void) { return requestStatus; }

int unroll_simd_runs(int path) {
    if (path < 0) path = active;
    int vector = path > UNROLL_SIMD_BASELINE && path <= UNROLL_SIMD_AVX512 && ((available >> path) & 1);
    return vector ? path : UNROLL_SIMD_BASELINE;
}

/* The exported gate entry NAME for element type T: the AVX2 or AVX-512 kernel as `unroll_simd_runs` picks. */
#if defined(__x86_64__)
#define GATE_ENTRY(NAME, T, AVX2_KERNEL, AVX512_KERNEL)                                                              \
    int NAME(int path, int function, const T *x, T *out, long count) {                                               \
        switch (unroll_simd_runs(path)) {                                                                            \
        case UNROLL_SIMD_AVX2: AVX2_KERNEL(function, x, out, count); return 1;                                       \
        case UNROLL_SIMD_AVX512: AVX512_KERNEL(function, x, out, count); return 1;                                   \
        default: return 0;                                                                                           \
        }                                                                                                            \
    }
#else
#define GATE_ENTRY(NAME, T, AVX2_KERNEL, AVX512_KERNEL)                                                              \
    int NAME(int path, int function, const T *x, T *out, long count) {                                               \
        (void)path; (void)function; (void)x; (void)out; (void)count;                                                 \
        return 0;                                                                                                    \
    }
#endif

GATE_ENTRY(unroll_gate_f32, float, gate_f32_avx2, gate_f32_avx512)
GATE_ENTRY(unroll_gate_f64, double, gate_f64_avx2, gate_f64_avx512)
