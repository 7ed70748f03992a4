// Tests that independent readers (h5dump, h5diff, h5py) see what write_hdf5 wrote, and that output is reproducible.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <numeric>
#include <sstream>
#include <thread>

#include "output/hdf5_writer.hpp"
#include "sample_run_output.hpp"

namespace imersim {
namespace {

using test::file_bytes;
using test::run_command;
using test::ScratchDir;
using test::shell_quote;
namespace fs = std::filesystem;

constexpr const char* kPython = "/usr/bin/python3";

bool tool_available(const std::string& probe) { return run_command(probe).status == 0; }

std::string h5dump(const std::string& options, const fs::path& file) {
  const auto result = run_command(fmt::format("h5dump {} {}", options, shell_quote(file.string())));
  EXPECT_EQ(result.status, 0) << result.output;
  return result.output;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(Hdf5ExternalReaders, H5dumpSeesAttributesAndValues) {
  if (!tool_available("h5dump --version")) GTEST_SKIP() << "h5dump not installed (Debian package hdf5-tools)";
  ScratchDir dir("h5dump");
  const RunOutput out = test::sample_run_output();
  const auto file = dir / "run.h5";
  write_hdf5(file, out);

  const std::string attributes = h5dump("-A", file);
  EXPECT_TRUE(contains(attributes, "ATTRIBUTE \"format\"")) << attributes.substr(0, 2000);
  EXPECT_TRUE(contains(attributes, "(0): \"imersim-run/1\""));
  EXPECT_TRUE(contains(attributes, "ATTRIBUTE \"seed\""));
  EXPECT_TRUE(contains(attributes, "(0): \"42\""));
  EXPECT_TRUE(contains(attributes, "CSET H5T_CSET_UTF8"));
  EXPECT_TRUE(contains(attributes, "STRSIZE H5T_VARIABLE"));

  const Dataset& counts = test::named(out.replicates[0], "stage_counts");
  const std::string dump = h5dump("-d /replicate_000/stage_counts", file);
  EXPECT_TRUE(contains(dump, "DATATYPE  H5T_STD_I64LE")) << dump;
  EXPECT_TRUE(contains(dump, "DATASPACE  SIMPLE { ( 3, 5 ) / ( 3, 5 ) }")) << dump;
  for (std::size_t row = 0; row < 3; ++row) {
    const std::vector<std::int64_t> values(counts.ints.begin() + static_cast<std::ptrdiff_t>(row * 5),
                                           counts.ints.begin() + static_cast<std::ptrdiff_t>(row * 5 + 5));
    EXPECT_TRUE(contains(dump, fmt::format("({},0): {}", row, fmt::join(values, ", ")))) << dump;
  }
  EXPECT_TRUE(contains(dump, "(0): \"month,stage\"")) << dump;
  EXPECT_TRUE(contains(dump, "(0): \"agent\"")) << dump;

  const std::string real = h5dump("-d /replicate_000/big_real -p", file);
  EXPECT_TRUE(contains(real, "DATATYPE  H5T_IEEE_F64LE")) << real.substr(0, 2000);
  EXPECT_TRUE(contains(real, "DATASPACE  SIMPLE { ( 1200, 5 ) / ( 1200, 5 ) }"));
  EXPECT_TRUE(contains(real, "DEFLATE { LEVEL 4 }")) << real.substr(0, 2000);
  EXPECT_TRUE(contains(real, "SHUFFLE"));

  const std::string empty = h5dump("-d /replicate_000/exits", file);
  EXPECT_TRUE(contains(empty, "DATASPACE  SIMPLE { ( 0, 5, 2 ) / ( 0, 5, 2 ) }")) << empty;

  const std::string stages = h5dump("-d /meta/stages", file);
  EXPECT_TRUE(contains(stages, R"("hit_and_runner", "survivor", "pioneer", "rising", "challenger")")) << stages;
  const std::string causes = h5dump("-d /meta/exit_causes", file);
  EXPECT_TRUE(contains(causes, R"("bankruptcy", "discouraged", "other")")) << causes;
}

constexpr const char* kH5pyScript = R"(import sys
import h5py
with h5py.File(sys.argv[1], "r") as f:
    big = f["/replicate_001/big_int"][()]
    real = f["/replicate_000/big_real"]
    print(big.dtype, big.shape, int(big.sum()))
    print(real.dtype, real[()].shape, repr(float(real[()].sum())), real.compression)
    print(f["/replicate_000/exits"].shape, f["/replicate_000/total"][()])
    print(real.attrs["unit"], real.attrs["axes"])
    print(f.attrs["scenario_name"])
    print(f.attrs["format"])
    print(",".join(f["/meta/stages"].asstr()[()]))
    print(list(f["/replicate_000"].keys()))
)";

TEST(Hdf5ExternalReaders, H5pyReadsValuesAndUtf8Attributes) {
  if (!fs::exists(kPython) || !tool_available(fmt::format("{} -c 'import h5py'", kPython)))
    GTEST_SKIP() << kPython << " cannot import h5py (Debian package python3-h5py)";
  ScratchDir dir("h5py");
  const RunOutput out = test::sample_run_output();
  const auto file = dir / "run.h5";
  write_hdf5(file, out);
  std::ofstream(dir / "read.py") << kH5pyScript;

  const auto result = run_command(fmt::format("PYTHONIOENCODING=utf-8 {} {} {}", kPython,
                                              shell_quote((dir / "read.py").string()), shell_quote(file.string())));
  ASSERT_EQ(result.status, 0) << result.output;
  std::istringstream lines(result.output);
  std::string line;
  std::vector<std::string> got;
  while (std::getline(lines, line)) got.push_back(line);
  ASSERT_EQ(got.size(), 8U) << result.output;

  const auto& big_int = test::named(out.replicates[1], "big_int").ints;
  const std::int64_t int_sum = std::accumulate(big_int.begin(), big_int.end(), std::int64_t{0});
  EXPECT_EQ(got[0], fmt::format("int64 ({},) {}", test::kBigIntLength, int_sum));

  const auto& big_real = test::named(out.replicates[0], "big_real").reals;
  double real_sum = 0.0;
  double magnitude = 0.0;
  for (double v : big_real) {
    real_sum += v;
    magnitude += std::abs(v);
  }
  std::istringstream real_line(got[1]);
  std::string dtype, shape0, shape1, compression;
  double python_sum = 0.0;
  real_line >> dtype >> shape0 >> shape1 >> python_sum >> compression;
  EXPECT_EQ(dtype, "float64");
  EXPECT_EQ(shape0 + shape1, "(1200,5)");
  EXPECT_NEAR(python_sum, real_sum, 1e-12 * magnitude) << got[1];
  EXPECT_EQ(compression, "gzip");

  EXPECT_EQ(got[2], fmt::format("(0, 5, 2) {}", test::named(out.replicates[0], "total").reals[0]));
  EXPECT_EQ(got[3], "IDR month,stage");
  EXPECT_EQ(got[4], "baseline – ü");
  EXPECT_EQ(got[5], "imersim-run/1");
  EXPECT_EQ(got[6], "hit_and_runner,survivor,pioneer,rising,challenger");
  EXPECT_TRUE(contains(got[7], "'snapshot'")) << got[7];
}

TEST(Hdf5Determinism, SameRunOutputGivesIdenticalFiles) {
  if (!tool_available("h5diff --version")) GTEST_SKIP() << "h5diff not installed (Debian package hdf5-tools)";
  ScratchDir dir("determinism");
  const RunOutput out = test::sample_run_output();
  write_hdf5(dir / "a.h5", out);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a timestamp would now differ
  write_hdf5(dir / "b.h5", out);

  const auto same = run_command(
      fmt::format("h5diff {} {}", shell_quote((dir / "a.h5").string()), shell_quote((dir / "b.h5").string())));
  EXPECT_EQ(same.status, 0) << same.output;
  EXPECT_TRUE(file_bytes(dir / "a.h5") == file_bytes(dir / "b.h5")) << "no timestamps: byte-identical files";

  RunOutput changed = out;
  changed.replicates[1][5].ints.back() += 1;  // big_int
  write_hdf5(dir / "c.h5", changed);
  const auto differ = run_command(
      fmt::format("h5diff {} {}", shell_quote((dir / "a.h5").string()), shell_quote((dir / "c.h5").string())));
  EXPECT_EQ(differ.status, 1) << "h5diff must see the changed value: " << differ.output;
}

}  // namespace
}  // namespace imersim
