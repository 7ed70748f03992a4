// What the CLI end-to-end tests share: run a shell command and capture its output; scratch folders.
#pragma once
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace imersim::test {

struct ShellResult {
  int status;
  std::string out;
};

/// Runs a shell command; returns its exit status and stdout (stderr merged when `merge`, else dropped).
inline ShellResult run_shell(const std::string& cmd, bool merge = false) {
  const std::string full = cmd + (merge ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(full.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
  const int rc = pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

/// The whole text of a file ("" when it cannot be read).
inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A fresh, empty folder under the system temporary folder, unique to this test process.
inline std::filesystem::path fresh_temp_dir(const std::string& prefix, const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / (prefix + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

}  // namespace imersim::test
