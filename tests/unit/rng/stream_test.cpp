// Streams: keyed by (seed, replicate), counted by (agent, month, purpose, block); usable by Boost.Random.
#include <gtest/gtest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <array>
#include <cstring>
#include <set>

#include "rng/philox_batch.hpp"
#include "rng/stream.hpp"

using imersim::Purpose;
using imersim::Stream;

TEST(Stream, MatchesPhiloxDirectly) {
  Stream s(7, 3, 42, 11, Purpose::Testing);
  r123::Philox4x32 philox;
  const auto block0 = philox({{42, 11, static_cast<std::uint32_t>(Purpose::Testing), 0}}, {{7, 3}});
  const auto block1 = philox({{42, 11, static_cast<std::uint32_t>(Purpose::Testing), 1}}, {{7, 3}});
  for (int k = 0; k < 4; ++k) EXPECT_EQ(s(), block0.v[k]);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(s(), block1.v[k]);
  EXPECT_EQ(s.blocks_used(), 2u);
}

TEST(Stream, SameKeySameDrawsRegardlessOfOtherStreams) {
  Stream a(1, 0, 5, 9, Purpose::Shocks);
  Stream noise(1, 0, 6, 9, Purpose::Shocks);
  for (int k = 0; k < 1000; ++k) noise();
  Stream b(1, 0, 5, 9, Purpose::Shocks);
  for (int k = 0; k < 100; ++k) EXPECT_EQ(a(), b());
}

TEST(Stream, EveryKeyComponentChangesTheDraws) {
  const std::uint32_t base = Stream(1, 0, 5, 9, Purpose::Shocks)();
  EXPECT_NE(base, Stream(2, 0, 5, 9, Purpose::Shocks)());
  EXPECT_NE(base, Stream(1, 1, 5, 9, Purpose::Shocks)());
  EXPECT_NE(base, Stream(1, 0, 6, 9, Purpose::Shocks)());
  EXPECT_NE(base, Stream(1, 0, 5, 10, Purpose::Shocks)());
  EXPECT_NE(base, Stream(1, 0, 5, 9, Purpose::Testing)());
}

TEST(Stream, UniformIsOpenIntervalWithRightMean) {
  Stream s(3, 0, 1, 1, Purpose::Exit);
  double sum = 0;
  const int n = 200000;
  for (int k = 0; k < n; ++k) {
    const double u = s.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);  // sd of the mean is 0.00065
}

TEST(Stream, BernoulliEdgesAndRate) {
  Stream s(3, 0, 1, 1, Purpose::Exit);
  for (int k = 0; k < 1000; ++k) {
    EXPECT_FALSE(s.bernoulli(0.0));
    EXPECT_TRUE(s.bernoulli(1.0));
    EXPECT_FALSE(s.bernoulli(-0.5));
  }
  int hits = 0;
  const int n = 100000;
  for (int k = 0; k < n; ++k) hits += s.bernoulli(0.3);
  EXPECT_NEAR(hits / double(n), 0.3, 0.006);  // 4 sd
}

TEST(Stream, WorksWithBoostDistributions) {
  Stream s(9, 2, 3, 4, Purpose::Winner);
  boost::random::normal_distribution<double> normal(10.0, 2.0);
  boost::random::poisson_distribution<int, double> poisson(50.0);
  double sum = 0, psum = 0;
  const int n = 20000;
  for (int k = 0; k < n; ++k) {
    sum += normal(s);
    psum += poisson(s);
  }
  EXPECT_NEAR(sum / n, 10.0, 0.06);
  EXPECT_NEAR(psum / n, 50.0, 0.25);
}

TEST(PhiloxBatch, FirstBlocksAreThoseOfRandom123) {
  std::uint32_t agents[imersim::kPhiloxLanes];
  for (int l = 0; l < imersim::kPhiloxLanes; ++l) agents[l] = 0x9E3779B9u * static_cast<std::uint32_t>(l) + 17u;
  agents[3] = 0;
  agents[5] = 0xFFFFFFFFu;
  std::uint32_t out[imersim::kPhiloxLanes][4];
  for (std::uint32_t seed : {0u, 20231001u, 0xFFFFFFFFu}) {
    r123::Philox4x32 philox;
    auto check = [&](const char* version) {
      for (int l = 0; l < imersim::kPhiloxLanes; ++l) {
        const auto block = philox({{agents[l], 123, static_cast<std::uint32_t>(Purpose::Shocks), 0}}, {{seed, 7}});
        for (int k = 0; k < 4; ++k)
          EXPECT_EQ(out[l][k], block.v[k]) << version << " seed " << seed << " lane " << l << " word " << k;
      }
    };
    imersim::philox_first_blocks(seed, 7, agents, 123, static_cast<std::uint32_t>(Purpose::Shocks), out);
    check("dispatched");
    imersim::detail::philox_first_blocks_scalar(seed, 7, agents, 123, static_cast<std::uint32_t>(Purpose::Shocks), out);
    check("scalar");
#if defined(__x86_64__) && defined(__GNUC__)
    if (imersim::detail::cpu_has_avx2()) {
      imersim::detail::philox_first_blocks_avx2(seed, 7, agents, 123, static_cast<std::uint32_t>(Purpose::Shocks), out);
      check("avx2");
    }
#endif
  }
}

TEST(PhiloxBatch, WordMajorFirstBlocksAreThoseOfRandom123) {
  std::uint32_t agents[imersim::kPhiloxLanes];
  for (int l = 0; l < imersim::kPhiloxLanes; ++l) agents[l] = 0x85EBCA6Bu * static_cast<std::uint32_t>(l) + 3u;
  agents[7] = 0xFFFFFFFFu;
  std::uint32_t out[4][imersim::kPhiloxLanes];
  // Seeds, replicates and months at both ends: the AVX-512 version computes the first two rounds' words
  // that are the same in every lane (month, purpose, key) apart from the others.
  for (const auto [seed, replicate, month] : {std::array<std::uint32_t, 3>{0u, 2u, 99u}, {20231001u, 2u, 99u},
                                              {0xFFFFFFFFu, 2u, 99u}, {7u, 0u, 0u}, {7u, 0xFFFFFFFFu, 0xFFFFFFFFu},
                                              {0xFFFFFFFFu, 0xFFFFFFFFu, 12345u}}) {
    const r123::Philox4x32 philox;
    auto check = [&](const char* version) {
      for (int l = 0; l < imersim::kPhiloxLanes; ++l) {
        const auto block = philox({{agents[l], month, static_cast<std::uint32_t>(Purpose::Winner), 0}}, {{seed, replicate}});
        for (int k = 0; k < 4; ++k)
          EXPECT_EQ(out[k][l], block.v[k]) << version << " seed " << seed << " replicate " << replicate << " month " << month << " lane " << l << " word " << k;
      }
    };
    imersim::philox_first_words(seed, replicate, agents, month, static_cast<std::uint32_t>(Purpose::Winner), out);
    check("dispatched");
    imersim::detail::philox_first_words_scalar(seed, replicate, agents, month, static_cast<std::uint32_t>(Purpose::Winner), out);
    check("scalar");
#if defined(__x86_64__) && defined(__GNUC__)
    if (imersim::detail::cpu_has_avx2()) {
      const std::uint32_t purposes[1] = {static_cast<std::uint32_t>(Purpose::Winner)};
      std::uint32_t (*const outs[1])[imersim::kPhiloxLanes] = {out};
      imersim::detail::philox_first_words_avx2<1>(seed, replicate, agents, month, purposes, outs);
      check("avx2");
    }
    if (imersim::detail::cpu_has_avx512f()) {
      const std::uint32_t purposes[1] = {static_cast<std::uint32_t>(Purpose::Winner)};
      std::uint32_t (*const outs[1])[imersim::kPhiloxLanes] = {out};
      imersim::detail::philox_first_words_avx512<1>(seed, replicate, agents, month, purposes, outs);
      check("avx512");
    }
    // Three purposes at once: each is the single-purpose result.
    std::uint32_t other1[4][imersim::kPhiloxLanes], other2[4][imersim::kPhiloxLanes];
    const std::uint32_t three[3] = {static_cast<std::uint32_t>(Purpose::Shocks),
                                    static_cast<std::uint32_t>(Purpose::Winner),
                                    static_cast<std::uint32_t>(Purpose::Testing)};
    auto check_three = [&](const char* version) {
      check(version);
      std::uint32_t single[4][imersim::kPhiloxLanes];
      imersim::detail::philox_first_words_scalar(seed, replicate, agents, month, three[0], single);
      EXPECT_EQ(std::memcmp(single, other1, sizeof single), 0) << version << ": Shocks of three";
      imersim::detail::philox_first_words_scalar(seed, replicate, agents, month, three[2], single);
      EXPECT_EQ(std::memcmp(single, other2, sizeof single), 0) << version << ": Testing of three";
      std::memset(other1, 0, sizeof other1);
      std::memset(out, 0, sizeof out);
      std::memset(other2, 0, sizeof other2);
    };
    imersim::philox_first_words3(seed, replicate, agents, month, three, other1, out, other2);
    check_three("three purposes");
    if (imersim::detail::cpu_has_avx2()) {  // where the dispatch above took AVX-512
      std::uint32_t (*const outs[3])[imersim::kPhiloxLanes] = {other1, out, other2};
      imersim::detail::philox_first_words_avx2<3>(seed, replicate, agents, month, three, outs);
      check_three("avx2, three purposes");
    }
#endif
  }
}

TEST(PhiloxBatch, StreamWithFirstBlockDrawsLikeThePlainStream) {
  std::uint32_t agents[imersim::kPhiloxLanes] = {};
  agents[0] = 42;
  std::uint32_t out[imersim::kPhiloxLanes][4];
  imersim::philox_first_blocks(7, 3, agents, 11, static_cast<std::uint32_t>(Purpose::Testing), out);
  Stream plain(7, 3, 42, 11, Purpose::Testing);
  Stream ahead = Stream::with_first_block(7, 3, 42, 11, Purpose::Testing, out[0][0], out[0][1], out[0][2], out[0][3]);
  for (int k = 0; k < 12; ++k) EXPECT_EQ(ahead(), plain()) << "draw " << k;  // the first block and the next two
  EXPECT_EQ(ahead.blocks_used(), plain.blocks_used());
}
