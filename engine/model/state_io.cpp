// State files: capture/restore of a Simulation (and its PolicySet) as datasets, and their file I/O
// through the HDF5 writer and reader of engine/output.
#include "model/state_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <sstream>
#include <type_traits>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "model/simulation.hpp"
#include "output/hdf5_writer.hpp"
#include "params/param_table.hpp"
#include "policy/policy_set.hpp"
#include "scenario/policies.hpp"

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
                   "re-create the state with this version: `imersim run --save-state`");
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
  const std::size_t slots = sim.pop_.slots();
  // The layout has the revenue ring's kMaxWindow months whatever the window: the months beyond it
  // (never written by a run with this window) are saved as zeros, so every state file has the same
  // datasets and the files written before the ring was sized by the window still read.
  sim.pop_.for_each_layout_array([&](auto& v, bool in_use) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    layout.push_back(static_cast<std::int64_t>(sizeof(T)) * (std::is_floating_point_v<T> ? -1 : 1));
    Dataset d{fmt::format("population_{:02}", k++), {slots}, {"slot"}, "", "population array", !std::is_floating_point_v<T>, {}, {}};
    if constexpr (std::is_floating_point_v<T>) {
      if (in_use)
        d.reals.assign(v.begin(), v.end());
      else
        d.reals.assign(slots, 0.0);
    } else {
      d.ints.assign(v.begin(), v.end());
    }
    out.push_back(std::move(d));
  });
  out.push_back(ints("population_layout", std::move(layout)));
  if (const PolicySet* ps = sim.policy_.get()) {
    const AgentTable& t = ps->table();
    for (std::size_t c = 0; c < t.names().size(); ++c)
      out.push_back(ints(std::string(kTablePrefix) + t.names()[c], {t.columns()[c].begin(), t.columns()[c].end()}));
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
  sim.pop_.for_each_layout_array([&](auto& v, bool) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    layout.push_back(static_cast<std::int64_t>(sizeof(T)) * (std::is_floating_point_v<T> ? -1 : 1));
  });
  if (need(state, "population_layout").ints != layout)
    throw InputError("state", "the state was saved by an imersim with a different agent layout",
                     "re-create the state with this version: `imersim run --save-state`");
  int k = 0;
  // The ring's months beyond this run's window are not kept (a state is only restored into a run with
  // the window that saved it: check_state_compatible).
  sim.pop_.for_each_layout_array([&](auto& v, bool in_use) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    const Dataset& d = need(state, fmt::format("population_{:02}", k++));
    if (!in_use) return;
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
    t.columns()[c].assign(col.begin(), col.end());
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

namespace {

/// The largest amount of money (IDR, in capital, revenue, demand or policy state) a state may hold.
constexpr std::int64_t kMaxStateMoney = std::int64_t{1} << 53;

/// Index of `field` in Population::for_each_layout_array's order (the k of "population_{k:02}").
template <typename Field>
int field_index(Population& pop, const Field& field) {
  int k = 0, found = -1;
  pop.for_each_layout_array([&](auto& v, bool) {
    if (static_cast<const void*>(&v) == static_cast<const void*>(&field)) found = k;
    ++k;
  });
  return found;
}

/// Throws InputError naming `file` and the dataset unless replicate `r`'s state in `s` is one that
/// StateIo::restore can put into a simulation: every dataset present with its type, the population
/// arrays of one length with values their types hold, and the counters consistent with them. (A
/// damaged or hand-edited file must be refused before a run starts, not read out of bounds.)
void check_replicate_state(const SavedStates& s, std::size_t r, const std::string& file) {
  const std::vector<Dataset>& state = s.replicates[r];
  const std::string where = fmt::format("replicate_{:03}", r);
  const auto bad = [&](const std::string& dataset, const std::string& what) {
    return InputError(file, fmt::format("damaged state: {}/{}: {}", where, dataset, what),
                      "save the state again with `imersim run --save-state`");
  };
  const auto find = [&](const std::string& name, bool is_int) -> const Dataset& {
    for (const auto& d : state)
      if (d.name == name) {
        if (d.is_int != is_int) throw bad(name, is_int ? "holds reals, not integers" : "holds integers, not reals");
        if ((is_int ? d.ints.size() : d.reals.size()) != d.size()) throw bad(name, "its data does not fill its shape");
        return d;
      }
    throw bad(name, "missing");
  };
  const auto& run = find("run", true).ints;
  if (run.size() != 3) throw bad("run", fmt::format("{} values, not 3", run.size()));
  if (run[0] != static_cast<std::int64_t>(s.month))
    throw bad("run", fmt::format("saved at month {}, but the file says month {}", run[0], s.month));
  if (run[1] < 0 || run[1] > std::numeric_limits<std::uint32_t>::max()) throw bad("run", "next agent id out of range");
  if (run[2] != static_cast<std::int64_t>(r)) throw bad("run", fmt::format("holds replicate {}", run[2]));

  Population layout_of;  // empty: its arrays give the types, names and order of the population datasets
  std::vector<std::int64_t> layout;
  layout_of.for_each_layout_array([&](auto& v, bool) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    layout.push_back(static_cast<std::int64_t>(sizeof(T)) * (std::is_floating_point_v<T> ? -1 : 1));
  });
  // The layout first: a file of an older layout (before 16-bit demands, say) is named as such, not as
  // a dataset of the wrong type.
  if (find("population_layout", true).ints != layout)
    throw InputError(file, fmt::format("{}: the state was saved by an imersim with a different agent layout", where),
                     "re-create the state with this version: `imersim run --save-state`");
  std::vector<const Dataset*> arrays;
  layout_of.for_each_layout_array([&](auto& v, bool) {
    using T = typename std::decay_t<decltype(v)>::value_type;
    const std::string name = fmt::format("population_{:02}", arrays.size());
    const Dataset& d = find(name, !std::is_floating_point_v<T>);
    if (!arrays.empty() && d.size() != arrays.front()->size())
      throw bad(name, fmt::format("{} slots, but population_00 has {}", d.size(), arrays.front()->size()));
    if constexpr (std::is_floating_point_v<T>) {  // revenue, IDR/month
      for (double x : d.reals)
        if (!(x >= 0 && x <= kMaxStateMoney)) throw bad(name, fmt::format("value {} out of range", x));
    } else {
      for (std::int64_t x : d.ints)
        if (x < std::numeric_limits<T>::min() || (std::is_unsigned_v<T> && static_cast<std::uint64_t>(x) >
                                                                              std::numeric_limits<T>::max()))
          throw bad(name, fmt::format("value {} out of range", x));
    }
    arrays.push_back(&d);
  });
  const std::size_t n = arrays.front()->size();
  const auto column = [&](const auto& field) -> const std::vector<std::int64_t>& {
    return arrays[static_cast<std::size_t>(field_index(layout_of, field))]->ints;
  };
  const auto name_of = [&](const auto& field) { return fmt::format("population_{:02}", field_index(layout_of, field)); };
  // Each column looked up once (field_index walks the arrays), then checked agent by agent.
  const Population& f = layout_of;
  const auto& flags = column(f.flags);
  const auto &stage = column(f.stage), &max_stage = column(f.max_stage), &entry = column(f.entry_month),
             &id = column(f.id);
  // The revenue ring's months beyond the saving run's window are never written (restore skips them):
  // revenue there means the file was edited, or was not saved with the window it names.
  const std::string window_text = lines_by_key(s.params_text)["stage.window"];
  int window = 0;
  const auto [wend, werr] = std::from_chars(window_text.data(), window_text.data() + window_text.size(), window);
  if (werr == std::errc{} && wend == window_text.data() + window_text.size() && window >= 1)
    for (int k = window; k < kMaxWindow; ++k) {
      const auto& ring = layout_of.revenue[static_cast<std::size_t>(k)];
      for (double x : arrays[static_cast<std::size_t>(field_index(layout_of, ring))]->reals)
        if (x != 0.0)
          throw bad(name_of(ring), fmt::format("revenue {} in a month of the revenue ring beyond stage.window={}", x, window));
    }
  // A plausibility bound: no run saves money beyond 2^53 IDR (entry capital is capped at 10^15 and a
  // career's profits stay far below; a run pushed to the parameters' limits saved at most about 1e15).
  for (std::int64_t x : column(f.capital))
    if (x < -kMaxStateMoney || x > kMaxStateMoney) throw bad(name_of(f.capital), fmt::format("capital {} out of range", x));
  for (const auto& demand : f.demand)
    for (std::int64_t x : column(demand))
      if (demand_value(static_cast<std::uint16_t>(x)) > static_cast<double>(kMaxStateMoney))
        throw bad(name_of(demand), fmt::format("demand code {} ({} IDR) out of range", x, demand_value(static_cast<std::uint16_t>(x))));
  for (const auto* field : {&f.stage, &f.max_stage})
    for (std::int64_t x : column(*field))
      if (x >= kStages) throw bad(name_of(*field), fmt::format("stage {} out of range", x));
  for (std::size_t i = 0; i < n; ++i) {
    if (max_stage[i] < stage[i]) throw bad(name_of(f.max_stage), "below the stage");
    if (entry[i] > run[0]) throw bad(name_of(f.entry_month), "an agent entered after the state's month");
    if ((flags[i] & kAlive) != 0 && id[i] >= run[1]) throw bad(name_of(f.id), "an agent id not yet given");
  }
  for (int k = 0; k < kSlots; ++k) {
    const auto &age = column(f.age[k]), &life = column(f.life[k]), &demand = column(f.demand[k]);
    for (std::size_t i = 0; i < n; ++i) {
      if (life[i] == 0 ? age[i] != 0 : age[i] >= life[i]) throw bad(name_of(f.age[k]), "a product older than its life");
      // No run stores a demand without a life (the kernel and step_agent would sell it differently).
      // The reverse is legal: a winner of demand 0 (winners.potential_scale 0) keeps its drawn life.
      if (demand[i] != 0 && life[i] == 0) throw bad(name_of(f.life[k]), "a product with a demand but no life");
    }
  }
  const auto& free = find("free_slots", true).ints;
  for (std::size_t j = 0; j < free.size(); ++j) {
    if (free[j] < 0 || static_cast<std::size_t>(free[j]) >= n || (j > 0 && free[j] <= free[j - 1]))
      throw bad("free_slots", "slot numbers out of range or not ascending");
    if ((flags[static_cast<std::size_t>(free[j])] & kAlive) != 0) throw bad("free_slots", "lists a live agent's slot");
  }
  for (const auto& d : state)
    if (d.name.rfind(kTablePrefix, 0) == 0 || d.name.rfind(kLedgerPrefix, 0) == 0) {
      const std::size_t want = d.name.rfind(kTablePrefix, 0) == 0 ? n : 2;
      if (!d.is_int || d.ints.size() != want) throw bad(d.name, fmt::format("not {} integers", want));
      // Memberships, months, counts and IDR amounts: never negative, never beyond 2^53.
      for (std::int64_t x : d.ints)
        if (x < 0 || x > kMaxStateMoney) throw bad(d.name, fmt::format("value {} out of range", x));
    }
}

}  // namespace

SavedStates read_state(const std::filesystem::path& path) {
  const std::string file = path.string();
  RunOutput in = reading_input(file, [&] { return read_hdf5(path); });
  if (in.attributes["content"] != kStateContentTag)
    throw InputError(file, "not an imersim state file (its 'content' attribute is not imersim-state/1)",
                     "pass a file written by `imersim run --save-state`");
  auto attr = [&](const char* key) {
    auto it = in.attributes.find(key);
    if (it == in.attributes.end())
      throw InputError(file, fmt::format("damaged state file: it has no '{}' attribute", key),
                       "save the state again with `imersim run --save-state`");
    return it->second;
  };
  SavedStates s;
  const std::string month = attr("month");
  const auto [end, ec] = std::from_chars(month.data(), month.data() + month.size(), s.month);
  if (ec != std::errc{} || end != month.data() + month.size() || month.empty())
    throw InputError(file, fmt::format("damaged state file: its 'month' attribute '{}' is not a month number", month),
                     "save the state again with `imersim run --save-state`");
  s.params_text = attr("params");
  if (attr("params_hash") != fmt::format("{:016x}", fnv1a64(s.params_text)))
    throw InputError(file, "damaged state file: its parameter hash does not match", "save the state again");
  s.policies_text = attr("policies");
  s.scenario_yaml = attr("scenario_yaml");
  s.replicates = std::move(in.replicates);
  if (s.replicates.empty())
    throw InputError(file, "damaged state file: it holds no replicate", "save the state again");
  for (std::size_t r = 0; r < s.replicates.size(); ++r) check_replicate_state(s, r, file);
  return s;
}

void check_state_compatible(const SavedStates& s, const std::string& state_file, const Params& params,
                            PolicySpecs policies, const std::string& scenario_file, std::int64_t replicates) {
  std::vector<Diagnostic> diags;
  const std::string policies_text = policies_yaml(policies);
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
  if (s.policies_text == "policies: {}\n") {
    // PolicySet::active: month m (0-based, burn-in included) is active when m - burn_in lies in [start, end).
    const auto burn_in = params.run_burn_in_months, saved_at = static_cast<std::int64_t>(s.month);
    policies.for_each([&](std::string_view name, auto& lever) {
      if (!lever) return;
      const std::int64_t first = std::max<std::int64_t>(burn_in + lever->start, 0);
      const std::int64_t stop = lever->end < 0 ? saved_at : std::min(saved_at, burn_in + lever->end);
      if (first < stop)
        diags.push_back(Diagnostic{
            scenario_file, 0, 0, fmt::format("policies.{}.start", name),
            fmt::format("cannot continue from state '{}': it was saved after month {} by a run without levers, and "
                        "lever '{}' (start {}) would have been active from month {} of the burn-in",
                        state_file, saved_at, name, lever->start, first),
            fmt::format("start the lever at month {} or later, run without --from, or save the state from a run "
                        "with this lever",
                        saved_at - burn_in)});
    });
  }
  if (replicates > static_cast<std::int64_t>(s.replicates.size()))
    diags.push_back(Diagnostic{scenario_file, 0, 0, "run.replicates",
                               fmt::format("{} replicates asked for but state '{}' holds {}", replicates, state_file,
                                           s.replicates.size()),
                               "ask for fewer replicates, or save more"});
  if (!diags.empty()) throw InputError(std::move(diags));
}

}  // namespace imersim
