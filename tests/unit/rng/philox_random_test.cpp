// The vector Philox first blocks (AVX-512 and AVX2, three purposes at once, rounds 1-2 computed apart
// from the lane-invariant words) against Random123 over random keys, months, purposes and ids.
#include <gtest/gtest.h>

#include <Random123/philox.h>

#include "rng/philox_batch.hpp"

namespace {
TEST(PhiloxBatch, VectorVersionsMatchRandom123OverRandomKeys) {
  if (!imersim::detail::cpu_has_avx2()) GTEST_SKIP() << "no AVX2";
  std::uint64_t s = 88172645463325252ULL;
  auto next = [&] { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return static_cast<std::uint32_t>(s); };
  const r123::Philox4x32 philox;
  std::uint32_t agents[imersim::kPhiloxLanes];
  std::uint32_t o0[4][imersim::kPhiloxLanes], o1[4][imersim::kPhiloxLanes], o2[4][imersim::kPhiloxLanes];
  long checked = 0;
  for (int it = 0; it < 20000; ++it) {
    const std::uint32_t seed = (it % 7 == 0) ? 0xFFFFFFFFu : next();
    const std::uint32_t rep = (it % 5 == 0) ? 0u : next();
    const std::uint32_t month = (it % 11 == 0) ? 0xFFFFFFFFu : next();
    const std::uint32_t purposes[3] = {next(), it % 3 == 0 ? 0u : next(), 0xFFFFFFFFu - (next() & 3)};
    for (auto& a : agents) a = next();
    std::uint32_t (*const outs[3])[imersim::kPhiloxLanes] = {o0, o1, o2};
    const auto check = [&](const char* version) {
      for (int q = 0; q < 3; ++q)
        for (int l = 0; l < imersim::kPhiloxLanes; ++l) {
          const auto b = philox({{agents[l], month, purposes[q], 0}}, {{seed, rep}});
          for (int k = 0; k < 4; ++k) {
            ASSERT_EQ(outs[q][k][l], b.v[k]) << version << " it " << it << " q " << q << " l " << l << " k " << k;
            ++checked;
          }
        }
    };
    imersim::detail::philox_first_words_avx2<3>(seed, rep, agents, month, purposes, outs);
    check("avx2");
    if (imersim::detail::cpu_has_avx512f()) {
      imersim::detail::philox_first_words_avx512<3>(seed, rep, agents, month, purposes, outs);
      check("avx512");
    }
  }
  EXPECT_GE(checked, 20000L * 3 * 16 * 4);
}
}  // namespace
