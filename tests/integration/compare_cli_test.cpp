// `imersim compare` and `imersim run --save-state` end to end: the table and HDF5 file, branching
// from a saved state, and bad input exiting 2 with nothing written.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;

namespace {

/// Runs `args` with the CLI, stdout to `out`; returns the exit status.
int cli(const std::string& args, const fs::path& out) {
  const int rc = std::system((std::string(IMERSIM_CLI) + " " + args + " > " + out.string() + " 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

std::string text(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::string kSmall =
    " --set entry.per_month=500 --set population.initial_agents=1000 --set run.burn_in_months=12 --months 12"
    " --replicates 2 --threads 2 -q";

TEST(CompareCli, SavesBranchesAndReports) {
  const fs::path d = fs::temp_directory_path() / ("imersim_compare_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  const std::string scen = std::string(IMERSIM_SOURCE_DIR) + "/scenarios/";
  ASSERT_EQ(cli("run " + scen + "baseline.yaml" + kSmall + " --out " + (d / "b.h5").string() + " --save-state " +
                    (d / "state.h5").string() + " --save-at 10",
                d / "run.txt"),
            0)
      << text(d / "run.txt");
  EXPECT_NE(text(d / "run.txt").find("saved the state after month 10"), std::string::npos);
  ASSERT_EQ(cli("compare " + scen + "baseline.yaml " + scen + "policy_training.yaml " + scen + "policy_insurance.yaml" +
                    kSmall + " --from " + (d / "state.h5").string() + " --out " + (d / "c.h5").string(),
                d / "cmp.txt"),
            0)
      << text(d / "cmp.txt");
  const std::string table = text(d / "cmp.txt");
  EXPECT_NE(table.find("policy_training vs baseline (2 paired replicates"), std::string::npos) << table;
  EXPECT_NE(table.find("policy_insurance vs baseline"), std::string::npos);
  EXPECT_NE(table.find("government IDR per additional Survivor+"), std::string::npos);
  EXPECT_TRUE(fs::exists(d / "c.h5"));
  // Bad input: a scenario that does not fit the state -> exit 2, nothing written.
  EXPECT_EQ(cli("compare " + scen + "baseline.yaml " + scen + "policy_training.yaml" + kSmall +
                    " --set testing.supplier_bonus=2 --from " + (d / "state.h5").string() + " --out " +
                    (d / "bad.h5").string(),
                d / "bad.txt"),
            2);
  EXPECT_NE(text(d / "bad.txt").find("cannot continue from state"), std::string::npos) << text(d / "bad.txt");
  EXPECT_FALSE(fs::exists(d / "bad.h5"));
  EXPECT_EQ(cli("run " + scen + "baseline.yaml" + kSmall + " --save-state " + (d / "x.h5").string() + " --save-at 13",
                d / "late.txt"),
            2);
  EXPECT_FALSE(fs::exists(d / "x.h5"));
  fs::remove_all(d);
}

}  // namespace
