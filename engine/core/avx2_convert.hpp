// Conversions between 64-bit integers and floating point, four lanes at a time, for AVX2: the block
// kernel's AVX2 build (model/block_kernel.inc) needs them, and AVX2 has no instruction for them (AVX-512
// DQ does). Left to itself GCC converts such vectors lane by lane through scalar registers. Each
// function below is exact in vector registers and gives, lane for lane, the bits of the scalar
// conversion it names (tests/unit/core/avx2_convert_test.cpp holds them to that over the whole int64
// range and over doubles beyond 2^51). Hand-written because no Debian 12 library provides them (SLEEF,
// the portable math, has no integer conversions).
//
// Call only from a function compiled for AVX2 (a target attribute), after checking the CPU.
#pragma once
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#include <cstdint>
#include <type_traits>

namespace imersim::avx2 {

using d4 = double __attribute__((vector_size(32)));
using l4 = std::int64_t __attribute__((vector_size(32)));
using q4 = std::uint64_t __attribute__((vector_size(32)));
using f4 = float __attribute__((vector_size(16)));
using u4 = std::uint32_t __attribute__((vector_size(16)));

#define IMERSIM_AVX2_AI __attribute__((target("avx2"), always_inline)) inline

/// Bit l set where lane l of the mask is set (masks are 0 or -1 in every lane).
IMERSIM_AVX2_AI unsigned bits(l4 mask) { return static_cast<unsigned>(_mm256_movemask_pd(reinterpret_cast<__m256d>(mask))); }

/// Unsigned 32-bit integers to doubles (always exact): 2^52 + u has u in its low mantissa bits.
IMERSIM_AVX2_AI d4 u32_to_d(u4 x) {
  return reinterpret_cast<d4>(__builtin_convertvector(x, q4) | 0x4330000000000000) - 0x1p52;
}

/// Any int64 to the nearest double (ties to even), as a scalar static_cast<double>: x + 2^63 as an
/// unsigned number is hi * 2^32 + lo; hi * 2^32 - 2^63 and lo are exact doubles (a magic exponent for
/// each half), and their sum rounds once, to the double nearest x.
IMERSIM_AVX2_AI d4 to_d(l4 x) {
  const q4 u = reinterpret_cast<q4>(x) ^ 0x8000000000000000;
  const d4 hi = reinterpret_cast<d4>((u >> 32) | 0x4530000000000000) - 0x1.000008p84;  // 2^84 + 2^63
  const d4 lo = reinterpret_cast<d4>((u & 0xffffffff) | 0x4330000000000000) - 0x1p52;
  return hi + lo;
}

/// Truncation toward zero, as a scalar static_cast<std::int64_t>, and `truncated` = the result as
/// doubles without converting back: where every lane is below 2^51 in magnitude, round toward zero,
/// then read the integer from the mantissa of 1.5 * 2^52 + t; otherwise lane by lane, as the scalar
/// cast (out-of-range values, infinities and NaN are as undefined here as there; the model produces
/// none). `truncated` equals static_cast<double> of the result as a number, but a zero may be -0.0
/// (x in (-1, -0.0]).
IMERSIM_AVX2_AI l4 to_l(d4 x, d4& truncated) {
  const d4 magnitude = reinterpret_cast<d4>(reinterpret_cast<l4>(x) & 0x7fffffffffffffff);
  if (__builtin_expect(bits(magnitude < 0x1p51) != 0xfu, 0)) {
    const l4 t = __builtin_convertvector(x, l4);
    truncated = to_d(t);
    return t;
  }
  truncated = reinterpret_cast<d4>(_mm256_round_pd(reinterpret_cast<__m256d>(x), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC));
  return reinterpret_cast<l4>(truncated + 0x1.8p52) - 0x4338000000000000;
}
/// The same without the doubles (inlined: the unused conversion is not computed).
IMERSIM_AVX2_AI l4 to_l(d4 x) {
  d4 unused;
  return to_l(x, unused);
}

/// Stores each lane as a T (1, 2, 4 or 8 bytes) keeping its low bytes, as a scalar static_cast<T>
/// does: the low 32 bits of the lanes gathered by one permute, then the bytes by one shuffle (GCC
/// would move each lane through a scalar register).
template <typename T>
IMERSIM_AVX2_AI void store_narrow(T* p, l4 v) {
  static_assert(std::is_integral_v<T> && (sizeof(T) == 1 || sizeof(T) == 2 || sizeof(T) == 4 || sizeof(T) == 8));
  if constexpr (sizeof(T) == 8) {
    __builtin_memcpy(p, &v, sizeof v);
  } else {
    const __m128i low32 = _mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(reinterpret_cast<__m256i>(v), _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6)));
    if constexpr (sizeof(T) == 4) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p), low32);
    } else if constexpr (sizeof(T) == 2) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(p),
                       _mm_shuffle_epi8(low32, _mm_setr_epi8(0, 1, 4, 5, 8, 9, 12, 13, -1, -1, -1, -1, -1, -1, -1, -1)));
    } else {
      const int bytes = _mm_cvtsi128_si32(
          _mm_shuffle_epi8(low32, _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)));
      __builtin_memcpy(p, &bytes, 4);
    }
  }
}

/// int64 to the nearest float, as a scalar static_cast<float>: below 2^53 in magnitude the double is
/// exact, and rounding it to a float rounds the integer once; beyond that (two roundings could differ
/// from one) lane by lane.
IMERSIM_AVX2_AI f4 to_f(l4 x) {
  constexpr std::int64_t k2p53 = std::int64_t{1} << 53;
  if (__builtin_expect(bits((x > -k2p53) & (x < k2p53)) != 0xfu, 0)) return __builtin_convertvector(x, f4);
  return __builtin_convertvector(to_d(x), f4);
}

#undef IMERSIM_AVX2_AI

}  // namespace imersim::avx2
#endif
