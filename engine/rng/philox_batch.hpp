// The first block of many Philox4x32-10 streams at once. A scalar Philox block is a chain of ten
// dependent multiply rounds (latency-bound, ~23 % of a month's time when every agent computed its
// own); computing kPhiloxLanes independent streams side by side in AVX2 (or, word-major, AVX-512)
// vectors costs a fraction of that. Without AVX2 (checked at run time) Random123 computes them lane
// by lane. The words are
// bit-for-bit those of r123::Philox4x32 (a unit test compares both paths), so
// Stream::with_first_block gives exactly the draws of a plain Stream.
//
// The AVX2 rounds are written here because Random123 has no batched interface; they use Random123's
// constants, and the scalar fallback is Random123's own block function.
#pragma once
#include <Random123/philox.h>

#include <cstdint>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "core/cpu.hpp"

namespace imersim {

/// Streams computed together by philox_first_blocks.
inline constexpr int kPhiloxLanes = 16;

namespace detail {
inline constexpr std::uint32_t kPhiloxM0 = PHILOX_M4x32_0, kPhiloxM1 = PHILOX_M4x32_1;  // Random123's multipliers
inline constexpr std::uint32_t kPhiloxW0 = PHILOX_W32_0, kPhiloxW1 = PHILOX_W32_1;      // and Weyl key increments

/// Portable version: Random123's own block function, one lane at a time.
inline void philox_first_blocks_scalar(std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent,
                                       std::uint32_t month, std::uint32_t purpose,
                                       std::uint32_t (&out)[kPhiloxLanes][4]) noexcept {
  const r123::Philox4x32 philox;
  for (int l = 0; l < kPhiloxLanes; ++l) {
    const auto block = philox({{agent[l], month, purpose, 0}}, {{seed, replicate}});
    for (int k = 0; k < 4; ++k) out[l][k] = block.v[k];
  }
}

/// Portable version, word-major: out[k][l] = word k of lane l.
inline void philox_first_words_scalar(std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent,
                                      std::uint32_t month, std::uint32_t purpose,
                                      std::uint32_t (&out)[4][kPhiloxLanes]) noexcept {
  const r123::Philox4x32 philox;
  for (int l = 0; l < kPhiloxLanes; ++l) {
    const auto block = philox({{agent[l], month, purpose, 0}}, {{seed, replicate}});
    for (int k = 0; k < 4; ++k) out[k][l] = block.v[k];
  }
}

/// Rounds 1 and 2 of the counter (id, month, purpose, 0) keyed by (seed, replicate), split into what
/// the id decides and what every lane shares. With A = id * M0 and B = (hi(A) ^ replicate) * M1 (64-bit
/// products), the words after round 2 are (hi(B) ^ xor0, lo(B), lo(A) ^ xor2, word3): the vector
/// versions compute A and B for their lanes, once for all purposes (neither depends on the purpose),
/// and this the rest, once per purpose, from the month, the purpose and the key.
struct PhiloxRound2Shared {
  std::uint32_t xor0, xor2, word3;
};
inline PhiloxRound2Shared philox_round2_shared(std::uint32_t seed, std::uint32_t replicate, std::uint32_t month,
                                               std::uint32_t purpose) noexcept {
  const std::uint64_t p1 = std::uint64_t{purpose} * kPhiloxM1;  // round 1, word 2's product
  const auto r1_word0 = static_cast<std::uint32_t>(p1 >> 32) ^ month ^ seed;
  const auto r1_word1 = static_cast<std::uint32_t>(p1);
  const std::uint64_t p0 = std::uint64_t{r1_word0} * kPhiloxM0;  // round 2, word 0's product
  return {r1_word1 ^ (seed + kPhiloxW0), static_cast<std::uint32_t>(p0 >> 32) ^ (replicate + kPhiloxW1),
          static_cast<std::uint32_t>(p0)};
}

#if defined(__x86_64__) && defined(__GNUC__)
/// The high and low words of each 32-bit lane of c times the multiplier m (in every 64-bit element).
/// References, not values: a 256-bit vector passed by value in a function without AVX enabled at the
/// file's level draws GCC's ABI note.
__attribute__((target("avx2"), always_inline)) inline void philox_mulhilo_avx2(const __m256i& c, const __m256i& m, __m256i& hi,
                                                                              __m256i& lo) noexcept {
  // 32x32 -> 64-bit products of the even lanes, and of the odd lanes shifted down.
  const __m256i pe = _mm256_mul_epu32(c, m), po = _mm256_mul_epu32(_mm256_srli_epi64(c, 32), m);
  // hi: high words back in each lane's place; lo: low words.
  hi = _mm256_blend_epi32(_mm256_srli_epi64(pe, 32), po, 0xAA);
  lo = _mm256_blend_epi32(pe, _mm256_slli_epi64(po, 32), 0xAA);
}

/// Rounds first_round..9 of ten on N independent sets of eight lanes, interleaved round by round (one
/// chain alone waits on its multiplies): c[q][k] holds word k of each lane of set q (the counter, or
/// the words after round first_round - 1, in; the block out).
template <int N>
__attribute__((target("avx2"), always_inline)) inline void philox_rounds_avx2(__m256i (&c)[N][4], std::uint32_t seed,
                                                                             std::uint32_t replicate,
                                                                             int first_round = 0) noexcept {
  const __m256i m0 = _mm256_set1_epi64x(kPhiloxM0), m1 = _mm256_set1_epi64x(kPhiloxM1);
  std::uint32_t k0 = seed, k1 = replicate;
  for (int round = 0; round < first_round; ++round) {
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
  for (int round = first_round; round < 10; ++round) {
    const __m256i key0 = _mm256_set1_epi32(static_cast<int>(k0)), key1 = _mm256_set1_epi32(static_cast<int>(k1));
    for (int q = 0; q < N; ++q) {
      __m256i hi0, lo0, hi1, lo1;
      philox_mulhilo_avx2(c[q][0], m0, hi0, lo0);
      philox_mulhilo_avx2(c[q][2], m1, hi1, lo1);
      c[q][0] = _mm256_xor_si256(_mm256_xor_si256(hi1, c[q][1]), key0);
      c[q][1] = lo1;
      c[q][2] = _mm256_xor_si256(_mm256_xor_si256(hi0, c[q][3]), key1);
      c[q][3] = lo0;
    }
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
}

/// The counters (agent[half + l], month, purpose, 0) of the eight lanes from `half`, word-major.
__attribute__((target("avx2"), always_inline)) inline void philox_counters_avx2(__m256i (&c)[4], const std::uint32_t* agent,
                                                                               int half, std::uint32_t month,
                                                                               std::uint32_t purpose) noexcept {
  c[0] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(agent + half));
  c[1] = _mm256_set1_epi32(static_cast<int>(month));
  c[2] = _mm256_set1_epi32(static_cast<int>(purpose));
  c[3] = _mm256_setzero_si256();
}

/// AVX2 version (chosen at run time when the CPU has AVX2): eight lanes per vector, two vectors.
/// Integer arithmetic only, so the words are the same as the scalar version's on any machine.
__attribute__((target("avx2"))) inline void philox_first_blocks_avx2(std::uint32_t seed, std::uint32_t replicate,
                                                                    const std::uint32_t* agent, std::uint32_t month,
                                                                    std::uint32_t purpose,
                                                                    std::uint32_t (&out)[kPhiloxLanes][4]) noexcept {
  static_assert(kPhiloxLanes == 16, "two 256-bit vectors of 32-bit lanes");
  __m256i c[2][4];
  for (int h = 0; h < 2; ++h) philox_counters_avx2(c[h], agent, 8 * h, month, purpose);
  philox_rounds_avx2<2>(c, seed, replicate);
  for (int h = 0; h < 2; ++h) {
    const __m256i c0 = c[h][0], c1 = c[h][1], c2 = c[h][2], c3 = c[h][3];
    // Transpose words-by-lane into lanes-by-words: rows (c0..c3) of 8 lanes become 8 rows of 4 words.
    const __m256i t0 = _mm256_unpacklo_epi32(c0, c1), t1 = _mm256_unpackhi_epi32(c0, c1);  // lanes 0,1|4,5 and 2,3|6,7: (w0,w1)
    const __m256i t2 = _mm256_unpacklo_epi32(c2, c3), t3 = _mm256_unpackhi_epi32(c2, c3);  // the same lanes: (w2,w3)
    const __m256i l04 = _mm256_unpacklo_epi64(t0, t2), l15 = _mm256_unpackhi_epi64(t0, t2);  // lane 0|4, lane 1|5
    const __m256i l26 = _mm256_unpacklo_epi64(t1, t3), l37 = _mm256_unpackhi_epi64(t1, t3);  // lane 2|6, lane 3|7
    auto* o = reinterpret_cast<__m256i*>(out[8 * h]);  // out[8h .. 8h+7] is 32 contiguous words
    _mm256_storeu_si256(o + 0, _mm256_permute2x128_si256(l04, l15, 0x20));  // lanes 0, 1
    _mm256_storeu_si256(o + 1, _mm256_permute2x128_si256(l26, l37, 0x20));  // lanes 2, 3
    _mm256_storeu_si256(o + 2, _mm256_permute2x128_si256(l04, l15, 0x31));  // lanes 4, 5
    _mm256_storeu_si256(o + 3, _mm256_permute2x128_si256(l26, l37, 0x31));  // lanes 6, 7
  }
}

/// AVX2 version, word-major (no transpose), for P purposes at once: out[q][k][l] = word k of lane l
/// of purpose q; the 2P round chains (two vectors of eight lanes per purpose) interleaved.
template <int P>
__attribute__((target("avx2"))) inline void philox_first_words_avx2(
    std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent, std::uint32_t month,
    const std::uint32_t (&purpose)[P], std::uint32_t (*const (&out)[P])[kPhiloxLanes]) noexcept {
  static_assert(kPhiloxLanes == 16, "two 256-bit vectors of 32-bit lanes");
  // Rounds 1 and 2 from philox_round2_shared's parts: the id's products once for all P purposes.
  const __m256i m0 = _mm256_set1_epi64x(kPhiloxM0), m1 = _mm256_set1_epi64x(kPhiloxM1);
  PhiloxRound2Shared shared[P];
  for (int q = 0; q < P; ++q) shared[q] = philox_round2_shared(seed, replicate, month, purpose[q]);
  __m256i c[2 * P][4];
  for (int h = 0; h < 2; ++h) {
    const __m256i ids = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(agent + 8 * h));
    __m256i a_hi, a_lo, b_hi, b_lo;
    philox_mulhilo_avx2(ids, m0, a_hi, a_lo);
    philox_mulhilo_avx2(_mm256_xor_si256(a_hi, _mm256_set1_epi32(static_cast<int>(replicate))), m1, b_hi, b_lo);
    for (int q = 0; q < P; ++q) {
      c[2 * q + h][0] = _mm256_xor_si256(b_hi, _mm256_set1_epi32(static_cast<int>(shared[q].xor0)));
      c[2 * q + h][1] = b_lo;
      c[2 * q + h][2] = _mm256_xor_si256(a_lo, _mm256_set1_epi32(static_cast<int>(shared[q].xor2)));
      c[2 * q + h][3] = _mm256_set1_epi32(static_cast<int>(shared[q].word3));
    }
  }
  philox_rounds_avx2<2 * P>(c, seed, replicate, 2);
  for (int q = 0; q < P; ++q)
    for (int h = 0; h < 2; ++h)
      for (int k = 0; k < 4; ++k) _mm256_storeu_si256(reinterpret_cast<__m256i*>(out[q][k] + 8 * h), c[2 * q + h][k]);
}

/// AVX-512 version, word-major, for P purposes at once: the sixteen lanes in one vector per word,
/// and the P independent round chains interleaved (one chain alone waits on its multiplies). Written
/// with GCC vector types (each 64-bit element holds lanes 2j and 2j+1) and one masked intrinsic for
/// the 32x32-bit multiplies; GCC 12's plain AVX-512 multiply and shift intrinsics trip its
/// -Wuninitialized.
template <int P>
__attribute__((target("avx512f"))) inline void philox_first_words_avx512(
    std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent, std::uint32_t month,
    const std::uint32_t (&purpose)[P], std::uint32_t (*const (&out)[P])[kPhiloxLanes]) noexcept {
  static_assert(kPhiloxLanes == 16, "one 512-bit vector of 32-bit lanes");
  using u64x8 = std::uint64_t __attribute__((vector_size(64)));
  constexpr std::uint64_t kLow = 0xFFFFFFFFu;
  const auto pair = [](std::uint32_t x) { return (static_cast<std::uint64_t>(x) << 32) | x; };
  // Low 32 bits times low 32 bits, full 64-bit products: vpmuludq. (A plain 64-bit vector multiply
  // compiles to three of them; the masked intrinsic form avoids GCC 12's -Wuninitialized false alarm.)
#define IMERSIM_MUL32(a, b)                                                                               \
  reinterpret_cast<u64x8>(_mm512_mask_mul_epu32(_mm512_setzero_si512(), static_cast<__mmask8>(0xFF), \
                                                reinterpret_cast<__m512i>(a), reinterpret_cast<__m512i>(b)))
  const u64x8 m0 = u64x8{} + std::uint64_t{kPhiloxM0}, m1 = u64x8{} + std::uint64_t{kPhiloxM1};
  // The high and low words of each 32-bit lane of c times the multiplier m (a macro: a lambda would
  // not carry this function's target).
#define IMERSIM_MULHILO(c, m, hi, lo)                                       \
  do {                                                                      \
    const u64x8 pe_ = IMERSIM_MUL32(c, m), po_ = IMERSIM_MUL32((c) >> 32, m); \
    (hi) = (pe_ >> 32) | (po_ & ~kLow);                                     \
    (lo) = (pe_ & kLow) | (po_ << 32);                                      \
  } while (false)
  u64x8 ids;
  __builtin_memcpy(&ids, agent, sizeof ids);
  u64x8 c0[P], c1[P], c2[P], c3[P];
  // Rounds 1 and 2 from philox_round2_shared's parts: the id's products once for all P purposes.
  u64x8 a_hi, a_lo, b_hi, b_lo;
  IMERSIM_MULHILO(ids, m0, a_hi, a_lo);
  IMERSIM_MULHILO(a_hi ^ pair(replicate), m1, b_hi, b_lo);
  for (int q = 0; q < P; ++q) {
    const PhiloxRound2Shared shared = philox_round2_shared(seed, replicate, month, purpose[q]);
    c0[q] = b_hi ^ pair(shared.xor0);
    c1[q] = b_lo;
    c2[q] = a_lo ^ pair(shared.xor2);
    c3[q] = u64x8{} + pair(shared.word3);
  }
  std::uint32_t k0 = seed + 2 * kPhiloxW0, k1 = replicate + 2 * kPhiloxW1;
  for (int round = 2; round < 10; ++round) {  // as philox_rounds_avx2, sixteen lanes wide
    const std::uint64_t key0 = pair(k0), key1 = pair(k1);
    for (int q = 0; q < P; ++q) {
      u64x8 hi0, lo0, hi1, lo1;
      IMERSIM_MULHILO(c0[q], m0, hi0, lo0);
      IMERSIM_MULHILO(c2[q], m1, hi1, lo1);
      c0[q] = hi1 ^ c1[q] ^ key0;
      c1[q] = lo1;
      c2[q] = hi0 ^ c3[q] ^ key1;
      c3[q] = lo0;
    }
    k0 += kPhiloxW0;
    k1 += kPhiloxW1;
  }
#undef IMERSIM_MULHILO
#undef IMERSIM_MUL32
  for (int q = 0; q < P; ++q) {
    __builtin_memcpy(out[q][0], &c0[q], sizeof(u64x8));
    __builtin_memcpy(out[q][1], &c1[q], sizeof(u64x8));
    __builtin_memcpy(out[q][2], &c2[q], sizeof(u64x8));
    __builtin_memcpy(out[q][3], &c3[q], sizeof(u64x8));
  }
}

using imersim::cpu_has_avx2;
using imersim::cpu_has_avx512f;
#endif
}  // namespace detail

/// First blocks (counter word 3 = 0) of kPhiloxLanes streams keyed by (seed, replicate) with
/// counters (agent[l], month, purpose, 0): out[l][k] = word k of lane l.
inline void philox_first_blocks(std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent,
                                std::uint32_t month, std::uint32_t purpose,
                                std::uint32_t (&out)[kPhiloxLanes][4]) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (detail::cpu_has_avx2()) return detail::philox_first_blocks_avx2(seed, replicate, agent, month, purpose, out);
#endif
  detail::philox_first_blocks_scalar(seed, replicate, agent, month, purpose, out);
}

/// The same words word-major, as SIMD passes read them: out[k][l] = word k of lane l.
inline void philox_first_words(std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent,
                               std::uint32_t month, std::uint32_t purpose,
                               std::uint32_t (&out)[4][kPhiloxLanes]) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (detail::cpu_has_avx512f()) {
    const std::uint32_t purposes[1] = {purpose};
    std::uint32_t (*const outs[1])[kPhiloxLanes] = {out};
    return detail::philox_first_words_avx512<1>(seed, replicate, agent, month, purposes, outs);
  }
  if (detail::cpu_has_avx2()) {
    const std::uint32_t purposes[1] = {purpose};
    std::uint32_t (*const outs[1])[kPhiloxLanes] = {out};
    return detail::philox_first_words_avx2<1>(seed, replicate, agent, month, purposes, outs);
  }
#endif
  detail::philox_first_words_scalar(seed, replicate, agent, month, purpose, out);
}

/// philox_first_words for three purposes of the same agents and month (the month loop's Shocks,
/// Testing and Winner): with AVX-512 or AVX2 the three computations are interleaved.
inline void philox_first_words3(std::uint32_t seed, std::uint32_t replicate, const std::uint32_t* agent,
                                std::uint32_t month, const std::uint32_t (&purpose)[3],
                                std::uint32_t (&out0)[4][kPhiloxLanes], std::uint32_t (&out1)[4][kPhiloxLanes],
                                std::uint32_t (&out2)[4][kPhiloxLanes]) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  std::uint32_t (*const outs[3])[kPhiloxLanes] = {out0, out1, out2};
  if (detail::cpu_has_avx512f()) return detail::philox_first_words_avx512<3>(seed, replicate, agent, month, purpose, outs);
  if (detail::cpu_has_avx2()) return detail::philox_first_words_avx2<3>(seed, replicate, agent, month, purpose, outs);
#endif
  philox_first_words(seed, replicate, agent, month, purpose[0], out0);
  philox_first_words(seed, replicate, agent, month, purpose[1], out1);
  philox_first_words(seed, replicate, agent, month, purpose[2], out2);
}

}  // namespace imersim
