// The CLI end to end: run, thread invariance of the HDF5 file, strict errors with exit 2 and no
// output, check/config round trip, and reading the file with independent readers.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "model/block_step.hpp"
#include "shell_support.hpp"

namespace fs = std::filesystem;

namespace {

using Result = imersim::test::ShellResult;

/// Runs a shell command, returns its exit status and stdout (stderr merged when `merge`).
Result sh(const std::string& cmd, bool merge = false) { return imersim::test::run_shell(cmd, merge); }

const std::string kCli = IMERSIM_CLI;
const std::string kData = IMERSIM_TEST_DATA;

fs::path temp_dir(const std::string& name) { return imersim::test::fresh_temp_dir("imersim_cli_", name); }

TEST(Cli, VersionNamesVersionAndCommit) {
  auto r = sh(kCli + " --version");
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("imersim 0."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("commit"), std::string::npos) << r.out;
}

TEST(Cli, RunPrintsStageTableAndOutputIsIdenticalAcrossThreadCounts) {
  const fs::path d = temp_dir("threads");
  const std::string scen = kData + "/integration/tiny.yaml";
  auto a = sh(kCli + " run " + scen + " --threads 1 --quiet --out " + (d / "a.h5").string());
  ASSERT_EQ(a.status, 0) << a.out;
  EXPECT_NE(a.out.find("Hit-and-Runner"), std::string::npos);
  EXPECT_NE(a.out.find("observed %"), std::string::npos);
  auto b = sh(kCli + " run " + scen + " --threads 2 --quiet --out " + (d / "b.h5").string());
  ASSERT_EQ(b.status, 0) << b.out;
  // Datasets (and their attributes) identical; root attributes differ only by run-time facts.
  for (const char* group : {"/replicate_000", "/replicate_001", "/summary", "/meta"}) {
    auto diff = sh("h5diff " + (d / "a.h5").string() + " " + (d / "b.h5").string() + " " + group + " " + group, true);
    EXPECT_EQ(diff.status, 0) << group << ": " << diff.out;
  }
  // And a different seed gives a different file.
  auto c = sh(kCli + " run " + scen + " --seed 7 --quiet --out " + (d / "c.h5").string());
  ASSERT_EQ(c.status, 0);
  EXPECT_EQ(sh("h5diff -q " + (d / "a.h5").string() + " " + (d / "c.h5").string() + " /replicate_000 /replicate_000").status, 1);
  // No temporary file left next to the outputs.
  for (const auto& e : fs::directory_iterator(d)) EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos);
  fs::remove_all(d);
}

TEST(Cli, ThreeProblemsReportedAtOnceExit2NothingWritten) {
  const fs::path d = temp_dir("bad");
  const fs::path out = d / "never.h5";
  auto r = sh("cd " + kData + " && " + kCli + " run integration/three_problems.yaml --quiet --out " + out.string(), true);
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_NE(r.out.find("integration/three_problems.yaml:4:3: error: 'testing.cost_per_tset': unknown key"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean 'testing.cost_per_test'?"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("integration/three_problems.yaml:5:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("integration/three_problems.yaml:7:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("out of range"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
  EXPECT_TRUE(fs::is_empty(d)) << "no temporary or partial file may be left";
  // --set goes through the same checks.
  auto s = sh(kCli + " run " + kData + "/integration/tiny.yaml --set ads.roas=-1 --out " + out.string(), true);
  EXPECT_EQ(s.status, 2) << s.out;
  EXPECT_NE(s.out.find("--set"), std::string::npos) << s.out;
  EXPECT_FALSE(fs::exists(out));
  fs::remove_all(d);
}

TEST(Cli, KernelVariableChangesNoBitAndABadOneExits2) {
  const fs::path d = temp_dir("kernel");
  const std::string scen = kData + "/integration/tiny.yaml";
  const auto run = [&](const std::string& env, const std::string& name) {
    auto r = sh(env + " " + kCli + " run " + scen + " --quiet --out " + (d / name).string());
    EXPECT_EQ(r.status, 0) << env << ": " << r.out;
    return r.status == 0;
  };
  const auto expect_same_as_default = [&](const std::string& name) {
    for (const char* group : {"/replicate_000", "/replicate_001", "/summary"}) {
      auto diff = sh("h5diff " + (d / name).string() + " " + (d / "default.h5").string() + " " + group + " " + group, true);
      EXPECT_EQ(diff.status, 0) << name << " " << group << ": " << diff.out;
    }
  };
  ASSERT_TRUE(run("", "default.h5"));
  if (run("IMERSIM_KERNEL=scalar", "scalar.h5")) expect_same_as_default("scalar.h5");
  // The kernel's AVX2 build, where the default is AVX-512.
  if (imersim::block_isa_supported(imersim::BlockIsa::Avx2) && run("IMERSIM_KERNEL=avx2", "avx2.h5")) expect_same_as_default("avx2.h5");
  // A CPU without FMA, AVX2 or AVX-512 as glibc sees it (it then picks other exp/log/pow builds) and
  // the scalar agent loop: the model's math is the portable one (core/portable_math.hpp), so the same bits.
  if (run("GLIBC_TUNABLES=glibc.cpu.hwcaps=-FMA,-FMA4,-AVX2,-AVX512F IMERSIM_KERNEL=scalar", "old_cpu.h5"))
    expect_same_as_default("old_cpu.h5");
  auto bad = sh("IMERSIM_KERNEL=sse9 " + kCli + " run " + scen + " --quiet --out " + (d / "bad.h5").string(), true);
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("IMERSIM_KERNEL"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("scalar, avx2 or avx512"), std::string::npos) << bad.out;
  EXPECT_FALSE(fs::exists(d / "bad.h5"));
  fs::remove_all(d);
}

TEST(Cli, CheckAndConfigRoundTrip) {
  const fs::path d = temp_dir("config");
  EXPECT_EQ(sh(kCli + " check " + kData + "/integration/tiny.yaml").status, 0);
  EXPECT_EQ(sh(kCli + " check " + kData + "/integration/tiny.yaml " + kData + "/integration/three_problems.yaml").status, 2);
  auto cfg = sh(kCli + " config " + kData + "/integration/tiny.yaml --set ads.roas=7.5");
  ASSERT_EQ(cfg.status, 0);
  std::ofstream(d / "resolved.yaml") << cfg.out;
  auto again = sh(kCli + " config " + (d / "resolved.yaml").string());
  ASSERT_EQ(again.status, 0);
  EXPECT_NE(again.out.find("roas: 7.5"), std::string::npos) << again.out;
  fs::remove_all(d);
}

TEST(Cli, CheckTellsCalibrationSweepAndTargetFilesFromScenarios) {
  // Each kind is read by its own loader: no "unknown key" errors for keys that kind has.
  const auto ok = sh(kCli + " check " + kData + "/integration/tiny.yaml " + kData + "/calibration/tiny.yaml " + kData +
                     "/sweeps/lhs2.yaml " + kData + "/targets/cohort.yaml");
  EXPECT_EQ(ok.status, 0) << ok.out;
  for (const char* what : {"(scenario ", "(calibration tiny: 2 free parameter(s)", "(sweep lhs2: 6 point(s) x 2 replicate(s)",
                           "(targets "})
    EXPECT_NE(ok.out.find(what), std::string::npos) << what << "\n" << ok.out;
  // A bad calibration file gets the calibration loader's errors, located.
  const auto bad = sh(kCli + " check " + kData + "/calibration/invalid/many_problems.yaml", true);
  EXPECT_EQ(bad.status, 2) << bad.out;
  EXPECT_NE(bad.out.find("many_problems.yaml:12:11: error: 'optimizer.method': 'lbfgs' is not one of"), std::string::npos)
      << bad.out;
  EXPECT_EQ(bad.out.find("unknown key 'optimizer"), std::string::npos) << bad.out;
  // --set changes scenarios only; --kind forces a reading.
  const auto set = sh(kCli + " check " + kData + "/targets/cohort.yaml --set ads.roas=3", true);
  EXPECT_EQ(set.status, 2) << set.out;
  EXPECT_NE(set.out.find("--set applies to scenario files only, and this is a targets file"), std::string::npos) << set.out;
  const auto forced = sh(kCli + " check --kind scenario " + kData + "/targets/cohort.yaml", true);
  EXPECT_EQ(forced.status, 2) << forced.out;
  EXPECT_NE(forced.out.find("unknown key 'shares"), std::string::npos) << forced.out;
  EXPECT_EQ(sh(kCli + " check --kind targets " + kData + "/integration/tiny.yaml").status, 2);
  EXPECT_EQ(sh(kCli + " check --kind sweeps " + kData + "/integration/tiny.yaml").status, 2);
}

TEST(Cli, FileReadableByH5dumpAndH5py) {
  const fs::path d = temp_dir("readers");
  const std::string f = (d / "run.h5").string();
  ASSERT_EQ(sh(kCli + " run " + kData + "/integration/tiny.yaml --quiet --snapshot --out " + f).status, 0);
  auto dump = sh("h5dump -A " + f);
  ASSERT_EQ(dump.status, 0);
  for (const char* attr : {"scenario_yaml", "seed", "imersim_version", "git_commit", "build_type", "threads", "host",
                           "start_time", "end_time"})
    EXPECT_NE(dump.out.find(attr), std::string::npos) << attr;
  EXPECT_EQ(sh("h5dump -d /replicate_000/snapshot/capital " + f).status, 0);
  if (sh("/usr/bin/python3 -c 'import h5py'").status != 0) GTEST_SKIP() << "python3-h5py not installed";
  const std::string py =
      "import h5py,sys\n"
      "f=h5py.File(sys.argv[1],'r')\n"
      "c=f['replicate_000/stage_counts'][...]\n"
      "p=f['replicate_000/population'][...]\n"
      "assert (c.sum(axis=1)==p).all()\n"
      "print('ok', c.shape[0], f.attrs['seed'])\n";
  std::ofstream(d / "read.py") << py;
  auto r = sh("/usr/bin/python3 " + (d / "read.py").string() + " " + f, true);
  EXPECT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("ok 12 20231001"), std::string::npos) << r.out;
  fs::remove_all(d);
}

// docs/outputs.md's table of per-replicate datasets is what a run writes (tools/outputs_table.py
// regenerates it), and the check notices a table that differs.
TEST(Cli, OutputsDocListsEveryDatasetARunWrites) {
  if (sh("/usr/bin/python3 -c 'import h5py'").status != 0) GTEST_SKIP() << "python3-h5py not installed";
  const fs::path d = temp_dir("outputs_doc");
  const std::string f = (d / "run.h5").string();
  ASSERT_EQ(sh(kCli + " run " + kData + "/integration/tiny.yaml --quiet --replicates 1 --out " + f).status, 0);
  const std::string tool = std::string(IMERSIM_SOURCE_DIR) + "/tools/outputs_table.py";
  const std::string doc = std::string(IMERSIM_SOURCE_DIR) + "/docs/outputs.md";
  auto r = sh("/usr/bin/python3 " + tool + " " + f + " --check " + doc, true);
  EXPECT_EQ(r.status, 0) << "docs/outputs.md is stale: regenerate its table with tools/outputs_table.py\n" << r.out;
  std::ifstream in(doc);
  std::stringstream text;
  text << in.rdbuf();
  std::string changed = text.str();
  const auto at = changed.find("| `population` |");
  ASSERT_NE(at, std::string::npos);
  changed.replace(at, 16, "| `populace` |");
  std::ofstream(d / "changed.md") << changed;
  EXPECT_EQ(sh("/usr/bin/python3 " + tool + " " + f + " --check " + (d / "changed.md").string()).status, 1);
  fs::remove_all(d);
}

}  // namespace

namespace {
TEST(Cli, OutcomesListsTheRegistry) {
  const auto r = sh(kCli + " outcomes");
  EXPECT_EQ(r.status, 0);
  for (const char* name : {"share.challenger", "survival_24", "gmv_monthly", "government_cost"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name << "\n" << r.out;
  const auto md = sh(kCli + " outcomes --markdown");
  EXPECT_EQ(md.out.rfind("| outcome | unit | meaning |", 0), 0u) << md.out;
}
}  // namespace

// bench --repeat K times the same months K times from the same start: the same agent-months every
// time (the model is deterministic), one line each, then a summary whose best >= median >= worst.
TEST(Cli, BenchRepeatTimesTheSameMonthsAndSummarises) {
  auto r = sh(kCli + " bench --agents 3000 --months 2 --threads 1 --repeat 3");
  ASSERT_EQ(r.status, 0) << r.out;
  std::vector<std::string> agent_months;
  std::size_t pos = 0;
  while ((pos = r.out.find("bench: start=newcomers", pos)) != std::string::npos) {
    const std::size_t a = r.out.find("agent_months=", pos) + 13;
    agent_months.push_back(r.out.substr(a, r.out.find(' ', a) - a));
    ++pos;
  }
  ASSERT_EQ(agent_months.size(), 3u) << r.out;
  EXPECT_EQ(agent_months[0], agent_months[1]);
  EXPECT_EQ(agent_months[0], agent_months[2]);
  EXPECT_GT(std::stoll(agent_months[0]), 0);
  const std::size_t s = r.out.find("bench summary: repeats=3 ");
  ASSERT_NE(s, std::string::npos) << r.out;
  auto value = [&](const std::string& key) {
    const std::size_t k = r.out.find(key + "=", s) + key.size() + 1;
    return std::stod(r.out.substr(k, r.out.find_first_of(" \n", k) - k));
  };
  const double best = value("agent_months_per_s_best"), median = value("agent_months_per_s_median"),
               worst = value("agent_months_per_s_worst");
  EXPECT_GE(best, median);
  EXPECT_GE(median, worst);
  EXPECT_GT(worst, 0.0);
  // One timing prints no summary; zero repeats is refused with exit 2.
  auto one = sh(kCli + " bench --agents 1000 --months 1 --threads 1");
  ASSERT_EQ(one.status, 0) << one.out;
  EXPECT_EQ(one.out.find("bench summary"), std::string::npos) << one.out;
  auto zero = sh(kCli + " bench --agents 1000 --months 1 --repeat 0", true);
  EXPECT_EQ(zero.status, 2) << zero.out;
  EXPECT_NE(zero.out.find("--repeat"), std::string::npos) << zero.out;
}

// The bench line says which code it timed: the CPU's widest kernel, the one IMERSIM_KERNEL names, or
// step_agent (scalar) where the parameters keep the kernel out (more than 4 tests a month).
TEST(Cli, BenchSaysWhichKernelItTimed) {
  const auto kernel = [](const std::string& out) {
    const std::size_t k = out.find(" kernel=");
    return k == std::string::npos ? std::string("(none)") : out.substr(k + 8, out.find_first_of(" \n", k + 8) - k - 8);
  };
  auto fastest = sh(kCli + " bench --agents 2000 --months 1 --threads 1");
  ASSERT_EQ(fastest.status, 0) << fastest.out;
  EXPECT_EQ(kernel(fastest.out), imersim::block_isa_name(imersim::block_isa_default_for_cpu())) << fastest.out;
  auto scalar = sh("IMERSIM_KERNEL=scalar " + kCli + " bench --agents 2000 --months 1 --threads 1");
  ASSERT_EQ(scalar.status, 0) << scalar.out;
  EXPECT_EQ(kernel(scalar.out), "scalar") << scalar.out;
  auto many_tests = sh(kCli + " bench --scenario " + std::string(IMERSIM_SOURCE_DIR) +
                       "/scenarios/baseline.yaml --set testing.max_tests_per_month=6 --agents 2000 --months 1 --threads 1");
  ASSERT_EQ(many_tests.status, 0) << many_tests.out;
  EXPECT_EQ(kernel(many_tests.out), "scalar") << many_tests.out;
}
