// `imersim sweep/merge/sensitivity` end to end: the same merged table serially, as 3 shards (one from
// SLURM's variables) and under mpirun; a killed sweep resumes with only the missing points; failed
// points are recorded; Sobol indices rank a strong parameter above an inert one.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "shell_support.hpp"

namespace fs = std::filesystem;

namespace {

using Result = imersim::test::ShellResult;

/// Runs a shell command in tests/data; returns its exit status and stdout (+ stderr when `merge`).
Result sh(const std::string& cmd, bool merge = false) {
  return imersim::test::run_shell("cd " + std::string(IMERSIM_TEST_DATA) + " && " + cmd, merge);
}

const std::string kCli = IMERSIM_CLI;

fs::path temp_dir(const std::string& name) { return imersim::test::fresh_temp_dir("imersim_sweep_", name); }

std::string read(const fs::path& p) { return imersim::test::read_text(p); }

/// Runs the sweep serially into `dir` and merges it (HDF5 + CSV).
void serial_reference(const std::string& sweep, const fs::path& dir) {
  ASSERT_EQ(sh(kCli + " sweep " + sweep + " --quiet --out " + dir.string()).status, 0);
  ASSERT_EQ(sh(kCli + " merge " + dir.string() + " --csv " + (dir / "merged.csv").string()).status, 0);
}

void expect_same_table(const fs::path& a, const fs::path& b) {
  const auto diff = sh("h5diff " + (a / "merged.h5").string() + " " + (b / "merged.h5").string(), true);
  EXPECT_EQ(diff.status, 0) << diff.out;
  EXPECT_EQ(read(a / "merged.csv"), read(b / "merged.csv"));
}

/// Open MPI refuses root without these; its leaks at exit are not ours.
const std::string kMpiEnv =
    "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 ASAN_OPTIONS=detect_leaks=0 ";

// An edited sweep (here one range) is refused in a directory that holds the old one's points: run
// beside them, its points would leave a directory that merge refuses. The same file resumes.
TEST(Sweep, AnEditedSweepIsRefusedWhereTheOldOneRan) {
  const fs::path d = temp_dir("edited");
  const std::string text = read(fs::path(IMERSIM_TEST_DATA) / "sweeps" / "lhs2.yaml");
  const std::string base = std::string("scenario: ") + IMERSIM_TEST_DATA + "/sweeps/tiny_base.yaml";
  std::string original = std::regex_replace(text, std::regex("scenario: tiny_base.yaml"), base);
  ASSERT_NE(original, text);
  std::ofstream(d / "a.yaml") << original;
  const std::string edited = std::regex_replace(original, std::regex("max: 0.10\\}"), "max: 0.12}");
  ASSERT_NE(edited, original);
  std::ofstream(d / "b.yaml") << edited;
  const std::string out = (d / "out").string();
  ASSERT_EQ(sh(kCli + " sweep " + (d / "a.yaml").string() + " --quiet --out " + out).status, 0);
  const std::string before = read(d / "out" / "shard_0_of_1.h5");
  for (const std::string mode : {" --quiet", " --dry-run", " --quiet --shard 1/2"}) {
    const auto r = sh(kCli + " sweep " + (d / "b.yaml").string() + mode + " --out " + out, true);
    EXPECT_EQ(r.status, 2) << mode << "\n" << r.out;
    EXPECT_NE(r.out.find("resolves to another scenario"), std::string::npos) << mode << "\n" << r.out;
  }
  EXPECT_EQ(read(d / "out" / "shard_0_of_1.h5"), before);
  EXPECT_FALSE(fs::exists(d / "out" / "shard_1_of_2.h5"));
  const auto again = sh(kCli + " sweep " + (d / "a.yaml").string() + " --out " + out, true);
  EXPECT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("6 already finished"), std::string::npos) << again.out;
  EXPECT_EQ(sh(kCli + " merge " + out).status, 0);
  fs::remove_all(d);
}

TEST(Sweep, LatinHypercubeGivesTheSameTableSeriallyAsShardsAndUnderMpi) {
  const fs::path d = temp_dir("modes");
  serial_reference("sweeps/lhs2.yaml", d / "serial");
  const auto csv = read(d / "serial/merged.csv");
  EXPECT_NE(csv.find("index,hash,status,testing.cost_per_test,testing.success_base,share.hit_and_runner.mean"),
            std::string::npos) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 7);  // header + 6 points

  const std::string shards = (d / "shards").string();
  ASSERT_EQ(sh(kCli + " sweep sweeps/lhs2.yaml --quiet --shard 0/3 --out " + shards).status, 0);
  ASSERT_EQ(sh("SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 " + kCli + " sweep sweeps/lhs2.yaml --quiet --out " + shards)
                .status, 0);
  ASSERT_EQ(sh(kCli + " sweep sweeps/lhs2.yaml --quiet --shard 2/3 --out " + shards).status, 0);
  EXPECT_TRUE(fs::exists(d / "shards/shard_1_of_3.h5")) << "the shard index comes from SLURM_ARRAY_TASK_ID";
  const auto merged = sh(kCli + " merge " + shards + " --csv " + shards + "/merged.csv");
  ASSERT_EQ(merged.status, 0);
  EXPECT_NE(merged.out.find("merged 3 shard(s) of sweep lhs2: 6 of 6 points (6 ok, 0 failed, 0 missing)"),
            std::string::npos) << merged.out;
  expect_same_table(d / "serial", d / "shards");

  if (sh("command -v mpirun").status != 0) GTEST_SKIP() << "mpirun not found (apt-get install openmpi-bin): MPI mode untested";
  for (int np : {2, 3}) {
    const std::string mpi = (d / ("mpi" + std::to_string(np))).string();
    const auto run = sh(kMpiEnv + "mpirun -np " + std::to_string(np) + " --oversubscribe " + kCli +
                            " sweep sweeps/lhs2.yaml --out " + mpi, true);
    ASSERT_EQ(run.status, 0) << run.out;
    EXPECT_NE(run.out.find("6 ran (0 failed)"), std::string::npos) << run.out;
    EXPECT_TRUE(fs::exists(fs::path(mpi) / "rank_1_of_" += std::to_string(np) + ".h5")) << run.out;
    ASSERT_EQ(sh(kCli + " merge " + mpi + " --csv " + mpi + "/merged.csv").status, 0);
    expect_same_table(d / "serial", mpi);
  }
  fs::remove_all(d);
}

TEST(Sweep, RerunAfterPartialShardsRunsOnlyTheMissingPoints) {
  const fs::path d = temp_dir("partial");
  serial_reference("sweeps/lhs2.yaml", d / "reference");
  const std::string dir = (d / "run").string();
  ASSERT_EQ(sh(kCli + " sweep sweeps/lhs2.yaml --quiet --shard 0/3 --out " + dir).status, 0);
  ASSERT_EQ(sh(kCli + " sweep sweeps/lhs2.yaml --quiet --shard 2/3 --out " + dir).status, 0);
  const auto rerun = sh(kCli + " sweep sweeps/lhs2.yaml --out " + dir, true);
  ASSERT_EQ(rerun.status, 0);
  EXPECT_NE(rerun.out.find("6 point(s) in this shard: 4 already finished, 2 to run"), std::string::npos) << rerun.out;
  EXPECT_NE(rerun.out.find("point 1 ok"), std::string::npos) << rerun.out;
  EXPECT_NE(rerun.out.find("point 4 ok"), std::string::npos) << rerun.out;
  EXPECT_EQ(rerun.out.find("point 0 ok"), std::string::npos) << rerun.out;
  const auto again = sh(kCli + " sweep sweeps/lhs2.yaml --out " + dir, true);
  EXPECT_NE(again.out.find("6 already finished, 0 to run"), std::string::npos) << again.out;
  ASSERT_EQ(sh(kCli + " merge " + dir + " --csv " + dir + "/merged.csv").status, 0);
  expect_same_table(d / "reference", dir);
  fs::remove_all(d);
}

TEST(Sweep, KilledSweepResumesWhereItStopped) {
  const fs::path d = temp_dir("kill");
  serial_reference("sweeps/lhs2.yaml", d / "reference");
  const fs::path dir = d / "run";
  const fs::path shard = dir / "shard_0_of_1.h5";
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the sweep, one point at a time, killed below after its first finished point
    if (chdir(IMERSIM_TEST_DATA) != 0) _exit(127);
    execl(kCli.c_str(), kCli.c_str(), "sweep", "sweeps/lhs2.yaml", "--quiet", "--threads", "1", "--out",
          dir.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!fs::exists(shard) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(fs::exists(shard)) << "the sweep never wrote its shard";
  const auto partial = sh(kCli + " merge " + dir.string() + " --out " + (d / "partial.h5").string());
  std::smatch m;
  ASSERT_TRUE(std::regex_search(partial.out, m, std::regex(R"((\d+) of 6 points)"))) << partial.out;
  const int done = std::stoi(m[1]);
  if (WIFSIGNALED(status)) {  // killed mid-way (not already finished): the re-run does only the rest
    EXPECT_LT(done, 6);
    const auto rerun = sh(kCli + " sweep sweeps/lhs2.yaml --out " + dir.string(), true);
    ASSERT_EQ(rerun.status, 0) << rerun.out;
    EXPECT_NE(rerun.out.find(std::to_string(done) + " already finished, " + std::to_string(6 - done) + " to run"),
              std::string::npos) << rerun.out;
  }
  ASSERT_EQ(sh(kCli + " merge " + dir.string() + " --csv " + (dir / "merged.csv").string()).status, 0);
  expect_same_table(d / "reference", dir);
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos);
  fs::remove_all(d);
}

TEST(Sweep, FailedPointIsRecordedAndTheSweepGoesOn) {
  const fs::path d = temp_dir("failed");
  const auto run = sh(kCli + " sweep sweeps/grid_with_bad_point.yaml --out " + d.string(), true);
  ASSERT_EQ(run.status, 0) << run.out;
  EXPECT_NE(run.out.find("2 ran (1 failed)"), std::string::npos) << run.out;
  const auto merged = sh(kCli + " merge " + d.string() + " --csv " + (d / "t.csv").string(), true);
  EXPECT_NE(merged.out.find("2 of 2 points (1 ok, 1 failed, 0 missing)"), std::string::npos) << merged.out;
  EXPECT_NE(merged.out.find("point 1 failed: "), std::string::npos) << merged.out;
  const auto csv = read(d / "t.csv");
  EXPECT_NE(csv.find("1,"), std::string::npos);
  EXPECT_NE(csv.find(",failed,0.5,0.3,nan,nan,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("entry.skill_max (0.3) is below entry.skill_min (0.5)"), std::string::npos) << csv;
  // Failed points count as finished unless asked to retry them.
  EXPECT_NE(sh(kCli + " sweep sweeps/grid_with_bad_point.yaml --out " + d.string(), true).out.find("0 to run"),
            std::string::npos);
  EXPECT_NE(sh(kCli + " sweep sweeps/grid_with_bad_point.yaml --retry-failed --out " + d.string(), true).out.find("1 to run"),
            std::string::npos);
  // The retried point's record follows its failed one in the shard (3 rows for 2 points): the shard
  // still reads, resumes and merges.
  const auto again = sh(kCli + " sweep sweeps/grid_with_bad_point.yaml --retry-failed --out " + d.string(), true);
  EXPECT_EQ(again.status, 0) << again.out;
  const auto remerged = sh(kCli + " merge " + d.string(), true);
  EXPECT_EQ(remerged.status, 0) << remerged.out;
  EXPECT_NE(remerged.out.find("2 of 2 points"), std::string::npos) << remerged.out;
  fs::remove_all(d);
}

TEST(Sweep, SobolIndicesRankTheStrongParameterAboveTheInertOne) {
  const fs::path d = temp_dir("sobol");
  ASSERT_EQ(sh(kCli + " sweep sweeps/saltelli_inert.yaml --quiet --out " + d.string()).status, 0);
  const auto r = sh(kCli + " sensitivity " + d.string() + " --outcome population --bootstrap 200", true);
  ASSERT_EQ(r.status, 0) << r.out;
  const std::regex row(R"(\n  (\S+)\s+(-?[\d.]+|nan) \[\s*(-?[\d.]+|nan),\s*(-?[\d.]+|nan)\]\s+(-?[\d.]+|nan) \[)");
  std::vector<std::pair<std::string, double>> total;
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), row), end; it != end; ++it)
    total.emplace_back((*it)[1], std::stod((*it)[5]));
  ASSERT_EQ(total.size(), 2u) << r.out;
  EXPECT_EQ(total[0].first, "testing.success_base") << r.out;  // rows are sorted by total-order index
  EXPECT_GT(total[0].second, 0.5) << r.out;
  EXPECT_EQ(total[1].first, "shocks.whitelist_factor") << r.out;
  EXPECT_NEAR(total[1].second, 0.0, 1e-9) << "with common random numbers an inert parameter changes nothing\n" << r.out;
  EXPECT_NE(r.out.find("replicate noise"), std::string::npos);
  // A design without the Saltelli structure is refused with exit 2.
  const fs::path l = temp_dir("sobol_lhs");
  ASSERT_EQ(sh(kCli + " sweep sweeps/lhs2.yaml --quiet --out " + l.string()).status, 0);
  const auto bad = sh(kCli + " sensitivity " + l.string(), true);
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.out.find("sensitivity needs a saltelli design"), std::string::npos) << bad.out;
  fs::remove_all(d);
  fs::remove_all(l);
}

TEST(Sweep, InvalidSweepExits2AndWritesNothing) {
  const fs::path d = temp_dir("invalid") / "never";
  const auto r = sh(kCli + " sweep invalid/sweep_files/unknown_names.yaml --out " + d.string(), true);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("invalid/sweep_files/unknown_names.yaml:7:1: error: 'replicate': unknown key"), std::string::npos)
      << r.out;
  EXPECT_FALSE(fs::exists(d));
  EXPECT_EQ(sh(kCli + " sweep sweeps/lhs2.yaml --shard 3/3 --out " + d.string(), true).status, 2);
  EXPECT_FALSE(fs::exists(d));
}

}  // namespace

namespace {
// tools/slurm/submit_sweep.sh checks the task count and the sweep before it queues or creates
// anything, then queues the array and the merge job (sbatch is a stand-in that logs its arguments).
TEST(Sweep, SubmitScriptValidatesBeforeQueueing) {
  const fs::path d = temp_dir("submit");
  fs::create_directories(d / "bin");
  std::ofstream(d / "bin" / "sbatch") << "#!/bin/bash\necho \"$*\" >> " << (d / "sbatch.log").string() << "\necho 7\n";
  fs::permissions(d / "bin" / "sbatch", fs::perms::owner_all);
  const std::string script = std::string(IMERSIM_SOURCE_DIR) + "/tools/slurm/submit_sweep.sh";
  const std::string env = "cd " + d.string() + " && PATH=" + (d / "bin").string() + ":$PATH IMERSIM=" + kCli + " ";
  const std::string sweep = std::string(IMERSIM_TEST_DATA) + "/sweeps/lhs2.yaml";
  for (const char* tasks : {"0", "-3", "abc", "2.5"}) {
    const auto r = imersim::test::run_shell(env + script + " " + sweep + " " + (d / "out").string() + " " + tasks, true);
    EXPECT_EQ(r.status, 2) << tasks << ": " << r.out;
  }
  const auto bad = imersim::test::run_shell(
      env + script + " " + std::string(IMERSIM_TEST_DATA) + "/invalid/sweep_files/unknown_names.yaml " +
          (d / "out").string() + " 2",
      true);
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_FALSE(fs::exists(d / "sbatch.log"));  // nothing queued
  EXPECT_FALSE(fs::exists(d / "out"));          // nothing created
  const auto ok = imersim::test::run_shell(env + script + " " + sweep + " " + (d / "out").string() + " 3", true);
  ASSERT_EQ(ok.status, 0) << ok.out;
  const std::string log = read(d / "sbatch.log");
  EXPECT_NE(log.find("--array=0-2"), std::string::npos) << log;
  EXPECT_NE(log.find("--dependency=afterany:7"), std::string::npos) << log;
  fs::remove_all(d);
}
}  // namespace
