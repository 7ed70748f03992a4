// tools/report.py end to end: a report with plots from a run, a validate and a compare file, and
// exit 2 without touching anything for files that hold no results and for an --out it must not replace.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "shell_support.hpp"

namespace fs = std::filesystem;

namespace {

using imersim::test::run_shell;

const std::string kCli = IMERSIM_CLI;
const std::string kData = IMERSIM_TEST_DATA;
const std::string kTiny = kData + "/integration/tiny.yaml";
const std::string kReport = "/usr/bin/python3 " + std::string(IMERSIM_SOURCE_DIR) + "/tools/report.py";

std::string read(const fs::path& p) { return imersim::test::read_text(p); }

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class Report : public ::testing::Test {
 protected:
  void SetUp() override {
    if (run_shell("/usr/bin/python3 -c 'import h5py, matplotlib'").status != 0)
      GTEST_SKIP() << "python3-h5py or python3-matplotlib not installed";
    d = imersim::test::fresh_temp_dir("imersim_report_", ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    if (!d.empty()) fs::remove_all(d);
  }
  fs::path d;
};

TEST_F(Report, RunAndValidateFilesGiveThePagesPlotsAndTables) {
  std::ofstream(d / "training.yaml") << "name: training\nbase: " << kTiny << "\npolicies:\n  training: {}\n";
  ASSERT_EQ(run_shell(kCli + " run " + (d / "training.yaml").string() + " --quiet --out " + (d / "run.h5").string()).status, 0);
  const auto r = run_shell(kReport + " " + (d / "run.h5").string(), true);
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string page = read(d / "run_report" / "index.html");
  for (const char* section : {"The funnel", "Population, entries and exits", "Cohorts: who stays, who climbs",
                              "Revenue per Imer", "Policy costs", "training"})
    EXPECT_NE(page.find(section), std::string::npos) << section;
  EXPECT_EQ(count(page, "data:image/png;base64,"), 6u);
  for (const char* png : {"funnel", "stage_shares", "population", "cohorts", "revenue", "policy_costs"})
    EXPECT_TRUE(fs::file_size(d / "run_report" / (std::string(png) + ".png")) > 1000) << png;
  EXPECT_NE(read(d / "run_report" / "report.json").find("\"kind\": \"run\""), std::string::npos);

  // validate exits 1 on this tiny population's FAIL but writes its file; the report adds the fit table.
  run_shell(kCli + " validate " + kTiny + " --quiet --out " + (d / "val.h5").string());
  ASSERT_TRUE(fs::exists(d / "val.h5"));
  ASSERT_EQ(run_shell(kReport + " " + (d / "val.h5").string() + " --out " + (d / "v").string() + " --title 'Tiny check'").status, 0);
  const std::string val = read(d / "v" / "index.html");
  EXPECT_NE(val.find("<title>Tiny check</title>"), std::string::npos);
  EXPECT_NE(val.find("Validation against the targets"), std::string::npos);
  EXPECT_NE(val.find("share.survivor"), std::string::npos);
  // A second report over the first replaces it (it is a report directory); nothing temporary is left.
  ASSERT_EQ(run_shell(kReport + " " + (d / "run.h5").string() + " --out " + (d / "v").string()).status, 0);
  EXPECT_EQ(read(d / "v" / "index.html").find("Validation against the targets"), std::string::npos);
  for (const auto& e : fs::directory_iterator(d)) EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos);
}

TEST_F(Report, CompareFileGivesDifferencesWithIntervalsAndCosts) {
  std::ofstream(d / "training.yaml") << "name: training\nbase: " << kTiny << "\npolicies:\n  training: {}\n";
  const auto c = run_shell(kCli + " compare " + kTiny + " " + (d / "training.yaml").string() + " --quiet --out " +
                               (d / "cmp.h5").string(),
                           true);
  ASSERT_EQ(c.status, 0) << c.out;
  const auto r = run_shell(kReport + " " + (d / "cmp.h5").string(), true);
  ASSERT_EQ(r.status, 0) << r.out;
  const std::string page = read(d / "cmp_report" / "index.html");
  EXPECT_NE(page.find("What each policy changes"), std::string::npos);
  EXPECT_NE(page.find("training against the baseline"), std::string::npos);
  EXPECT_NE(page.find("per additional Survivor-or-above Imer"), std::string::npos);
  EXPECT_NE(page.find("reached_survivor"), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "cmp_report" / "differences.png"));
}

TEST_F(Report, FilesWithoutResultsAndAForeignOutDirectoryExit2) {
  ASSERT_EQ(run_shell(kCli + " run " + kTiny + " --quiet --replicates 1 --months 1 --save-state " +
                      (d / "state.h5").string() + " --out " + (d / "run.h5").string())
                .status,
            0);
  std::ofstream(d / "notes.txt") << "not HDF5";
  fs::create_directories(d / "mine");
  std::ofstream(d / "mine" / "keep.txt") << "keep";
  const auto state = run_shell(kReport + " " + (d / "state.h5").string(), true);
  EXPECT_EQ(state.status, 2) << state.out;
  EXPECT_NE(state.out.find("state files and sweep tables hold no report"), std::string::npos) << state.out;
  EXPECT_EQ(run_shell(kReport + " " + (d / "notes.txt").string()).status, 2);
  EXPECT_EQ(run_shell(kReport + " " + (d / "missing.h5").string()).status, 2);
  const auto foreign = run_shell(kReport + " " + (d / "run.h5").string() + " --out " + (d / "mine").string(), true);
  EXPECT_EQ(foreign.status, 2) << foreign.out;
  EXPECT_EQ(read(d / "mine" / "keep.txt"), "keep");
  EXPECT_FALSE(fs::exists(d / "state_report"));
}

}  // namespace
