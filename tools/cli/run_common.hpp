// What the subcommands that run scenarios share: common options, thread control, metadata, tables.
#pragma once
#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/output_path.hpp"
#include "core/stage.hpp"
#include "experiment/runner.hpp"
#include "model/state_io.hpp"
#include "scenario/scenario.hpp"

namespace imersim::cli {

/// Options every running subcommand accepts; --seed/--replicates/--months become `--set run.*=`
/// overrides so they pass the same validation as file values.
struct RunOptions {
  std::vector<std::string> sets;
  std::optional<std::int64_t> seed, replicates, months;
  int threads = 0;  ///< 0 = all cores
  bool quiet = false;

  void add_to(CLI::App* sub);
  [[nodiscard]] std::vector<std::string> overrides() const;
};

/// Limits oneTBB to `threads` (0 = hardware concurrency) for its lifetime.
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  [[nodiscard]] int threads() const { return threads_; }

 private:
  int threads_;
  std::unique_ptr<tbb::global_control> control_;
};

/// File attributes describing a run (scenario YAML, seed, version, commit, host, times...).
std::map<std::string, std::string> run_attributes(const Scenario& s, int threads, const std::string& command_line,
                                                  const std::string& start_time);
std::string now_iso8601();
std::string command_line(int argc, char** argv);
void set_command_line(std::string line);
const std::string& saved_command_line();

/// The files scenario `sc` was read from (the file and its `base:` chain), as inputs that no output
/// may overwrite (check_outputs), named by `option`.
std::vector<NamedPath> scenario_inputs(const Scenario& sc, const std::string& option);

/// Reads the state file `path` (`--from`) and checks that scenario `sc` with its replicates can
/// continue from it. Throws IoError (unreadable) or InputError (does not fit: exit 2, nothing run).
SavedStates load_start_state(const std::string& path, const Scenario& sc);

/// ", continued from STATE after month M" for the run header; empty without --from.
std::string from_note(const std::string& path, std::uint32_t month);

/// The end-of-run stage table: count at the last month, simulated share (mean over reported months
/// and replicates), observed share (R23 Fig. 5), ratio.
std::string stage_table(const RunResult& r);

}  // namespace imersim::cli
