// Running sweeps in-process: a point's record does not depend on the thread count, shard tables round
// trip through HDF5, the manifest skips finished points, merge sorts and deduplicates.
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <cmath>

#include "core/error.hpp"
#include "experiment/manifest.hpp"
#include "experiment/sweep_run.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

SweepSpec lhs2() { return load_sweep(fs::path(IMERSIM_TEST_DATA) / "sweeps/lhs2.yaml"); }

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) / ("imersim_sweep_" + name);
  fs::remove_all(d);
  return d;
}

TEST(SweepRun, PointRecordDoesNotDependOnThreads) {
  const SweepSpec s = lhs2();
  const SweepPoint p = make_point(s, 2);
  PointRecord one, two;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = run_point(s, p);
  }
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
    two = run_point(s, p);
  }
  ASSERT_TRUE(one.ok) << one.error;
  EXPECT_EQ(one.outcomes, two.outcomes);
  EXPECT_EQ(one.outcomes.size(), 5u * 2u);
  EXPECT_GT(one.outcomes[2 * 2], 1000.0);  // population: thousands of agents
  EXPECT_NE(one.outcomes[0], one.outcomes[1]) << "two replicates draw different luck";
}

TEST(SweepRun, FailedPointIsRecordedWithItsError) {
  const SweepSpec s = load_sweep(fs::path(IMERSIM_TEST_DATA) / "sweeps/grid_with_bad_point.yaml");
  const PointRecord r = run_point(s, make_point(s, 1));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("entry.skill_max"), std::string::npos);
  EXPECT_TRUE(std::isnan(r.outcomes.at(0)));
}

TEST(SweepRun, TableRoundTripsThroughHdf5) {
  const SweepSpec s = lhs2();
  SweepTable t = empty_table(s);
  PointRecord a{4, 0xfeedULL, true, "", {1e6, 0.05}, std::vector<double>(10, 0.25)};
  a.outcomes[3] = 7.5;
  PointRecord b{1, 0xbeefULL, false, "boom \"quoted\"\nsecond line", {2e6, 0.07},
                std::vector<double>(10, std::nan(""))};
  t.records = {a, b};
  const fs::path f = fresh_dir("roundtrip") / "t.h5";
  write_sweep_table(f, t, {{"worker", "test"}});
  const SweepTable back = read_sweep_table(f);
  EXPECT_EQ(back.parameters, t.parameters);
  EXPECT_EQ(back.outcomes, t.outcomes);
  EXPECT_EQ(back.replicates, 2);
  ASSERT_EQ(back.records.size(), 2u);
  EXPECT_EQ(back.records[0].index, 4);
  EXPECT_EQ(back.records[0].hash, 0xfeedULL);
  EXPECT_EQ(back.records[0].outcomes, a.outcomes);
  EXPECT_EQ(back.records[0].params, a.params);
  EXPECT_FALSE(back.records[1].ok);
  EXPECT_EQ(back.records[1].error, b.error);
  EXPECT_DOUBLE_EQ(back.mean(0, 1), 0.5 * (0.25 + 7.5));
  EXPECT_TRUE(same_sweep(back, t));
  EXPECT_THROW(read_sweep_table(f.parent_path() / "missing.h5"), IoError);
}

TEST(SweepRun, ResumeSkipsFinishedPointsAndMergeSortsByIndex) {
  const SweepSpec s = lhs2();
  const fs::path dir = fresh_dir("resume");
  // Shard 1 of 2 runs first (points 1, 3, 5).
  {
    const auto pending = pending_points(s, load_manifest(dir, empty_table(s)), 1, 2, false);
    ASSERT_EQ(pending.size(), 3u);
    ShardWriter w(shard_path(dir, "shard_1_of_2"), s, {});
    run_points(s, pending, w);
  }
  // A serial run over the same directory only has the other three left.
  const Manifest m = load_manifest(dir, empty_table(s));
  EXPECT_EQ(m.points.size(), 3u);
  const auto rest = pending_points(s, m, 0, 1, false);
  ASSERT_EQ(rest.size(), 3u);
  EXPECT_EQ(rest[0].index, 0);
  EXPECT_EQ(rest[2].index, 4);
  std::vector<std::int64_t> seen;
  {
    ShardWriter w(shard_path(dir, "shard_0_of_1"), s, {});
    run_points(s, rest, w, [&](const PointRecord& r, double) { seen.push_back(r.index); });
  }
  EXPECT_EQ(seen.size(), 3u);
  const SweepTable merged = merge_shards(dir);
  ASSERT_EQ(merged.records.size(), 6u);
  for (std::int64_t i = 0; i < 6; ++i) EXPECT_EQ(merged.records[i].index, i);
  EXPECT_TRUE(pending_points(s, load_manifest(dir, empty_table(s)), 0, 1, false).empty());
}

TEST(SweepRun, DirectoryOfAnotherSweepIsRefused) {
  const SweepSpec s = lhs2();
  const fs::path dir = fresh_dir("other");
  SweepTable t = empty_table(s);
  t.outcomes = {"population"};
  t.attributes["outcomes"] = "population";
  write_sweep_table(shard_path(dir, "shard_0_of_1"), t);
  EXPECT_THROW(load_manifest(dir, empty_table(s)), InputError);
  EXPECT_THROW(merge_shards(fresh_dir("empty")), IoError);
}

}  // namespace
}  // namespace imersim

namespace imersim {
namespace {
TEST(SweepRun, PointsOfAPolicyScenarioRunItsLevers) {
  const SweepSpec s = load_sweep(std::filesystem::path(IMERSIM_TEST_DATA) / "sweeps/policy_grid.yaml");
  const PointRecord r = run_point(s, make_point(s, 0));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_GT(r.outcomes.at(0), 0.0) << "matchmaking costs the government money at this point";
}
}  // namespace
}  // namespace imersim
