// No command writes over a file it needs, or over one the user gave as input, and output paths are
// checked before anything is simulated: bad paths, names that would leave their folder, options that
// do nothing, and a lever that a leverless state cannot continue all exit 2 with nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "shell_support.hpp"

namespace fs = std::filesystem;

namespace {

using imersim::test::run_shell;

const std::string kCli = IMERSIM_CLI;
const std::string kData = IMERSIM_TEST_DATA;
const std::string kTiny = kData + "/integration/tiny.yaml";

fs::path temp_dir(const std::string& name) { return imersim::test::fresh_temp_dir("imersim_outsafe_", name); }

std::string read(const fs::path& p) { return imersim::test::read_text(p); }

/// The files under `d`, as one sorted listing.
std::string listing(const fs::path& d) {
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(d)) names.push_back(fs::relative(e.path(), d).string());
  std::sort(names.begin(), names.end());
  std::string s;
  for (const auto& n : names) s += n + "\n";
  return s;
}

/// Runs `args` (after the CLI) and expects exit 2 with `message` in its output, and `d` unchanged.
void expect_refused(const std::string& args, const std::string& message, const fs::path& d) {
  const std::string before = listing(d);
  const auto r = run_shell(kCli + " " + args, true);
  EXPECT_EQ(r.status, 2) << args << "\n" << r.out;
  EXPECT_NE(r.out.find(message), std::string::npos) << args << "\n" << r.out;
  EXPECT_EQ(r.out.find("Hit-and-Runner"), std::string::npos) << "simulated before refusing: " << args;
  EXPECT_EQ(listing(d), before) << args;
}

TEST(OutputSafety, RunRefusesBadOutputPathsBeforeSimulating) {
  const fs::path d = temp_dir("run");
  const std::string q = " --quiet --replicates 1";
  fs::create_directories(d / "adir");
  expect_refused("run " + kTiny + q + " --out " + (d / "adir").string(), "it is a directory", d);
  expect_refused("run " + kTiny + q + " --out " + (d / "s.h5").string() + " --save-state " + (d / "s.h5").string(),
                 "also the output of --out", d);
  expect_refused("run " + kTiny + q + " --out " + kTiny, "also the input of SCENARIO", d);
  const std::string base = kData + "/../../configs/baseline.yaml";  // tiny.yaml's base:
  expect_refused("run " + kTiny + q + " --out " + base, "also the input of SCENARIO (its base:)", d);
  expect_refused("run " + kTiny + q + " --set name=../escaped", "cannot name an output file", d);
  expect_refused("run " + kTiny + q + " --save-at 3 --out " + (d / "x.h5").string(), "--save-at is given without --save-state", d);
  expect_refused("run " + kTiny + q + " --out /proc/imersim_not_here.h5", "cannot create a file", d);
  // A link to a file not written yet is that file: two outputs through it are one.
  fs::create_symlink("x.h5", d / "y.h5");
  expect_refused("run " + kTiny + q + " --out " + (d / "x.h5").string() + " --save-state " + (d / "y.h5").string(),
                 "also the output of --out", d);
  expect_refused("run " + kTiny + q + " --out " + (d / "newdir").string() + "/", "it ends with '/'", d);
  EXPECT_NE(read(kTiny).find("name: tiny"), std::string::npos);  // the scenario is intact
  fs::remove_all(d);
}

TEST(OutputSafety, ALeverStartingInTheBurnInCannotContinueALeverlessState) {
  const fs::path d = temp_dir("lever");
  const auto saved = run_shell(kCli + " run " + kTiny + " --quiet --replicates 1 --months 1 --save-state " +
                                   (d / "state.h5").string() + " --out " + (d / "b.h5").string(),
                               true);
  ASSERT_EQ(saved.status, 0) << saved.out;
  std::ofstream(d / "early.yaml") << "base: " << kTiny << "\npolicies:\n  training:\n    start: -3\n";
  expect_refused("run " + (d / "early.yaml").string() + " --quiet --replicates 1 --from " + (d / "state.h5").string() +
                     " --out " + (d / "e.h5").string(),
                 "policies.training.start", d);
  std::ofstream(d / "later.yaml") << "base: " << kTiny << "\npolicies:\n  training:\n    start: 0\n";
  const auto later = run_shell(kCli + " run " + (d / "later.yaml").string() + " --quiet --replicates 1 --from " +
                                   (d / "state.h5").string() + " --out " + (d / "l.h5").string(),
                               true);
  EXPECT_EQ(later.status, 0) << later.out;
  fs::remove_all(d);
}

TEST(OutputSafety, MergeNeverWritesOverAShard) {
  const fs::path d = temp_dir("merge");
  std::ofstream(d / "shard_0_of_1.h5") << "the only copy";
  expect_refused("merge " + d.string() + " --csv " + (d / "shard_0_of_1.h5").string(), "also the input of shard", d);
  expect_refused("merge " + d.string() + " --out " + (d / "shard_0_of_1.h5").string(), "also the input of shard", d);
  expect_refused("merge " + d.string() + " --csv " + d.string(), "it is a directory", d);
  EXPECT_EQ(read(d / "shard_0_of_1.h5"), "the only copy");
  fs::remove_all(d);
}

// Standard output redirected to a file: `--csv /dev/stdout` writes through the descriptor, after what
// the command printed, instead of replacing the file (which lost the lines printed after it).
TEST(OutputSafety, TextToDevStdoutKeepsWhatWasPrintedAroundIt) {
  const fs::path d = temp_dir("stdout");
  ASSERT_EQ(run_shell(kCli + " sweep " + kData + "/sweeps/lhs2.yaml --quiet --out " + (d / "sw").string()).status, 0);
  const fs::path log = d / "log.txt";
  const auto r = run_shell("(echo before; " + kCli + " merge " + (d / "sw").string() + " --csv /dev/stdout; echo after) > " +
                           log.string());
  EXPECT_EQ(r.status, 0);
  const std::string text = read(log);
  const auto header = text.find("index,hash,status,"), merged = text.find("merged 1 shard(s)");
  EXPECT_EQ(text.rfind("before\n", 0), 0u) << text;
  EXPECT_NE(header, std::string::npos) << text;
  EXPECT_NE(merged, std::string::npos) << text;
  EXPECT_LT(header, merged) << text;
  EXPECT_NE(text.find("after\n"), std::string::npos) << text;
  // HDF5 cannot go to a descriptor, and a closed one is refused before anything runs.
  expect_refused("merge " + (d / "sw").string() + " --out /dev/stdout", "open descriptor of this process", d);
  expect_refused("merge " + (d / "sw").string() + " --csv /dev/fd/47", "descriptor 47 is not open", d);
  fs::remove_all(d);
}

// An input file that is not HDF5 (or is truncated) is the user's bad input: exit 2 naming it.
TEST(OutputSafety, AnInputFileThatIsNotHdf5IsBadInput) {
  const fs::path d = temp_dir("inputs");
  std::ofstream(d / "notes.h5") << "not HDF5";
  expect_refused("run " + kTiny + " --quiet --from " + (d / "notes.h5").string() + " --out " + (d / "r.h5").string(),
                 "it is not an HDF5 file", d);
  fs::create_directories(d / "sweep");
  std::ofstream(d / "sweep" / "shard_0_of_1.h5") << "not HDF5";
  expect_refused("merge " + (d / "sweep").string() + " --out " + (d / "m.h5").string(), "shard_0_of_1.h5", d);
  fs::remove_all(d);
}

TEST(OutputSafety, CalibrateRestartReplacesOnlyACheckpoint) {
  const fs::path d = temp_dir("calibrate");
  std::ofstream(d / "notes.h5") << "not a checkpoint";
  expect_refused("calibrate " + kData + "/calibration/tiny.yaml --quiet --restart --evaluations " +
                     (d / "notes.h5").string() + " --out " + (d / "fit.yaml").string(),
                 "not a calibration checkpoint", d);
  EXPECT_EQ(read(d / "notes.h5"), "not a checkpoint");
  fs::remove_all(d);
}

// A calibration reads its base scenario (with its base: chain) and its targets: --out may be none of them.
TEST(OutputSafety, CalibrateNeverWritesOverItsBaseOrTargets) {
  const fs::path d = temp_dir("calibrate_inputs");
  const std::string cal = kData + "/calibration/tiny.yaml";
  const std::string base = kData + "/calibration/tiny_base.yaml", targets = kData + "/../../configs/targets/funnel.yaml";
  const std::string base_text = read(base), targets_text = read(targets);
  const std::string ev = " --quiet --evaluations " + (d / "e.h5").string();
  expect_refused("calibrate " + cal + ev + " --out " + base, "also the input of CALIBRATION's base", d);
  expect_refused("calibrate " + cal + ev + " --out " + targets, "also the input of CALIBRATION's targets", d);
  expect_refused("calibrate " + cal + ev + " --out " + kData + "/../../configs/baseline.yaml",
                 "also the input of CALIBRATION's base (its base:)", d);
  EXPECT_EQ(read(base), base_text);
  EXPECT_EQ(read(targets), targets_text);
  fs::remove_all(d);
}

// Input files that never end (/dev/zero) or whose name the file system refuses (a component over 255
// bytes) are bad input, exit 2 naming them: not an exhausted memory, not an internal error.
TEST(OutputSafety, EndlessOrUnnamableInputFilesAreBadInput) {
  const fs::path d = temp_dir("inputs");
  expect_refused("check /dev/zero", "larger than 64 MiB", d);
  expect_refused("validate " + kTiny + " --quiet --targets /dev/zero --out " + (d / "v.h5").string(), "larger than 64 MiB", d);
  const std::string long_name(300, 'x');
  std::ofstream(d / "long.yaml") << "name: long\nscenario: " << long_name << ".yaml\ndesign: {type: lhs, points: 2}\n"
                                 << "outcomes: [population]\nparameters:\n  exit.patience: {min: 3, max: 6}\n";
  expect_refused("sweep " + (d / "long.yaml").string() + " --dry-run --out " + (d / "out").string(), "not found", d);
  std::ofstream(d / "cal.yaml") << "name: cal\nbase: " << long_name << ".yaml\ntargets: " << long_name << ".yaml\n"
                                << "parameters:\n  ads.roas: {min: 3, max: 30}\noptimizer: {method: sbplx, budget: 2}\n";
  expect_refused("calibrate " + (d / "cal.yaml").string() + " --out " + (d / "f.yaml").string(), "cannot read base file", d);
  fs::remove_all(d);
}

// A file under a shard's name that is not a sweep table is bad input (exit 2) for sweep, as for merge.
TEST(OutputSafety, SweepRefusesADamagedShardInItsDirectory) {
  const fs::path d = temp_dir("sweep_shard");
  fs::create_directories(d / "out");
  std::ofstream(d / "out" / "shard_0_of_1.h5") << "garbage";
  expect_refused("sweep " + kData + "/sweeps/lhs2.yaml --quiet --out " + (d / "out").string(), "shard_0_of_1.h5", d);
  EXPECT_EQ(read(d / "out" / "shard_0_of_1.h5"), "garbage");
  fs::remove_all(d);
}

TEST(OutputSafety, OptionValuesThatMeanNothingAreRefused) {
  const fs::path d = temp_dir("options");
  expect_refused("sweep " + kData + "/sweeps/lhs2.yaml --dry-run --shard 2/2 --out " + (d / "sw").string(),
                 "shard 2/2 is not one of", d);
  expect_refused("compare " + kTiny + " " + kTiny + " --quiet --until-ci nan --out " + (d / "c.h5").string(),
                 "not a finite number", d);
  fs::remove_all(d);
}

}  // namespace
