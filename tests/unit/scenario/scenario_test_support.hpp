// Helpers for the scenario tests: run with the current directory at tests/data, read and write files.
#pragma once
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace imersim::testing_support {

/// Sets the current directory to tests/data for its lifetime, so paths in messages read
/// "invalid/x.yaml" as in the .expected files.
class InTestData {
 public:
  InTestData() : previous_(std::filesystem::current_path()) { std::filesystem::current_path(IMERSIM_TEST_DATA); }
  ~InTestData() { std::filesystem::current_path(previous_); }
  InTestData(const InTestData&) = delete;
  InTestData& operator=(const InTestData&) = delete;

 private:
  std::filesystem::path previous_;
};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Writes `text` to a fresh file under the test temp dir and returns its path.
inline std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace imersim::testing_support
