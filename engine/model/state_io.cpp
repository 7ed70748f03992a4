// State files: capture/restore of a Simulation (and its PolicySet) as datasets, and their file I/O
// through the HDF5 writer and reader of engine/output.
#include "model/state_io.hpp"

#include <fmt/format.h>

#include <map>
#include <sstream>
#include <type_traits>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "model/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "params/param_table.hpp"
#include "policy/policy_set.hpp"

namespace imersim {
namespace {

constexpr std::string_view kTablePrefix = "table.";
constexpr std::string_view kLedgerPrefix = "ledger.";

Dataset ints(std::string name, std::vector<std::int64_t> v) {
  Dataset d{std::move(name), {v.size()}, {"item"}, "", "run state", true, std::move(v), {}};
  return d;
}

const Dataset& need(const std::vector<Dataset>& state, const std::string& name) {
  for (const auto& d : state)
    if (d.name == name) return d;
  throw InputError("state", fmt::format("the state has no dataset '{}'", name),
                   "save the state again with this version of imersim");
}

std::map<std::string, std::string> lines_by_key(const std::string& text) {
  std::map<std::string, std::string> m;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) m[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return m;
}

}  // namespace

std::vector<Dataset> StateIo::capture(Simulation& sim) {
  std::vector<Dataset> out;
  out.push_back(ints("run", {sim.month_, sim.next_id_, sim.replicate_}));
  std::vector<std::int64_t> free(sim.free_slots_.begin(), sim.free_slots_.end());
  out.push_back(ints("free_slots", std::move(free)));
  std::vector<std::int64_t> layout;
  int k = 0;
  sim.pop_.for_each_array([&](auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    layout.push_back(static_cast<std::int64_t>(sizeof(T)) * (std::is_floating_point_v<T> ? -1 : 1));
    Dataset d{fmt::format("population_{:02}", k++), {v.size()}, {"slot"}, "", "population array", !std::is_floating_point_v<T>, {}, {}};
    for (const T& x : v) {
      if constexpr (std::is_floating_point_v<T>)
        d.reals.push_back(static_cast<double>(x));
      else
        d.ints.push_back(static_cast<std::int64_t>(x));
    }
    out.push_back(std::move(d));
  });
  out.push_back(ints("population_layout", std::move(layout)));
  if (const PolicySet* ps = sim.policy_.get()) {
    const AgentTable& t = ps->table();
    for (std::size_t c = 0; c < t.names().size(); ++c)
      out.push_back(ints(std::string(kTablePrefix) + t.names()[c], t.columns()[c]));
    for (const auto& l : ps->ledgers()) out.push_back(ints(std::string(kLedgerPrefix) + l.lever(), l.saved()));
  }
  return out;
}

void StateIo::restore(Simulation& sim, const std::vector<Dataset>& state) {
  const auto& run = need(state, "run").ints;
  if (run.size() != 3 || run[2] != sim.replicate_)
    throw InvariantError(fmt::format("state of replicate {} restored into replicate {}", run.size() == 3 ? run[2] : -1,
                                     sim.replicate_));
  std::vector<std::int64_t> layout;
  sim.pop_.for_each_array([&](auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    layout.push_back(static_cast<std::int64_t>(sizeof(T)) * (std::is_floating_point_v<T> ? -1 : 1));
  });
  if (need(state, "population_layout").ints != layout)
    throw InputError("state", "the state was saved by an imersim with a different agent layout",
                     "save the state again with this version of imersim");
  int k = 0;
  sim.pop_.for_each_array([&](auto& v) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    const Dataset& d = need(state, fmt::format("population_{:02}", k++));
    v.resize(d.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      if constexpr (std::is_floating_point_v<T>)
        v[i] = static_cast<T>(d.reals[i]);
      else
        v[i] = static_cast<T>(d.ints[i]);
    }
  });
  sim.month_ = static_cast<std::uint32_t>(run[0]);
  sim.next_id_ = static_cast<std::uint32_t>(run[1]);
  const auto& free = need(state, "free_slots").ints;
  sim.free_slots_.assign(free.begin(), free.end());

  bool has_policy_state = false;
  for (const auto& d : state) has_policy_state |= d.name.rfind(kTablePrefix, 0) == 0;
  PolicySet* ps = sim.policy_.get();
  if (!has_policy_state) return;  // levers, if any, start fresh at the branch month
  if (ps == nullptr)
    throw InputError("state", "the state holds policy state but the scenario has no policy levers",
                     "resume with the levers of the run that saved it");
  AgentTable& t = ps->table();
  t.resize(sim.pop_.slots());
  for (std::size_t c = 0; c < t.names().size(); ++c) {
    const auto& col = need(state, std::string(kTablePrefix) + t.names()[c]).ints;
    if (col.size() != sim.pop_.slots()) throw InvariantError("state: policy column size differs from the population");
    t.columns()[c] = col;
  }
  for (auto& l : ps->ledgers()) l.restore(need(state, std::string(kLedgerPrefix) + l.lever()).ints);
}

std::string state_params_text(const Params& p) {
  std::string out;
  for (const ParamSpec& spec : param_table()) {
    if (spec.key == "run.months" || spec.key == "run.replicates" || spec.key == "run.snapshot") continue;
    out += fmt::format("{}={}\n", spec.key, format_value(spec, spec.get(p)));
  }
  return out;
}

void write_state(const std::filesystem::path& path, const SavedStates& s) {
  RunOutput out;
  out.attributes = {{"content", std::string(kStateContentTag)},
                    {"month", fmt::format("{}", s.month)},
                    {"params", s.params_text},
                    {"params_hash", fmt::format("{:016x}", fnv1a64(s.params_text))},
                    {"policies", s.policies_text},
                    {"scenario_yaml", s.scenario_yaml},
                    {"replicates", fmt::format("{}", s.replicates.size())}};
  out.replicates = s.replicates;
  write_hdf5(path, out);
}

SavedStates read_state(const std::filesystem::path& path) {
  RunOutput in = read_hdf5(path);
  auto attr = [&](const char* key) {
    auto it = in.attributes.find(key);
    if (it == in.attributes.end() || in.attributes["content"] != kStateContentTag)
      throw IoError(fmt::format("'{}' is not an imersim state file", path.string()),
                    fmt::format("it has no '{}' state attribute", key),
                    "pass a file written by `imersim run --save-state`");
    return it->second;
  };
  SavedStates s;
  s.month = static_cast<std::uint32_t>(std::stoul(attr("month")));
  s.params_text = attr("params");
  if (attr("params_hash") != fmt::format("{:016x}", fnv1a64(s.params_text)))
    throw IoError(fmt::format("state file '{}' is damaged", path.string()), "its parameter hash does not match",
                  "save the state again");
  s.policies_text = attr("policies");
  s.scenario_yaml = attr("scenario_yaml");
  s.replicates = std::move(in.replicates);
  return s;
}

void check_state_compatible(const SavedStates& s, const std::string& state_file, const Params& params,
                            const std::string& policies_text, const std::string& scenario_file,
                            std::int64_t replicates) {
  std::vector<Diagnostic> diags;
  const auto saved = lines_by_key(s.params_text), now = lines_by_key(state_params_text(params));
  for (const auto& [key, value] : now) {
    auto it = saved.find(key);
    if (it == saved.end() || it->second != value)
      diags.push_back(Diagnostic{scenario_file, 0, 0, key,
                                 fmt::format("cannot continue from state '{}': it was saved with {}={}, the scenario has {}",
                                             state_file, key, it == saved.end() ? "(absent)" : it->second, value),
                                 "use the scenario that saved the state, changing only policies, run.months or run.replicates"});
  }
  if (s.policies_text != "policies: {}\n" && s.policies_text != policies_text)
    diags.push_back(Diagnostic{scenario_file, 0, 0, "policies",
                               fmt::format("cannot continue from state '{}': it holds the state of other policy levers",
                                           state_file),
                               "save the state from a run without levers, or resume with the same levers"});
  if (replicates > static_cast<std::int64_t>(s.replicates.size()))
    diags.push_back(Diagnostic{scenario_file, 0, 0, "run.replicates",
                               fmt::format("{} replicates asked for but state '{}' holds {}", replicates, state_file,
                                           s.replicates.size()),
                               "ask for fewer replicates, or save more"});
  if (!diags.empty()) throw InputError(std::move(diags));
}

}  // namespace imersim
