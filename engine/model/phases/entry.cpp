// Entry phase implementation: how many newcomers, where they go, what they bring.
#include "model/phases/entry.hpp"

#include <boost/random/poisson_distribution.hpp>
#include <boost/version.hpp>
#include <bit>
#include <cmath>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/avx2_convert.hpp"
#include "core/cpu.hpp"
#include "core/portable_math.hpp"
#include "rng/lognormal.hpp"
#include "rng/philox_batch.hpp"

namespace imersim::phases {

namespace {
/// Starting capital is capped at 10^15 IDR (a thousand trillion rupiah). Only the far tail of the
/// widest allowed lognormal (entry.capital_median 10^12, entry.capital_sigma 5) reaches it; without the
/// cap such a draw could exceed int64 and the month's sums would overflow.
constexpr double kMaxEntryCapital = 1e15;
}  // namespace

std::int64_t entrant_count(const MonthContext& c) {
  const Params& p = c.p;
  std::int64_t n = 0;
  if (p.entry_per_month > 0) {
    if (p.entry_poisson) {
      Stream rng = c.stream(kPopulationAgent, Purpose::EntryCount);
      boost::random::poisson_distribution<std::int64_t, double> poisson(p.entry_per_month);
      n = poisson(rng);
    } else {
      n = std::llround(p.entry_per_month);
    }
  }
  if (c.month == 0) n += p.population_initial_agents;
  return n;
}

namespace {
/// The normal of the lognormal draws when entry.capital_median > 0 (log_of_lognormal: Boost's).
bool draws_capital(const Params& p) { return p.entry_capital_median > 0; }

/// The specification of a newcomer's draws, in stream order: the normal of its capital (when it has
/// one), its skill's uniform, the supplier and whitelisting Bernoullis.
void draw_entrant(Stream& rng, const Params& p, double mu, EntrantDraws& out, int lane) {
  out.log_capital[lane] = draws_capital(p) ? log_of_lognormal(rng, mu, p.entry_capital_sigma) : 0.0;
  out.skill[lane] = skill_fixed(p.entry_skill_min + (p.entry_skill_max - p.entry_skill_min) * rng.uniform());
  std::uint8_t flags = kAlive;
  if (rng.bernoulli(p.entry_supplier_access_share)) flags |= kSupplierAccess;
  if (rng.bernoulli(p.entry_whitelisted_share)) flags |= kWhitelisted;
  out.flags[lane] = flags;
}

/// Words of the first block a newcomer uses when its normal takes the ziggurat's first try (two
/// words: generate_int_float_pair<double, 8> from a 32-bit engine), or 0 without capital.
[[maybe_unused]] int fast_words(const Params& p) {
  return (draws_capital(p) ? 2 : 0) + 1 + (Stream::bernoulli_draws(p.entry_supplier_access_share) ? 1 : 0) +
         (Stream::bernoulli_draws(p.entry_whitelisted_share) ? 1 : 0);
}

// The vector passes repeat the arithmetic of Boost 1.74's normal_distribution (Debian 12's); with
// another version they are not compiled, and every newcomer is drawn the specification's way.
#if defined(__x86_64__) && defined(__GNUC__) && BOOST_VERSION == 107400
#define IMERSIM_ENTRY_VECTOR 1
#else
#define IMERSIM_ENTRY_VECTOR 0
#endif

#if IMERSIM_ENTRY_VECTOR
#define IMERSIM_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline
/// Four words as doubles (exact: core/avx2_convert.hpp).
IMERSIM_AVX2_INLINE __m256d words_as_doubles(const __m128i& x) {
  return reinterpret_cast<__m256d>(avx2::u32_to_d(reinterpret_cast<avx2::u4>(x)));
}
/// Stream::bernoulli(prob) of four words, given that it draws (Stream::bernoulli_draws): bit l for lane l.
IMERSIM_AVX2_INLINE int bernoulli_bits(const __m128i& x, double prob) {
  return _mm256_movemask_pd(_mm256_cmp_pd(words_as_doubles(x), _mm256_set1_pd(prob * 0x1p32), _CMP_LT_OQ));
}

/// The draws of a batch's 16 newcomers in four AVX2 passes of 4 lanes, with the same arithmetic as
/// draw_entrant (doubles, no FMA: the same bits), for newcomers whose normal is accepted at the
/// ziggurat's first try (some 97 % of them). Boost's unit normal (boost/random/normal_distribution.hpp,
/// 1.74) from words w0, w1: bucket = w0 & 255, r = ((w0 >> 8) * 2^-24 + (w1 & (2^29 - 1))) * 2^-29
/// (exact), i = bucket >> 1, x = r * table_x[i], accepted when x < table_x[i + 1], then x times the
/// sign of bucket's lowest bit (1: +, 0: -). Returns the lanes that were not accepted (bit l for lane
/// l): their draws are draw_entrant's to make. Requires fast_words(p) <= 4.
__attribute__((target("avx2"))) unsigned draw_batch_avx2(const std::uint32_t (&w)[4][kPhiloxLanes], const Params& p,
                                                          double mu, EntrantDraws& out) {
  const double* const table_x = boost::random::detail::normal_table<double>::table_x;
  const bool capital = draws_capital(p);
  unsigned rejected = 0;
  for (int q = 0; q < kPhiloxLanes; q += 4) {
    __m128i word[4];
    for (int k = 0; k < 4; ++k) word[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&w[k][q]));
    int next = 0;
    if (capital) {
      const __m128i bucket = _mm_and_si128(word[0], _mm_set1_epi32(0xFF));
      const __m256d high = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm_srli_epi32(word[0], 8)), _mm256_set1_pd(0x1p-24));
      const __m256d low = _mm256_cvtepi32_pd(_mm_and_si128(word[1], _mm_set1_epi32(0x1FFFFFFF)));
      const __m256d r = _mm256_mul_pd(_mm256_add_pd(high, low), _mm256_set1_pd(0x1p-29));
      const __m128i i = _mm_srli_epi32(bucket, 1);
      // The masked gathers: GCC 12 warns that the plain ones read an uninitialised vector.
      const __m256d all = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
      const __m256d x = _mm256_mul_pd(r, _mm256_mask_i32gather_pd(_mm256_setzero_pd(), table_x, i, all, 8));
      const __m256d bound = _mm256_mask_i32gather_pd(_mm256_setzero_pd(), table_x + 1, i, all, 8);
      rejected |= static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(x, bound, _CMP_NLT_UQ))) << q;
      const __m256d sign = _mm256_cvtepi32_pd(_mm_sub_epi32(_mm_slli_epi32(_mm_and_si128(bucket, _mm_set1_epi32(1)), 1), _mm_set1_epi32(1)));
      const __m256d normal = _mm256_mul_pd(x, sign);
      _mm256_storeu_pd(&out.log_capital[q],
                       _mm256_add_pd(_mm256_mul_pd(normal, _mm256_set1_pd(p.entry_capital_sigma)), _mm256_set1_pd(mu)));
      next = 2;
    } else {
      _mm256_storeu_pd(&out.log_capital[q], _mm256_setzero_pd());
    }
    const __m256d u = _mm256_mul_pd(_mm256_add_pd(words_as_doubles(word[next++]), _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1p-32));
    const __m256d s = _mm256_add_pd(_mm256_set1_pd(p.entry_skill_min),
                                    _mm256_mul_pd(_mm256_set1_pd(p.entry_skill_max - p.entry_skill_min), u));
    // skill_fixed: 0 at or below 0, 65535 at or above 1, else s * 65535 + 0.5 truncated.
    __m256d fixed = _mm256_add_pd(_mm256_mul_pd(s, _mm256_set1_pd(65535.0)), _mm256_set1_pd(0.5));
    fixed = _mm256_blendv_pd(fixed, _mm256_set1_pd(65535.0), _mm256_cmp_pd(s, _mm256_set1_pd(1.0), _CMP_GE_OQ));
    fixed = _mm256_blendv_pd(fixed, _mm256_setzero_pd(), _mm256_cmp_pd(s, _mm256_setzero_pd(), _CMP_LE_OQ));
    alignas(16) std::int32_t skill[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(skill), _mm256_cvttpd_epi32(fixed));
    int supplier = p.entry_supplier_access_share >= 1.0 ? 0xF : 0, whitelisted = p.entry_whitelisted_share >= 1.0 ? 0xF : 0;
    if (Stream::bernoulli_draws(p.entry_supplier_access_share)) supplier = bernoulli_bits(word[next++], p.entry_supplier_access_share);
    if (Stream::bernoulli_draws(p.entry_whitelisted_share)) whitelisted = bernoulli_bits(word[next++], p.entry_whitelisted_share);
    for (int l = 0; l < 4; ++l) {
      out.skill[q + l] = static_cast<std::uint16_t>(skill[l]);
      out.flags[q + l] = static_cast<std::uint8_t>(kAlive | (((supplier >> l) & 1) != 0 ? kSupplierAccess : 0) |
                                                   (((whitelisted >> l) & 1) != 0 ? kWhitelisted : 0));
    }
  }
  return rejected;
}
#undef IMERSIM_AVX2_INLINE
#endif

/// entrant_draws, given mu = log(entry.capital_median) (0 without capital).
int draw_batch(const MonthContext& c, std::uint32_t first_id, double mu, EntrantDraws& out, bool vector) {
  const Params& p = c.p;
  std::uint32_t ids[kPhiloxLanes];
  for (std::size_t l = 0; l < kPhiloxLanes; ++l) ids[l] = static_cast<std::uint32_t>(first_id + l);
  std::uint32_t w[4][kPhiloxLanes];  // word-major: [k][l] = word k of newcomer l's first EntryTraits block
  philox_first_words(c.seed, c.replicate, ids, c.month, static_cast<std::uint32_t>(Purpose::EntryTraits), w);
  unsigned scalar = (1u << kPhiloxLanes) - 1;  // the lanes draw_entrant draws
#if IMERSIM_ENTRY_VECTOR
  if (vector && cpu_has_avx2() && fast_words(p) <= 4) scalar = draw_batch_avx2(w, p, mu, out);
#else
  (void)vector;
#endif
  for (unsigned b = scalar; b != 0; b &= b - 1) {
    const int l = std::countr_zero(b);
    const std::uint32_t first[4] = {w[0][l], w[1][l], w[2][l], w[3][l]};
    Stream rng = c.stream(ids[l], Purpose::EntryTraits, first);
    draw_entrant(rng, p, mu, out, l);
  }
  return std::popcount(scalar);
}

double log_median_capital(const Params& p) { return draws_capital(p) ? pmath::log(p.entry_capital_median) : 0.0; }
}  // namespace

bool entrant_draws_have_vector_passes() {
#if IMERSIM_ENTRY_VECTOR
  return cpu_has_avx2();
#else
  return false;
#endif
}

int entrant_draws(const MonthContext& c, std::uint32_t first_id, EntrantDraws& out, bool vector) {
  return draw_batch(c, first_id, log_median_capital(c.p), out, vector);
}

std::vector<std::size_t> enter(const MonthContext& c, Population& pop, std::int64_t count, std::uint32_t& next_id,
                               std::vector<std::size_t>& free_slots, bool vector) {
  const Params& p = c.p;
  std::vector<std::size_t> used;
  used.reserve(static_cast<std::size_t>(count));
  std::size_t reuse = std::min<std::size_t>(free_slots.size(), static_cast<std::size_t>(count));
  used.assign(free_slots.begin(), free_slots.begin() + static_cast<std::ptrdiff_t>(reuse));
  free_slots.erase(free_slots.begin(), free_slots.begin() + static_cast<std::ptrdiff_t>(reuse));
  std::size_t old = pop.slots();
  std::size_t extra = static_cast<std::size_t>(count) - reuse;
  pop.resize(old + extra);
  for (std::size_t k = 0; k < extra; ++k) used.push_back(old + k);

  const std::uint32_t first_id = next_id;
  next_id += static_cast<std::uint32_t>(used.size());
  // Newcomer k has id first_id + k and draws only from its own stream, so filling the slots in
  // parallel gives the same population at any thread count. The draws of kPhiloxLanes newcomers at a
  // time come from entrant_draws (the first EntryTraits blocks and most draws in vector passes), the
  // capitals' exp from one pmath::exp_n (vector code, the scalar bits).
  const bool has_capital = draws_capital(p);
  const double mu = log_median_capital(p);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, used.size(), 1024), [&](const auto& range) {
    EntrantDraws draws;
    double capital[kPhiloxLanes];
    for (std::size_t k0 = range.begin(); k0 < range.end(); k0 += kPhiloxLanes) {
      const std::size_t n = std::min<std::size_t>(kPhiloxLanes, range.end() - k0);
      (void)draw_batch(c, static_cast<std::uint32_t>(first_id + k0), mu, draws, vector);
      if (has_capital) pmath::exp_n(draws.log_capital, capital, n);
      for (std::size_t l = 0; l < n; ++l) {
        const std::size_t k = k0 + l;
        // Reused slots are scattered: ask for the lines the newcomer 16 places ahead writes now, so
        // that filling its slot does not wait on memory.
        if (k + 16 < range.end()) {
          const std::size_t ahead = used[k + 16];
          __builtin_prefetch(&pop.flags[ahead], 1, 3);
          __builtin_prefetch(&pop.id[ahead], 1, 3);
          __builtin_prefetch(&pop.capital[ahead], 1, 3);
          __builtin_prefetch(&pop.skill[ahead], 1, 3);
          __builtin_prefetch(&pop.entry_month[ahead], 1, 3);
        }
        const std::size_t slot = used[k];
        // A reused slot keeps nothing of the agent that left it. Without policy levers the month loop
        // cleared it when its agent left (kCleared); any other dead slot is cleared here.
        if ((pop.flags[slot] & kCleared) == 0) pop.clear_slot(slot);
        pop.id[slot] = static_cast<std::uint32_t>(first_id + k);
        pop.skill[slot] = draws.skill[l];
        pop.flags[slot] = draws.flags[l];
        pop.entry_month[slot] = static_cast<std::uint16_t>(c.month);
        pop.capital[slot] = has_capital ? to_idr(std::min(capital[l], kMaxEntryCapital)) : 0;
      }
    }
  });
  return used;
}

}  // namespace imersim::phases
