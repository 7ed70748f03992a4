// `imersim calibrate` end to end on a tiny case: a calibration killed (SIGKILL) mid-way resumes
// from its checkpoint without re-simulating and ends with the same fitted file and evaluations as an
// uninterrupted run; the fitted file is a valid scenario; bad calibration files exit 2.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <regex>
#include <thread>

#include "validate_cli_support.hpp"

namespace imersim::cli_test {
namespace {

namespace fs = std::filesystem;
const std::string kTiny = std::string(IMERSIM_TEST_DATA) + "/calibration/tiny.yaml";
const std::string kArgs = " --out cfg.yaml --evaluations ev.h5";

/// The fitted file without its comment lines (which hold dates and counts).
std::string fitted_lines(const fs::path& p) {
  std::istringstream in(slurp(p));
  std::string kept;
  for (std::string line; std::getline(in, line);)
    if (line.rfind('#', 0) != 0) kept += line + "\n";
  return kept;
}

/// Starts the CLI in `dir`, stderr to err.txt, and SIGKILLs it once a progress line matches `line`.
void kill_when(const fs::path& dir, const std::string& args, const std::string& line) {
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string cmd = "cd '" + dir.string() + "' && exec '" + IMERSIM_CLI + "' " + args + " 2>err.txt >/dev/null";
    execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (slurp(dir / "err.txt").find(line) == std::string::npos && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

TEST(CalibrateCli, KilledRunResumesAndMatchesAnUninterruptedRun) {
  const auto whole = scratch("calibrate_whole");
  const auto r = cli(whole, "calibrate " + kTiny + kArgs + " --threads 2");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("testing.success_base"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("evaluation 0 [start] simulated"), std::string::npos) << r.err;  // progress on stderr

  const auto killed = scratch("calibrate_killed");
  kill_when(killed, "calibrate " + kTiny + kArgs + " --threads 1", "evaluation 3 ");
  EXPECT_FALSE(fs::exists(killed / "cfg.yaml")) << "the run finished before it could be killed";
  const auto resumed = cli(killed, "calibrate " + kTiny + kArgs + " --threads 1");
  ASSERT_EQ(resumed.status, 0) << resumed.out << resumed.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(resumed.out, m, std::regex(R"((\d+) simulated now, (\d+) reused)"))) << resumed.out;
  EXPECT_GE(std::stoi(m[2]), 4) << "evaluations 0-3 were checkpointed before the kill";
  EXPECT_NE(resumed.err.find("evaluation 0 [start] from checkpoint"), std::string::npos) << resumed.err;
  EXPECT_EQ(fitted_lines(whole / "cfg.yaml"), fitted_lines(killed / "cfg.yaml"));
  const auto diff = shell(whole, "h5diff ev.h5 '" + (killed / "ev.h5").string() + "' /summary /summary");
  EXPECT_EQ(diff.status, 0) << diff.out;

  // Its budget is too small for the optimum: a profile point fits better than the search's best, and
  // the run, the fitted file and --report all say so, naming that evaluation.
  const std::string note = "NOTE: a profile point (evaluation 10) reached objective";
  EXPECT_NE(r.out.find(note), std::string::npos) << r.out;
  EXPECT_NE(slurp(whole / "cfg.yaml").find("#   " + note), std::string::npos);
  const auto report = cli(whole, "calibrate " + kTiny + " --evaluations ev.h5 --report");
  ASSERT_EQ(report.status, 0) << report.err;
  EXPECT_NE(report.out.find(note), std::string::npos) << report.out;

  // The fitted file is a valid scenario.
  const auto check = cli(whole, "check cfg.yaml");
  EXPECT_EQ(check.status, 0) << check.out << check.err;
  fs::remove_all(whole);
  fs::remove_all(killed);
}

TEST(CalibrateCli, StopAfterThenResume) {
  const auto d = scratch("calibrate_stop");
  const auto stopped = cli(d, "calibrate " + kTiny + kArgs + " --stop-after 2 --quiet");
  ASSERT_EQ(stopped.status, 0) << stopped.err;
  EXPECT_NE(stopped.out.find("stopped after 2 new evaluation(s)"), std::string::npos) << stopped.out;
  EXPECT_FALSE(fs::exists(d / "cfg.yaml"));
  const auto resumed = cli(d, "calibrate " + kTiny + kArgs + " --quiet");
  ASSERT_EQ(resumed.status, 0) << resumed.err;
  EXPECT_TRUE(fs::exists(d / "cfg.yaml"));
  fs::remove_all(d);
}

// Levenberg-Marquardt's Jacobian stencil gives linearised widths: in the fitted file, on stdout, and
// from `--report`, which simulates nothing and reads any commit's evaluations; without evaluations
// --report exits 2.
TEST(CalibrateCli, LevenbergMarquardtReportsLinearisedWidths) {
  const auto d = scratch("calibrate_widths");
  const std::string lm = std::string(IMERSIM_TEST_DATA) + "/calibration/tiny_lm.yaml";
  const auto r = cli(d, "calibrate " + lm + kArgs + " --quiet --threads 2");
  ASSERT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("linearised widths around the best point, Jacobian at evaluation"), std::string::npos) << r.out;
  EXPECT_NE(slurp(d / "cfg.yaml").find("# linearised widths around the best point"), std::string::npos);
  EXPECT_NE(slurp(d / "cfg.yaml").find("#   ads.roas "), std::string::npos) << slurp(d / "cfg.yaml");
  const auto report = cli(d, "calibrate " + lm + " --evaluations ev.h5 --report");
  ASSERT_EQ(report.status, 0) << report.err;
  EXPECT_NE(report.out.find("evaluation(s) in ev.h5; best: evaluation"), std::string::npos) << report.out;
  EXPECT_NE(report.out.find("  testing.success_base "), std::string::npos) << report.out;
  const auto widths = r.out.substr(r.out.find("linearised"), r.out.find("wrote ") - r.out.find("linearised"));
  EXPECT_EQ(report.out.substr(report.out.find("linearised")), widths);  // the same numbers, nothing simulated
  const auto missing = cli(d, "calibrate " + lm + " --evaluations nothing.h5 --report");
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("no evaluations to report"), std::string::npos) << missing.err;
  fs::remove_all(d);
}

TEST(CalibrateCli, InvalidFileExits2AndWritesNothing) {
  const auto d = scratch("calibrate_bad");
  const auto r = cli(d, "calibrate " + std::string(IMERSIM_TEST_DATA) + "/calibration/invalid/many_problems.yaml" + kArgs);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("'lbfgs' is not one of bobyqa, neldermead, sbplx, levenberg_marquardt"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(d / "cfg.yaml"));
  EXPECT_FALSE(fs::exists(d / "ev.h5"));
  fs::remove_all(d);
}

}  // namespace
}  // namespace imersim::cli_test
