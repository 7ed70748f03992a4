// The block kernel: step.hpp's phases as passes over kBlockLanes agents in GCC vector types, compiled
// for AVX-512 (F, DQ, VL, BW) under target attributes and used when the CPU has it (checked at run
// time); on other CPUs every agent takes step_agent.
//
// Why hand-written: the per-agent code spends its time on branches that depend on random draws and
// on the agent's state; no library vectorises a model. Why bit-identical: every operation below is
// an IEEE-754 add, multiply, divide, compare or conversion, which give the same bits in a vector
// lane as in scalar code (the file is compiled with -ffp-contract=off, so no fused multiply-add),
// done in the same order as step_agent's. Where step_agent draws a variable number of words (a
// Bernoulli draw with a probability in (0, 1) uses a word, one of 0 or 1 does not), each lane
// counts the words it has used and picks the next from the block by that count.
#include "model/block_step.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <string>
#include <type_traits>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "core/error.hpp"
#include "core/portable_math.hpp"
#include "model/month_stats.hpp"
#include "model/step.hpp"

// The vector types live only inside this file's always-inline helpers and are never passed across an
// external call, so GCC's note that a 64-byte vector argument's ABI differs without AVX-512 is moot.
#pragma GCC diagnostic ignored "-Wpsabi"

#if defined(__x86_64__) && defined(__GNUC__)
#define IMERSIM_BLOCK_KERNEL 1
#else
#define IMERSIM_BLOCK_KERNEL 0
#endif

namespace imersim {

namespace {

constexpr int W = kBlockLanes;

#if IMERSIM_BLOCK_KERNEL
using vd = double __attribute__((vector_size(W * sizeof(double))));
using vl = std::int64_t __attribute__((vector_size(W * sizeof(std::int64_t))));
using vf = float __attribute__((vector_size(W * sizeof(float))));

// Every helper carries the kernel's target: GCC lowers a function's vector operations for the target
// of that function before inlining it, so a default-target helper would be lowered to scalar code.
#define IMERSIM_AVX512_TARGET "avx512f,avx512dq,avx512vl,avx512bw,avx2,bmi,bmi2,popcnt,lzcnt"
#define IMERSIM_AI __attribute__((target(IMERSIM_AVX512_TARGET), always_inline)) inline

template <typename T>
IMERSIM_AI vl load_l(const T* p) {
  vl r;
  for (int l = 0; l < W; ++l) r[l] = static_cast<std::int64_t>(p[l]);
  return r;
}
IMERSIM_AI vd load_fd(const float* p) {
  vf f;
  __builtin_memcpy(&f, p, sizeof f);
  return __builtin_convertvector(f, vd);
}
template <typename T>
IMERSIM_AI void store_l(T* p, vl v) {
  for (int l = 0; l < W; ++l) p[l] = static_cast<T>(v[l]);
}
IMERSIM_AI void store_fd(float* p, vd v) {  // values that came from floats: exact
  const vf f = __builtin_convertvector(v, vf);
  __builtin_memcpy(p, &f, sizeof f);
}
IMERSIM_AI vd to_d(vl x) { return __builtin_convertvector(x, vd); }
IMERSIM_AI vl to_l(vd x) { return __builtin_convertvector(x, vl); }  // truncates toward zero, as a cast
/// Bit l set where lane l of the mask is set (masks are 0 or -1 in every lane).
IMERSIM_AI unsigned bits(vl mask) { return _mm512_movepi64_mask(reinterpret_cast<__m512i>(mask)); }
/// to_idr lane by lane: truncate, then round halves away from zero.
IMERSIM_AI vl to_idr_v(vd x) {
  const vl t = to_l(x);
  const vd frac = x - to_d(t);
  return t - (frac >= 0.5) + (frac <= -0.5);  // masks are -1 where true
}
/// -1 where a Bernoulli draw with probability p uses a word (Stream::bernoulli: p in (0, 1), or NaN).
IMERSIM_AI vl draws_word(vd p) { return ~((p <= 0.0) | (p >= 1.0)); }
/// Word `index` (0..3) of each lane's block.
IMERSIM_AI vd word_at(vl index, const vd (&w)[4]) {
  return index == 0 ? w[0] : (index == 1 ? w[1] : (index == 2 ? w[2] : w[3]));
}
using vu = std::uint32_t __attribute__((vector_size(W * sizeof(std::uint32_t))));
/// Word k of the kernel's lanes as doubles (exact).
IMERSIM_AI vd words(const BatchWords& batch, int lane0, int k) {
  vu u;
  __builtin_memcpy(&u, &batch[k][lane0], sizeof u);
  return __builtin_convertvector(u, vd);
}
/// A table of up to W entries looked up by a lane index (a permute, no memory gather).
IMERSIM_AI vd table_lookup(const vd& table, vl index) { return __builtin_shuffle(table, index); }
IMERSIM_AI vl table_lookup(const vl& table, vl index) { return __builtin_shuffle(table, index); }
/// A per-stage table (N <= W entries) in a vector: one masked load.
template <std::size_t N>
IMERSIM_AI vd table_of(const std::array<double, N>& a) {
  static_assert(N <= W);
  return reinterpret_cast<vd>(_mm512_maskz_loadu_pd(static_cast<__mmask8>((1u << N) - 1), a.data()));
}
template <std::size_t N>
IMERSIM_AI vl table_of(const std::array<std::int64_t, N>& a) {
  static_assert(N <= W);
  return reinterpret_cast<vl>(_mm512_maskz_loadu_epi64(static_cast<__mmask8>((1u << N) - 1), a.data()));
}
/// acc[l] += v[l] for every lane.
IMERSIM_AI void add_lanes(std::int64_t (&acc)[W], vl v) {
  vl a;
  __builtin_memcpy(&a, acc, sizeof a);
  a += v;
  __builtin_memcpy(acc, &a, sizeof a);
}

using vi = std::int32_t __attribute__((vector_size(W * sizeof(std::int32_t))));
/// LogHistogram::bin of each lane, without a branch per value.
IMERSIM_AI vi histogram_bins(vf v) {
  const vi raw = reinterpret_cast<vi>(reinterpret_cast<vu>(v) >> 19) - 127 * LogHistogram::kBinsPerOctave;
  const vi capped = raw < LogHistogram::kBins ? raw : LogHistogram::kBins - 1;
  return v > 1.0f ? capped : 0;  // !(v > 1), NaN included: bin 0
}
/// The lowest clear bit of each lane, as a power of two (a mask of free product slots -> the first one).
IMERSIM_AI vl lowest_clear_bit(vl x) { return ~x & (x + 1); }
/// The portable exp and pow_fast (core/portable_math.hpp), 8 lanes at once: the scalar functions' bits.
IMERSIM_AI vd exp_v(vd x) { return reinterpret_cast<vd>(Sleef_cinz_expd8_u10avx512fnofma(reinterpret_cast<__m512d>(x))); }
/// pmath::pow_fast: exp2(y * log2(x)).
IMERSIM_AI vd pow_fast_v(vd x, vd y) {
  const vd log2x = reinterpret_cast<vd>(Sleef_cinz_log2d8_u35avx512fnofma(reinterpret_cast<__m512d>(x)));
  return reinterpret_cast<vd>(Sleef_cinz_exp2d8_u35avx512fnofma(reinterpret_cast<__m512d>(y * log2x)));
}

/// A new winning product of every lane: its life in months and its peak demand as stored (a float).
struct NewWinner {
  vl life;
  vd demand;
};
/// The winner that reads words `first`, first + 1 of each lane's Winner block, as testing() does:
/// a uniform for the lifetime, then one for the Pareto demand.
IMERSIM_AI NewWinner new_winner(const MonthContext& c, const BatchWords& winner_w, int lane0, int first) {
  const Params& p = c.p;
  const Derived& d = c.d;
  const vd u_life = (words(winner_w, lane0, first) + 0.5) * 0x1p-32;    // Stream::uniform
  const vd u_demand = (words(winner_w, lane0, first + 1) + 0.5) * 0x1p-32;
  NewWinner w;
  const vl one = u_life < d.life_cdf1, two = u_life < d.life_cdf2;  // -1 where true
  w.life = 3 + one + two;  // 1, 2 or 3
  vd minus_inv_alpha = {};
  minus_inv_alpha += -d.inv_alpha;
  const vd demand = p.winners_potential_scale * pow_fast_v(u_demand, minus_inv_alpha);
  const vd capped = p.winners_potential_cap < demand ? p.winners_potential_cap : demand;  // std::min
  w.demand = __builtin_convertvector(__builtin_convertvector(capped, vf), vd);
  return w;
}

/// The kernel's month of the agents in slots i0 .. i0 + W - 1, lanes lane0 .. lane0 + W - 1 of the
/// batch whose first Shocks, Testing and Winner blocks are given.
IMERSIM_AI void block_avx512(const MonthContext& c, Population& pop, std::size_t i0, const BatchWords& shocks_w,
                             const BatchWords& testing_w, const BatchWords& winner_w, int lane0, MonthStats& st,
                             KernelSums& sums) {
  const Params& p = c.p;
  const Derived& d = c.d;
  constexpr double k2p32 = 0x1p32;

  // The agent's fields are some two dozen arrays read in step: more streams than the hardware
  // prefetcher follows. Ask for the lines 128 agents ahead (past the end is harmless: a prefetch
  // never faults).
  pop.for_each_array([i0](auto& v) { __builtin_prefetch(v.data() + i0 + 128, 1, 3); });
  // ---- Which lanes the kernel takes: alive, no brand, below Pioneer, products of 1-3 months' life
  // only, and shock draws that fit in the first Shocks block (below).
  const vl flags = load_l(&pop.flags[i0]);
  const vl stage = load_l(&pop.stage[i0]);
  vd dem[kSlots];
  vl occ[kSlots];
  vl life[kSlots], age[kSlots];
  for (int k = 0; k < kSlots; ++k) {
    dem[k] = load_fd(&pop.demand[k][i0]);
    occ[k] = dem[k] > 0.0;
    life[k] = load_l(&pop.life[k][i0]);
    age[k] = load_l(&pop.age[k][i0]);
  }
  const vl alive = (flags & std::int64_t{kAlive}) != 0;
  // The Shocks block's four words must cover the month's draws: leaving, a blocked account, and a
  // supplier failure per occupied slot, each drawing a word unless its probability is 0 or 1.
  const vd p_leave = table_lookup(table_of(p.exit_other_prob), stage);
  const vl whitelisted = (flags & std::int64_t{kWhitelisted}) != 0;
  const vd p_block = p.shocks_ad_block_prob * (whitelisted ? d.whitelist_factor[1] : d.whitelist_factor[0]);
  const vl supplier = (flags & std::int64_t{kSupplierAccess}) != 0;
  const vd p_fail = p.shocks_supplier_fail_prob * (supplier ? d.supplier_fail_factor[1] : d.supplier_fail_factor[0]);
  const vl fail_draws = draws_word(p_fail);
  const vl occupied = -occ[0] - occ[1] - occ[2] - occ[3];  // masks are -1 where true
  const vl shock_words = (fail_draws & occupied) - draws_word(p_leave) - draws_word(p_block);
  const vl fast = alive & ((flags & std::int64_t{kBrandOwner}) == 0) & (stage < static_cast<std::int64_t>(Stage::Pioneer)) &
                  (life[0] <= 3) & (life[1] <= 3) & (life[2] <= 3) & (life[3] <= 3) & (shock_words <= 4);
  const unsigned alive_bits = bits(alive);
  const unsigned fast_bits = bits(fast);

  if (fast_bits != 0) {
    // ---- Shocks: leaving (word 0), blocked account, supplier failures of the occupied slots.
    const vd w[4] = {words(shocks_w, lane0, 0), words(shocks_w, lane0, 1), words(shocks_w, lane0, 2), words(shocks_w, lane0, 3)};
    vl used = {};  // words used so far, per lane
    const vl leaves = word_at(used, w) < p_leave * k2p32;
    used -= draws_word(p_leave);
    const vl blocked = fast & (word_at(used, w) < p_block * k2p32);
    used -= draws_word(p_block);
    vl lost = {};
    for (int k = 0; k < kSlots; ++k) {
      const vl fail = fast & occ[k] & (word_at(used, w) < p_fail * k2p32);
      used -= occ[k] & fail_draws;
      occ[k] &= ~fail;
      lost -= fail;
      dem[k] = fail ? 0.0 : dem[k];
      age[k] = fail ? 0 : age[k];
      life[k] = fail ? 0 : life[k];
    }

    // ---- Testing: up to max_tests tests (word t of the Testing block) while a slot is free.
    const vl capital = load_l(&pop.capital[i0]);
    const vl running = -occ[0] - occ[1] - occ[2] - occ[3];
    const vl free = table_lookup(table_of(p.winners_max), stage) - running;
    const std::int64_t max_tests = p.testing_max_tests_per_month;
    vl n = {};
    n += max_tests;
    if (d.test_cost > 0) {
      const vd budget = p.testing_budget_share * to_d(capital > 0 ? capital : 0);
      const vl affordable = to_l(budget / static_cast<double>(d.test_cost));
      n = affordable < max_tests ? affordable : n;
    }
    const vl go = fast & ~blocked & (free > 0) & (n > 0);
    vd skill = to_d(load_l(&pop.skill[i0])) / 65535.0;
    const vd bonus = supplier ? d.supplier_bonus[1] : d.supplier_bonus[0];
    vl tests = {}, wins = {};
    for (int t = 0; t < max_tests; ++t) {  // at most 4 (block_kernel_applies)
      const vl active = go & (t < n) & (wins < free);
      const vd success = (p.testing_success_base + p.testing_success_skill * skill) * bonus;
      const vd learned = skill + p.skill_learning_per_test * (1.0 - skill);
      wins -= active & (words(testing_w, lane0, t) < success * k2p32);
      tests -= active;
      skill = active ? learned : skill;
    }
    const vl skill_fixed_v = skill <= 0.0 ? 0 : (skill >= 1.0 ? 65535 : to_l(skill * 65535.0 + 0.5));
    store_l(&pop.skill[i0], (tests > 0) ? skill_fixed_v : load_l(&pop.skill[i0]));
    const vl test_spend = tests * d.test_cost;
    // ---- New winners (Winner stream): a lane's first two winners read words 0-1 and 2-3 of its first
    // block, as step_agent's uniform() calls do; both are computed for every lane in two vector passes
    // (the portable pow's AVX-512 build gives the scalar one's bits). They fill the lowest free slots.
    // A third or fourth winner (Survivors only) needs the stream's next block: lane by lane, below.
    const vl has1 = fast & (wins >= 1), has2 = fast & (wins >= 2);
    vl occ_bits = (occ[0] & 1) | (occ[1] & 2) | (occ[2] & 4) | (occ[3] & 8);
    if (bits(has1) != 0) {
      const vl free_slot1 = lowest_clear_bit(occ_bits);
      occ_bits |= has1 ? free_slot1 : 0;
      const vl free_slot2 = lowest_clear_bit(occ_bits);
      occ_bits |= has2 ? free_slot2 : 0;
      const NewWinner w1 = new_winner(c, winner_w, lane0, 0);
      const NewWinner w2 = bits(has2) != 0 ? new_winner(c, winner_w, lane0, 2) : w1;
      for (int k = 0; k < kSlots; ++k) {
        const vl put1 = has1 & (free_slot1 == (std::int64_t{1} << k));
        const vl put2 = has2 & (free_slot2 == (std::int64_t{1} << k));
        dem[k] = put1 ? w1.demand : (put2 ? w2.demand : dem[k]);
        life[k] = put1 ? w1.life : (put2 ? w2.life : life[k]);
        age[k] = (put1 | put2) ? 0 : age[k];
      }
    }
    for (unsigned b = bits(fast & (wins > 2)); b != 0; b &= b - 1) {
      const int l = std::countr_zero(b);
      const std::size_t i = i0 + static_cast<std::size_t>(l);
      const std::uint32_t first[4] = {winner_w[0][lane0 + l], winner_w[1][lane0 + l], winner_w[2][lane0 + l],
                                      winner_w[3][lane0 + l]};
      Stream product = c.stream(pop.id[i], Purpose::Winner, first);
      for (int j = 0; j < 4; ++j) (void)product();  // the two winners placed above
      for (std::int64_t j = 2; j < wins[l]; ++j) {
        const double u = product.uniform();
        const std::int64_t lifetime = u < d.life_cdf1 ? 1 : (u < d.life_cdf2 ? 2 : 3);
        const double demand = std::min(p.winners_potential_scale * pmath::pow_fast(product.uniform(), -d.inv_alpha),
                                       p.winners_potential_cap);
        const int k = std::countr_zero(~static_cast<unsigned>(occ_bits[l]));
        dem[k][l] = static_cast<double>(static_cast<float>(demand));
        age[k][l] = 0;
        life[k][l] = lifetime;
        occ_bits[l] |= std::int64_t{1} << k;
      }
    }

    // ---- Selling: each product's demand along its lifecycle, ad spend, revenue; products age.
    const vd short_lives = {d.short_life[1][0], d.short_life[2][0], d.short_life[2][1], d.short_life[3][0],
                            d.short_life[3][1], d.short_life[3][2], 0.0, 0.0};
    vd dk[kSlots];
    vd total = {};
    for (int k = 0; k < kSlots; ++k) {
      occ[k] = fast & (((occ_bits >> k) & 1) != 0);
      // lifecycle(): short_life[life][age] for lives of 1-3 months (the kernel's lanes), packed at
      // life (life - 1) / 2 + age.
      const vd share = table_lookup(short_lives, occ[k] ? ((life[k] * (life[k] - 1)) >> 1) + age[k] : 0);
      dk[k] = occ[k] ? dem[k] * share : 0.0;
      total += dk[k];  // +0 for empty slots: the sum over the occupied ones, in slot order
    }
    const vl sells = fast & ~blocked & (total > 0.0) & (d.spend_factor > 0 ? vl{} - 1 : vl{});
    const vd wanted = total * d.spend_factor;
    const vd after_tests = to_d(capital - test_spend);
    const vd cash = (0.0 < after_tests ? after_tests : 0.0) * p.ads_cash_share;
    const vd cash_scale = wanted > cash ? cash / wanted : 1.0;
    vd spend = {}, revenue = {};
    for (int k = 0; k < kSlots; ++k) {
      const vl live = sells & occ[k] & (dk[k] > 0.0);
      const vd sk = dk[k] * d.spend_factor * cash_scale;
      spend += live ? sk : 0.0;
      revenue += live ? dk[k] * d.revenue_share : 0.0;
    }
    // Cash-limited lanes: the return is not closed-form, demand * (1 - exp(-roas * spend / demand))
    // (phases::ad_revenue), summed over the selling slots in slot order (+0 for the others).
    const vl limited = sells & (cash_scale != 1.0);
    if (bits(limited) != 0) {
      vd r = {};
      for (int k = 0; k < kSlots; ++k) {
        const vl live = limited & occ[k] & (dk[k] > 0.0);
        if (bits(live) == 0) continue;
        const vd sk = dk[k] * d.spend_factor * cash_scale;
        const vd e = exp_v((-p.ads_roas * sk) / (live ? dk[k] : 1.0));
        r += live ? dk[k] * (1.0 - e) : 0.0;
      }
      revenue = limited ? r : revenue;
    }
    for (int k = 0; k < kSlots; ++k) {
      const vl aged = age[k] + 1;
      const vl expires = occ[k] & (aged >= life[k]);
      store_l(&pop.age[k][i0], occ[k] ? (expires ? 0 : aged) : age[k]);
      store_l(&pop.life[k][i0], expires ? 0 : life[k]);
      store_fd(&pop.demand[k][i0], expires ? 0.0 : dem[k]);
      occ[k] &= ~expires;
    }

    // ---- Money: every flow rounded to whole rupiah; capital carries the profit.
    const vl revenue_idr = to_idr_v(revenue);
    const vl ad_idr = to_idr_v(spend);
    const vd revenue_d = to_d(revenue_idr);
    const vl margin = to_idr_v(revenue_d * p.money_gross_margin);
    const vl fees = to_idr_v(revenue_d * p.money_platform_fee);
    const vl gross = margin - fees - ad_idr;
    const vl leakage = to_idr_v(to_d(gross > 0 ? gross : 0) * table_lookup(table_of(p.money_leakage), stage));
    const vl wages = table_lookup(table_of(d.wages), stage);
    const vl overhead = table_lookup(table_of(d.overhead), stage);
    const vl profit = gross - test_spend - leakage - wages - overhead - d.living;
    const vl new_capital = capital + profit;
    store_l(&pop.capital[i0], fast ? new_capital : capital);

    // ---- Stage: average revenue over the window (this month's as stored, a float) against thresholds.
    float* ring0 = &pop.revenue[c.ring[0]][i0];
    const vd stored_revenue = __builtin_convertvector(__builtin_convertvector(revenue_idr, vf), vd);
    store_fd(ring0, fast ? stored_revenue : load_fd(ring0));
    const vl active_months = static_cast<std::int64_t>(c.month) + 1 - load_l(&pop.entry_month[i0]);
    const std::int64_t window = p.stage_window;
    const vl months = active_months < window ? active_months : window;
    vd sum = {};
    for (int k = 0; k < window; ++k) {
      const vd r = k == 0 ? stored_revenue : load_fd(&pop.revenue[c.ring[static_cast<std::size_t>(k)]][i0]);
      sum += k < months ? r : 0.0;
    }
    const vd average = sum / to_d(months);
    vl new_stage = {};
    for (int k = 1; k < kStages; ++k) new_stage = average >= d.threshold[static_cast<std::size_t>(k)] ? k : new_stage;
    store_l(&pop.stage[i0], fast ? new_stage : stage);
    const vl max_stage = load_l(&pop.max_stage[i0]);
    store_l(&pop.max_stage[i0], fast & (new_stage > max_stage) ? new_stage : max_stage);
    vl new_flags = new_stage >= static_cast<std::int64_t>(Stage::Pioneer) ? (flags | std::int64_t{kBrandOwner}) : flags;

    // ---- Exit: bankruptcy, discouraged quitting (Exit stream, lane by lane), outside reasons.
    const vl selling = occ[0] | occ[1] | occ[2] | occ[3];
    const vl dry = load_l(&pop.dry_months[i0]);
    const vl new_dry = selling ? 0 : (dry < 255 ? dry + 1 : dry);
    store_l(&pop.dry_months[i0], fast ? new_dry : dry);
    const vd capital_d = to_d(new_capital);
    const vl cannot_test = p.testing_budget_share * capital_d < static_cast<double>(d.test_cost);
    const vl bankrupt = (capital_d < p.exit_capital_floor) | (~selling & ((new_capital <= 0) | cannot_test));
    const vl out_of_patience = ~bankrupt & (new_dry >= p.exit_patience);
    vl exited = bankrupt | (~out_of_patience & leaves);
    vl cause = bankrupt ? static_cast<std::int64_t>(ExitCause::Bankruptcy) : static_cast<std::int64_t>(ExitCause::Other);
    for (unsigned b = bits(fast & out_of_patience); b != 0; b &= b - 1) {
      const int l = std::countr_zero(b);
      const std::size_t i = i0 + static_cast<std::size_t>(l);
      if (c.stream(pop.id[i], Purpose::Exit).bernoulli(p.exit_quit_prob)) {
        exited[l] = -1;
        cause[l] = static_cast<std::int64_t>(ExitCause::Discouraged);
      } else {
        exited[l] = leaves[l];
      }
    }
    new_flags = exited ? 0 : new_flags;
    store_l(&pop.flags[i0], fast ? new_flags : flags);

    // ---- Tallies of the kernel's lanes (MonthStats::record, from the vectors): sums by the stage at
    // month end into the lanes of `sums` (KernelSums), lane by lane only for what is rare (stage
    // changes, exits, Pioneer and above) or a scatter (histograms, cohorts).
    add_lanes(sums.tests, tests);
    add_lanes(sums.new_products, wins);
    add_lanes(sums.products_lost, lost);
    st.blocked += std::popcount(bits(blocked));
    const vl stays = fast & ~exited;
    const vl running_end = -occ[0] - occ[1] - occ[2] - occ[3];
    for (std::int64_t s = 0; s < KernelSums::kStagesKept; ++s) {
      const vl in = fast & (new_stage == s);
      if (bits(in) == 0) continue;
      auto& acc = sums.stage[s];
      add_lanes(acc[KernelSums::kRevenue], in ? revenue_idr : 0);
      add_lanes(acc[KernelSums::kAdSpend], in ? ad_idr : 0);
      add_lanes(acc[KernelSums::kTestSpend], in ? test_spend : 0);
      add_lanes(acc[KernelSums::kWages], in ? wages : 0);
      add_lanes(acc[KernelSums::kProfit], in ? profit : 0);
      add_lanes(acc[KernelSums::kRunning], (in & stays) ? running_end : 0);
      st.stage_counts[s] += std::popcount(bits(in & stays));
    }
    for (unsigned b = bits(fast & (new_stage >= 2)); b != 0; b &= b - 1) {  // promoted to Pioneer or above
      const int l = std::countr_zero(b);
      const auto s = static_cast<std::size_t>(new_stage[l]);
      st.revenue[s] += revenue_idr[l];
      st.ad_spend[s] += ad_idr[l];
      st.test_spend[s] += test_spend[l];
      st.wages[s] += wages[l];
      st.profit[s] += profit[l];
      if (stays[l] != 0) {
        ++st.stage_counts[s];
        st.running_products[s] += running_end[l];
      }
    }
    for (unsigned b = bits(fast & (new_stage != stage)); b != 0; b &= b - 1) {
      const int l = std::countr_zero(b);
      ++st.transitions[static_cast<std::size_t>(stage[l])][static_cast<std::size_t>(new_stage[l])];
    }
    const vl entry = load_l(&pop.entry_month[i0]);
    const auto cohorts = static_cast<std::int64_t>(st.cohort_alive.size());
    for (unsigned b = bits(fast & (new_stage > max_stage) & (entry < cohorts)); b != 0; b &= b - 1) {
      const int l = std::countr_zero(b);
      for (std::int64_t s = max_stage[l] + 1; s <= new_stage[l]; ++s)
        ++st.cohort_reached[static_cast<std::size_t>(entry[l] * kStages + s)];
    }
    for (unsigned b = bits(fast & exited); b != 0; b &= b - 1) {
      const int l = std::countr_zero(b);
      ++st.exits[static_cast<std::size_t>(new_stage[l])][static_cast<std::size_t>(cause[l])];
    }
    const vi revenue_bin = histogram_bins(__builtin_convertvector(revenue_idr, vf));
    const vi capital_bin = histogram_bins(__builtin_convertvector(new_capital, vf));
    for (unsigned b = bits(stays); b != 0; b &= b - 1) {
      const int l = std::countr_zero(b);
      const auto s = static_cast<std::size_t>(new_stage[l]);
      st.revenue_hist[s].add_to_bin(revenue_bin[l]);
      st.capital_hist[s].add_to_bin(capital_bin[l]);
      if (entry[l] < cohorts) ++st.cohort_alive[static_cast<std::size_t>(entry[l])];
    }
    // Last, an agent that leaves has its slot cleared now, while its lines are in cache, and marked so:
    // next month's entry then writes a newcomer's few fields into it without clearing 25 arrays at
    // scattered slots (phases::enter).
    for (unsigned b = bits(fast & exited); b != 0; b &= b - 1) pop.release_slot(i0 + static_cast<std::size_t>(std::countr_zero(b)));
  }

  // ---- Every other live agent: step_agent, the specification.
  for (unsigned b = alive_bits & ~fast_bits; b != 0; b &= b - 1) {
    const int l = std::countr_zero(b);
    step_agent_of_batch(c, pop, i0 + static_cast<std::size_t>(l), shocks_w, testing_w, winner_w, lane0 + l, st, true);
  }
}

/// step_batches with the kernel.
__attribute__((target(IMERSIM_AVX512_TARGET))) void batches_avx512(const MonthContext& c, Population& pop,
                                                                   std::size_t first, std::size_t last, MonthStats& st,
                                                                   KernelSums& sums) {
  BatchWords shocks, testing, winner;  // word-major: [k][l] = word k of lane l
  std::uint32_t (*const words[3])[kPhiloxLanes] = {shocks, testing, winner};
  for (std::size_t g = first; g < last; g += kPhiloxLanes) {
    detail::philox_first_words_avx512<3>(c.seed, c.replicate, &pop.id[g], c.month, kMonthPurposes, words);
    for (int b = 0; b < kPhiloxLanes; b += W)
      block_avx512(c, pop, g + static_cast<std::size_t>(b), shocks, testing, winner, b, st, sums);
  }
}

#endif  // IMERSIM_BLOCK_KERNEL

void block_scalar(const MonthContext& c, Population& pop, std::size_t i0, const BatchWords& s, const BatchWords& t,
                  const BatchWords& w, int lane0, MonthStats& st) {
  for (int l = 0; l < W; ++l) {
    const std::size_t i = i0 + static_cast<std::size_t>(l);
    if (pop.alive(i)) step_agent_of_batch(c, pop, i, s, t, w, lane0 + l, st, true);
  }
}

}  // namespace

void KernelSums::fold_into(MonthStats& st) {
  const auto sum = [](std::int64_t(&lanes)[kBlockLanes]) {
    std::int64_t n = 0;
    for (auto& v : lanes) {
      n += v;
      v = 0;
    }
    return n;
  };
  st.tests += sum(tests);
  st.new_products += sum(new_products);
  st.products_lost += sum(products_lost);
  for (int s = 0; s < kStagesKept; ++s) {
    st.revenue[s] += sum(stage[s][kRevenue]);
    st.ad_spend[s] += sum(stage[s][kAdSpend]);
    st.test_spend[s] += sum(stage[s][kTestSpend]);
    st.wages[s] += sum(stage[s][kWages]);
    st.profit[s] += sum(stage[s][kProfit]);
    st.running_products[s] += sum(stage[s][kRunning]);
  }
}

void step_agent_of_batch(const MonthContext& c, Population& pop, std::size_t i, const BatchWords& shocks,
                         const BatchWords& testing, const BatchWords& winner, int lane, MonthStats& st, bool release) {
  const std::uint32_t s[4] = {shocks[0][lane], shocks[1][lane], shocks[2][lane], shocks[3][lane]};
  const std::uint32_t t[4] = {testing[0][lane], testing[1][lane], testing[2][lane], testing[3][lane]};
  const std::uint32_t w[4] = {winner[0][lane], winner[1][lane], winner[2][lane], winner[3][lane]};
  AgentMonth m;
  m.shocks_block = s;
  m.testing_block = t;
  m.winner_block = w;
  const std::uint8_t old_max = pop.max_stage[i];
  step_agent(c, pop, i, m);
  st.record(m, pop.stage[i], old_max, pop.max_stage[i], pop.entry_month[i], static_cast<float>(pop.capital[i]));
  if (m.exited && release) pop.release_slot(i);
}

const char* block_isa_name(BlockIsa isa) { return isa == BlockIsa::Avx512 ? "avx512" : "scalar"; }

bool block_isa_supported(BlockIsa isa) {
  if (isa == BlockIsa::Scalar) return true;
#if IMERSIM_BLOCK_KERNEL
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2") &&
         __builtin_cpu_supports("bmi2");
#else
  return false;
#endif
}

BlockIsa block_isa_default() {
  const char* env = std::getenv("IMERSIM_KERNEL");
  if (env != nullptr && *env != '\0') {
    for (BlockIsa isa : {BlockIsa::Scalar, BlockIsa::Avx512}) {
      if (std::string(env) != block_isa_name(isa)) continue;
      if (!block_isa_supported(isa))
        throw InputError("IMERSIM_KERNEL", std::string("this CPU cannot run the '") + env + "' kernel",
                         "unset IMERSIM_KERNEL, or set it to scalar");
      return isa;
    }
    throw InputError("IMERSIM_KERNEL", std::string("unknown kernel '") + env + "'",
                     "use scalar or avx512, or unset it for the fastest this CPU runs");
  }
  return block_isa_supported(BlockIsa::Avx512) ? BlockIsa::Avx512 : BlockIsa::Scalar;
}

bool block_kernel_applies(const MonthContext& c) {
  const Params& p = c.p;
  if (c.policy != nullptr) return false;
  if (p.testing_max_tests_per_month > 4) return false;
  if (p.stage_window < 1 || p.stage_window > kMaxWindow) return false;
  // Success is linear in skill (0..1) times one of two bonuses: inside (0, 1) at the four corners
  // means inside at every skill, so each test draws exactly one word.
  for (double skill : {0.0, 1.0})
    for (double bonus : c.d.supplier_bonus) {
      const double success = (p.testing_success_base + p.testing_success_skill * skill) * bonus;
      if (!(success > 1e-9 && success < 1.0 - 1e-9)) return false;
    }
  return true;
}

void step_batches(BlockIsa isa, const MonthContext& c, Population& pop, std::size_t first, std::size_t last,
                  MonthStats& st, KernelSums& sums) {
#if IMERSIM_BLOCK_KERNEL
  if (isa == BlockIsa::Avx512) return batches_avx512(c, pop, first, last, st, sums);
#else
  (void)sums;
#endif
  BatchWords shocks, testing, winner;
  for (std::size_t g = first; g < last; g += kPhiloxLanes) {
    philox_first_words3(c.seed, c.replicate, &pop.id[g], c.month, kMonthPurposes, shocks, testing, winner);
    for (int b = 0; b < kPhiloxLanes; b += W)
      block_scalar(c, pop, g + static_cast<std::size_t>(b), shocks, testing, winner, b, st);
  }
}

}  // namespace imersim
