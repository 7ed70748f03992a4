// Shared plumbing of the running subcommands.
#include "run_common.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <chrono>
#include <ctime>

#include "commands.hpp"
#include "imersim/version.hpp"
#include "scenario/policies.hpp"

namespace imersim::cli {

void RunOptions::add_to(CLI::App* sub) {
  add_set_option(sub, sets);
  sub->add_option("--seed", seed, "Random seed (same as --set run.seed=N)");
  sub->add_option("--replicates", replicates, "Number of replicates (same as --set run.replicates=R)");
  sub->add_option("--months", months, "Reported months after burn-in (same as --set run.months=M)");
  sub->add_option("--threads", threads, "Worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  sub->add_flag("--quiet,-q", quiet, "No progress bar");
}

std::vector<std::string> RunOptions::overrides() const {
  std::vector<std::string> o = sets;
  if (seed) o.push_back(fmt::format("run.seed={}", *seed));
  if (replicates) o.push_back(fmt::format("run.replicates={}", *replicates));
  if (months) o.push_back(fmt::format("run.months={}", *months));
  return o;
}

ThreadLimit::ThreadLimit(int threads)
    : threads_(threads > 0 ? threads : tbb::info::default_concurrency()),
      control_(std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                     static_cast<std::size_t>(threads_))) {}
ThreadLimit::~ThreadLimit() = default;

std::string now_iso8601() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

namespace {
std::string& command_line_storage() {
  static std::string s;
  return s;
}
}  // namespace

std::string command_line(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}
void set_command_line(std::string line) { command_line_storage() = std::move(line); }
const std::string& saved_command_line() { return command_line_storage(); }

std::map<std::string, std::string> run_attributes(const Scenario& s, int threads, const std::string& cmd,
                                                  const std::string& start_time) {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return {{"scenario_name", s.name},
          {"scenario_path", s.path.string()},
          {"scenario_yaml", resolved_yaml(s)},
          {"seed", fmt::format("{}", s.params.run_seed)},
          {"replicates", fmt::format("{}", s.params.run_replicates)},
          {"months", fmt::format("{}", s.params.run_months)},
          {"burn_in_months", fmt::format("{}", s.params.run_burn_in_months)},
          {"imersim_version", build::version},
          {"git_commit", build::git_commit},
          {"build_type", build::build_type},
          {"threads", fmt::format("{}", threads)},
          {"host", host},
          {"start_time", start_time},
          {"end_time", now_iso8601()},
          {"command_line", cmd}};
}

std::vector<NamedPath> scenario_inputs(const Scenario& sc, const std::string& option) {
  std::vector<NamedPath> in{{sc.path, option}};
  for (const auto& base : sc.includes) in.push_back({base, option + " (its base:)"});
  return in;
}

SavedStates load_start_state(const std::string& path, const Scenario& sc) {
  SavedStates state = read_state(path);
  check_state_compatible(state, path, sc.params, sc.policies, sc.path.string(), sc.params.run_replicates);
  return state;
}

std::string from_note(const std::string& path, std::uint32_t month) {
  return path.empty() ? std::string() : fmt::format(", continued from {} after month {}", path, month);
}

std::string stage_table(const RunResult& r) {
  const auto n = static_cast<double>(r.shares.size());
  std::array<double, kStages> share{}, count{};
  for (std::size_t k = 0; k < r.shares.size(); ++k)
    for (int s = 0; s < kStages; ++s) {
      share[s] += r.shares[k][s] / n;
      count[s] += static_cast<double>(r.final_counts[k][s]) / n;
    }
  std::string t = fmt::format("{:<16} {:>14} {:>12} {:>12} {:>8}\n", "stage", "count (last)", "simulated %",
                              "observed %", "ratio");
  for (int s = 0; s < kStages; ++s) {
    const double sim = 100.0 * share[s], obs = kObservedSharePercent[s];
    t += fmt::format("{:<16} {:>14.0f} {:>12.4f} {:>12.4f} {:>8.3f}\n", kStageNames[s], count[s], sim, obs, sim / obs);
  }
  t += fmt::format("(simulated %: mean over the reported months and {} replicate(s); observed: R23 Fig. 5)\n",
                   r.shares.size());
  return t;
}

}  // namespace imersim::cli
