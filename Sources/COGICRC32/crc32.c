// The zip/gzip CRC-32 by carry-less multiplication (PCLMULQDQ), after Intel's white paper "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ Instruction" (2009): the buffer is folded 4 x 128 bits at a time into four
// 128-bit remainders, those into one, the one to 64 bits, and the 64 bits reduced to the CRC by Barrett reduction.
// zlib's crc32 does the rest: other CPUs and architectures, buffers under 64 bytes, and the last 0-15 bytes.
//
// Bits are reflected, as the CRC's are: byte 0 of a 16-byte load is the polynomial's highest-degree coefficients, and
// bit i of a 128-bit register is the coefficient of x^(127-i) (of a 64-bit half, x^(63-i)). The carry-less product of
// two such 64-bit halves A and B is then A*B*x read as 128 bits, so each multiplier below is x^(n-1) mod P for a
// step that multiplies by x^n. Every constant is a residue of P(x) = x^32 + x^26 + x^23 + x^22 + x^16 + x^12 + x^11
// + x^10 + x^8 + x^7 + x^5 + x^4 + x^2 + x + 1, reflected; scripts/crc32-constants.py derives them.
#include "ogilint_crc32.h"

#include <zlib.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define OGILINT_CRC32_CLMUL 1
#include <immintrin.h>
#endif

/// zlib's crc32, for any length.
static uint32_t crc32_zlib(uint32_t crc, const unsigned char *buf, size_t len) {
    return (uint32_t)crc32_z(crc, buf, (z_size_t)len);
}

#ifdef OGILINT_CRC32_CLMUL

#define CLMUL __attribute__((target("pclmul,sse4.1")))

/// Multipliers of the high (low qword: first 8 bytes) and low (high qword) halves of a 128-bit remainder that move it
/// 512 bits (x^575, x^511) or 128 bits (x^191, x^127) on; each 32-bit x^(n-32) mod P, read as x^n mod P times x^32.
#define K512_HIGH 0x8f352d95ULL  // x^543 mod P
#define K512_LOW 0x1d9513d7ULL   // x^479 mod P
#define K128_HIGH 0xae689191ULL  // x^159 mod P
#define K128_LOW 0xccaa009eULL   // x^95 mod P
/// x^95 mod P and x^63 mod P at the high end of 64 bits: the multipliers of the last folds, by x^96 and by x^64.
#define K96 0xccaa009e00000000ULL
#define K64 0xb8bc676500000000ULL
/// Barrett reduction: floor(x^64 / P) and P itself, 33 bits each, reflected.
#define MU 0x1f7011641ULL
#define POLY 0x1db710641ULL

/// `x` moved on by the distance `k`'s multipliers are for (K512_* or K128_*), to be XORed into the 128 bits there.
CLMUL static inline __m128i fold(__m128i x, __m128i k) {
    return _mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11));
}

/// The carry-less product of two 64-bit values.
CLMUL static inline __m128i clmul64(uint64_t a, uint64_t b) {
    return _mm_clmulepi64_si128(_mm_cvtsi64_si128((long long)a), _mm_cvtsi64_si128((long long)b), 0x00);
}

CLMUL static inline uint64_t low64(__m128i x) { return (uint64_t)_mm_cvtsi128_si64(x); }
CLMUL static inline uint64_t high64(__m128i x) { return (uint64_t)_mm_extract_epi64(x, 1); }

/// The CRC of `len` (64 or more) bytes at `buf`, continuing `crc`.
CLMUL static uint32_t crc32_clmul(uint32_t crc, const unsigned char *buf, size_t len) {
    const __m128i k512 = _mm_set_epi64x((long long)K512_LOW, (long long)K512_HIGH);
    const __m128i k128 = _mm_set_epi64x((long long)K128_LOW, (long long)K128_HIGH);
    // The CRC so far (inverted, as zlib's register holds it) goes into the first 32 bits.
    __m128i x0 = _mm_xor_si128(_mm_loadu_si128((const __m128i *)buf), _mm_cvtsi32_si128((int)~crc));
    __m128i x1 = _mm_loadu_si128((const __m128i *)(buf + 16));
    __m128i x2 = _mm_loadu_si128((const __m128i *)(buf + 32));
    __m128i x3 = _mm_loadu_si128((const __m128i *)(buf + 48));
    buf += 64;
    len -= 64;
    for (; len >= 64; buf += 64, len -= 64) {
        x0 = _mm_xor_si128(fold(x0, k512), _mm_loadu_si128((const __m128i *)buf));
        x1 = _mm_xor_si128(fold(x1, k512), _mm_loadu_si128((const __m128i *)(buf + 16)));
        x2 = _mm_xor_si128(fold(x2, k512), _mm_loadu_si128((const __m128i *)(buf + 32)));
        x3 = _mm_xor_si128(fold(x3, k512), _mm_loadu_si128((const __m128i *)(buf + 48)));
    }
    __m128i x = _mm_xor_si128(fold(x0, k128), x1);
    x = _mm_xor_si128(fold(x, k128), x2);
    x = _mm_xor_si128(fold(x, k128), x3);
    for (; len >= 16; buf += 16, len -= 16) x = _mm_xor_si128(fold(x, k128), _mm_loadu_si128((const __m128i *)buf));

    // The CRC of the message is X*x^32 mod P for the 128-bit X left, X = H*x^64 + L (H the first 8 bytes).
    uint64_t h = low64(x), l = high64(x);
    // X*x^32 = H*x^96 + L*x^32: H*x^96 to at most 96 bits, L*x^32 as it is (bits 32-95 of the register).
    __m128i y = clmul64(h, K96);
    uint64_t yh = low64(y) ^ (l << 32), yl = high64(y) ^ (l >> 32);
    // The first 32 of those 96 bits times x^64 to at most 64 bits: A, 64 bits, congruent to X*x^32.
    uint64_t a = high64(clmul64(yh, K64)) ^ yl;
    // Barrett: the quotient Q = floor(floor(A / x^32) * MU / x^32) lands in the high 32 bits of the first half,
    // and A mod P = A + Q*P is the low 32 coefficients: bits 64-95 of Q*P against A's last 32 bits.
    uint64_t q = low64(clmul64(a << 32, MU));
    uint32_t r = (uint32_t)high64(clmul64(q, POLY)) ^ (uint32_t)(a >> 32);
    crc = ~r;
    return len ? crc32_zlib(crc, buf, len) : crc;
}

int ogilint_crc32_uses_clmul(void) {
    // libgcc's (or compiler-rt's) record of the CPU, filled once when the program starts.
    return __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
}

#else

int ogilint_crc32_uses_clmul(void) { return 0; }

#endif

uint32_t ogilint_crc32_choosing(uint32_t crc, const unsigned char *buf, size_t len, int allow_clmul) {
#ifdef OGILINT_CRC32_CLMUL
    if (allow_clmul && len >= 64 && ogilint_crc32_uses_clmul()) return crc32_clmul(crc, buf, len);
#endif
    return crc32_zlib(crc, buf, len);
}

uint32_t ogilint_crc32(uint32_t crc, const unsigned char *buf, size_t len) { return ogilint_crc32_choosing(crc, buf, len, 1); }
