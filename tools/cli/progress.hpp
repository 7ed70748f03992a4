// A one-line progress bar on stderr (month, agent-months/s, ETA), shown only when stderr is a terminal.
#pragma once
#include <chrono>
#include <string>

#include "experiment/runner.hpp"

namespace imersim::cli {

class ProgressBar {
 public:
  /// `enabled` false (or stderr not a terminal) makes every call a no-op.
  explicit ProgressBar(bool enabled, std::string label = {});
  void update(const Progress& p);
  void finish();

 private:
  bool enabled_;
  std::string label_;
  std::chrono::steady_clock::time_point start_, last_;
  bool drawn_ = false;
};

}  // namespace imersim::cli
