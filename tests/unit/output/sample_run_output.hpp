// Test fixtures for tests/unit/output: a representative RunOutput, equality checks, scratch dirs, shell commands.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/wait.h>
#include <vector>

#include "output/dataset.hpp"

namespace imersim::test {

namespace fs = std::filesystem;

inline Dataset int_dataset(std::string name, std::vector<std::size_t> shape, std::vector<std::string> axes,
                           std::string unit, std::int64_t first) {
  Dataset d{std::move(name), std::move(shape), std::move(axes), std::move(unit), "", true, {}, {}};
  d.description = "test integers " + d.name;
  for (std::size_t i = 0; i < d.size(); ++i) d.ints.push_back(first + static_cast<std::int64_t>(i) * 3 - 7);
  return d;
}

inline Dataset real_dataset(std::string name, std::vector<std::size_t> shape, std::vector<std::string> axes,
                            std::string unit, double scale) {
  Dataset d{std::move(name), std::move(shape), std::move(axes), std::move(unit), "", false, {}, {}};
  d.description = "test reals " + d.name + " in Rp 1 miliar – ü";
  for (std::size_t i = 0; i < d.size(); ++i) d.reals.push_back(scale * std::sin(static_cast<double>(i) + 0.25));
  return d;
}

/// Length of the 1-D `big_int` datasets: above 4096 elements, so they are stored compressed.
inline constexpr std::size_t kBigIntLength = 10000;

/// Two replicates of int and real datasets of 0..3 dimensions (one with a 0-length dimension, two with more than
/// 4096 elements), non-ASCII attributes, a 200 KB attribute, one snapshot per replicate and a summary.
inline RunOutput sample_run_output() {
  RunOutput out;
  out.attributes = {{"scenario_name", "baseline – ü"},
                    {"scenario_yaml", "name: baseline\nlabel: \"Rp 1 miliar – ü\"\n# " + std::string(200000, 'x')},
                    {"seed", "42"},
                    {"replicates", "2"},
                    {"empty", ""},
                    {"host", "ホスト"}};
  for (int r = 0; r < 2; ++r) {
    std::vector<Dataset> ds;
    ds.push_back(int_dataset("population", {3}, {"month"}, "agent", 1000 + r));
    ds.push_back(int_dataset("stage_counts", {3, 5}, {"month", "stage"}, "agent", 1 + 100 * r));
    ds.push_back(int_dataset("exits", {0, 5, 2}, {"month", "stage", "cause"}, "agent", 0));
    ds.push_back(real_dataset("revenue_quantiles", {3, 5, 3}, {"month", "stage", "quantile"}, "IDR/month", 1e6));
    ds.push_back(real_dataset("big_real", {1200, 5}, {"month", "stage"}, "IDR", 1e9 + r));
    ds.push_back(int_dataset("big_int", {kBigIntLength}, {"agent"}, "IDR", r));
    ds.push_back(real_dataset("empty_real", {0}, {"month"}, "share", 1.0));
    ds.push_back(real_dataset("total", {}, {}, "IDR", 2.5 + r));
    out.replicates.push_back(std::move(ds));
    out.snapshots.push_back({real_dataset("revenue", {4}, {"agent"}, "IDR/month", 5e5),
                             int_dataset("stage", {4}, {"agent"}, "", r)});
  }
  out.summary = {real_dataset("mean_population", {3}, {"month"}, "agent", 1000.0)};
  return out;
}

/// The dataset called `name` in `datasets` (a test failure when there is none).
inline const Dataset& named(const std::vector<Dataset>& datasets, const std::string& name) {
  for (const auto& d : datasets) {
    if (d.name == name) return d;
  }
  ADD_FAILURE() << "no dataset " << name;
  return datasets.front();
}

inline void expect_same_dataset(const Dataset& a, const Dataset& b, const std::string& where) {
  SCOPED_TRACE(where + "/" + a.name);
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.shape, b.shape);
  EXPECT_EQ(a.axes, b.axes);
  EXPECT_EQ(a.unit, b.unit);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.is_int, b.is_int);
  EXPECT_EQ(a.ints, b.ints);
  EXPECT_EQ(a.reals, b.reals);  // exact: float64 round-trips bit for bit
}

inline void expect_same_datasets(const std::vector<Dataset>& a, const std::vector<Dataset>& b,
                                 const std::string& where) {
  ASSERT_EQ(a.size(), b.size()) << where;
  for (std::size_t i = 0; i < a.size(); ++i) expect_same_dataset(a[i], b[i], where);
}

inline void expect_same_output(const RunOutput& a, const RunOutput& b) {
  EXPECT_EQ(a.attributes, b.attributes);
  ASSERT_EQ(a.replicates.size(), b.replicates.size());
  for (std::size_t r = 0; r < a.replicates.size(); ++r)
    expect_same_datasets(a.replicates[r], b.replicates[r], "replicate " + std::to_string(r));
  ASSERT_EQ(a.snapshots.size(), b.snapshots.size());
  for (std::size_t r = 0; r < a.snapshots.size(); ++r)
    expect_same_datasets(a.snapshots[r], b.snapshots[r], "snapshot " + std::to_string(r));
  expect_same_datasets(a.summary, b.summary, "summary");
}

/// The bytes of a file ("" when it cannot be read).
inline std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A fresh, empty scratch directory unique to this process and `name`, removed by the destructor.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name)
      : path_(fs::temp_directory_path() / ("imersim_test_output_" + std::to_string(::getpid()) + "_" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

/// Names of leftover temporary files ("*.tmp.*") anywhere under `dir`.
inline std::vector<std::string> temp_files_under(const fs::path& dir) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().find(".tmp.") != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

/// Output of a shell command (stdout and stderr) and its exit status.
struct CommandResult {
  int status = -1;
  std::string output;
};

inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer{};
  std::size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int raw = ::pclose(pipe);
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return result;
}

/// Single-quotes `text` for /bin/sh.
inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace imersim::test
