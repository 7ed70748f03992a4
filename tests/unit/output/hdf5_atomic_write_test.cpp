// Tests that write_hdf5 is atomic (temp file then rename) and rejects malformed RunOutput with clear IoErrors.
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "output/hdf5_writer.hpp"
#include "sample_run_output.hpp"

namespace imersim {
namespace {

using test::file_bytes;
using test::ScratchDir;
namespace fs = std::filesystem;

/// Runs write_hdf5 expecting an IoError; returns its message.
std::string write_error(const fs::path& path, const RunOutput& out) {
  try {
    write_hdf5(path, out);
  } catch (const IoError& e) {
    EXPECT_FALSE(e.resolution().empty()) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected IoError writing " << path;
  return {};
}

TEST(Hdf5AtomicWrite, SuccessLeavesNoTemporaryFileAndCreatesParents) {
  ScratchDir dir("atomic_ok");
  const auto path = dir / "nested/deeper/run.h5";
  write_hdf5(path, test::sample_run_output());
  EXPECT_TRUE(fs::is_regular_file(path));
  EXPECT_TRUE(test::temp_files_under(dir.path()).empty());
}

TEST(Hdf5AtomicWrite, ParentThatIsAFileIsAnIoErrorWithoutTemporaryFile) {
  ScratchDir dir("atomic_parent_file");
  std::ofstream(dir / "blocker") << "a file, not a directory\n";
  const std::string message = write_error(dir / "blocker/run.h5", test::sample_run_output());
  EXPECT_NE(message.find("blocker/run.h5"), std::string::npos) << message;
  EXPECT_NE(message.find("cannot create directory"), std::string::npos) << message;
  EXPECT_TRUE(test::temp_files_under(dir.path()).empty());
}

TEST(Hdf5AtomicWrite, UnwritableDirectoryIsAnIoErrorWithoutTemporaryFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: directory permissions do not stop root from writing";
  ScratchDir dir("atomic_readonly");
  fs::create_directory(dir / "locked");
  fs::permissions(dir / "locked", fs::perms::owner_read | fs::perms::owner_exec);
  const std::string message = write_error(dir / "locked/run.h5", test::sample_run_output());
  fs::permissions(dir / "locked", fs::perms::owner_all);
  EXPECT_NE(message.find("locked/run.h5"), std::string::npos) << message;
  EXPECT_NE(message.find("Permission denied"), std::string::npos) << "HDF5's reason is kept: " << message;
  EXPECT_TRUE(test::temp_files_under(dir.path()).empty());
  EXPECT_FALSE(fs::exists(dir / "locked/run.h5"));
}

TEST(Hdf5AtomicWrite, FailedWriteLeavesThePreviousFileUntouched) {
  ScratchDir dir("atomic_keep_previous");
  const auto path = dir / "run.h5";
  const RunOutput good = test::sample_run_output();
  write_hdf5(path, good);
  const std::string before = file_bytes(path);

  RunOutput bad = test::sample_run_output();
  bad.replicates[1][1].ints.pop_back();  // [1] is stage_counts: now 14 values for a 3 x 5 shape
  const std::string message = write_error(path, bad);
  EXPECT_NE(message.find("/replicate_001/stage_counts has 14 integer values but its shape [3, 5] needs 15"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(path.string()), std::string::npos) << message;

  EXPECT_EQ(file_bytes(path), before) << "the previous file must be untouched";
  EXPECT_TRUE(test::temp_files_under(dir.path()).empty());
  test::expect_same_output(good, read_hdf5(path));
}

TEST(Hdf5AtomicWrite, SuccessfulWriteReplacesAnExistingFile) {
  ScratchDir dir("atomic_replace");
  const auto path = dir / "run.h5";
  std::ofstream(path) << "old contents\n";
  const RunOutput out = test::sample_run_output();
  write_hdf5(path, out);
  test::expect_same_output(out, read_hdf5(path));
  EXPECT_TRUE(test::temp_files_under(dir.path()).empty());
}

TEST(Hdf5WriterValidation, MalformedRunOutputIsRejectedWithTheReason) {
  ScratchDir dir("validation");
  const auto path = dir / "run.h5";
  auto expect_rejected = [&](RunOutput out, const std::string& expected) {
    const std::string message = write_error(path, out);
    EXPECT_NE(message.find(expected), std::string::npos) << "expected '" << expected << "' in: " << message;
    EXPECT_FALSE(fs::exists(path));
    EXPECT_TRUE(test::temp_files_under(dir.path()).empty());
  };
  RunOutput out = test::sample_run_output();
  out.replicates[0][0].axes = {"month", "stage"};
  expect_rejected(out, "dataset /replicate_000/population has 2 axis names [month, stage] but 1 dimensions [3]");

  out = test::sample_run_output();
  out.replicates[0][0].name = "snapshot";
  expect_rejected(out, "dataset name 'snapshot' in /replicate_000 is reserved");

  out = test::sample_run_output();
  out.summary[0].name = "a/b";
  expect_rejected(out, "dataset name 'a/b' in /summary is not a valid HDF5 name");

  out = test::sample_run_output();
  out.replicates[0].push_back(out.replicates[0][0]);
  expect_rejected(out, "writing dataset /replicate_000/population");  // duplicate name: HDF5's own refusal

  out = test::sample_run_output();
  out.summary[0].ints = {1};
  expect_rejected(out, "dataset /summary/mean_population is real but also holds 1 integer values");

  out = test::sample_run_output();
  out.snapshots.pop_back();
  expect_rejected(out, "1 snapshot sets for 2 replicates");

  out = test::sample_run_output();
  out.attributes["format"] = "mine";
  expect_rejected(out, "attribute 'format' is reserved");
}

}  // namespace
}  // namespace imersim
