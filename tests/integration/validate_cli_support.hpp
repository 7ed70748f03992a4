// Helpers of the validate and calibrate CLI tests: run the CLI with its output captured in files.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace imersim::cli_test {

/// Exit status and captured streams of one CLI invocation.
struct CliRun {
  int status = -1;
  std::string out, err;
};

/// A fresh, empty directory for one test.
inline std::filesystem::path scratch(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("imersim_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Runs the shell command `cmd` in `dir`; stdout and stderr go to files in `dir` and are returned.
inline CliRun shell(const std::filesystem::path& dir, const std::string& cmd) {
  const auto out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string full = "cd '" + dir.string() + "' && " + cmd + " >'" + out.string() + "' 2>'" + err.string() + "'";
  const int rc = std::system(full.c_str());
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
}

/// Runs `IMERSIM_CLI args` in `dir`.
inline CliRun cli(const std::filesystem::path& dir, const std::string& args) {
  return shell(dir, "'" + std::string(IMERSIM_CLI) + "' " + args);
}

}  // namespace imersim::cli_test
