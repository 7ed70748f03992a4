// Owns the sweep file reader (strict, every problem at once) and the expansion of a design row into
// a validated point with its hash.
#include "experiment/sweep.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "analysis/outcomes.hpp"
#include "scenario/strict_map.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

/// Keys the sweep itself controls; sweeping or setting them would contradict `replicates:`/`seeds:`.
bool sweep_owned(const std::string& key) { return key == "run.replicates" || key == "run.seed"; }

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// `key: [a, b, ...]` of plain texts (a single text is taken as a one-element list).
std::vector<std::pair<std::string, YAML::Node>> texts(StrictMap& m, const std::string& key, bool required) {
  std::vector<std::pair<std::string, YAML::Node>> out;
  const auto node = m.node(key, required);
  if (!node) return out;
  if (node->IsScalar()) return {{node->as<std::string>(), *node}};
  if (!node->IsSequence() || node->size() == 0) {
    m.report(key, "expected a list of texts");
    return out;
  }
  for (const auto& it : *node) {
    const YAML::Node item = it;
    if (item.IsScalar()) out.emplace_back(item.as<std::string>(), item);
    else m.report_at(item, key, "expected a text");
  }
  return out;
}

void read_parameters(StrictMap& top, SweepSpec& spec) {
  const auto node = top.node("parameters", spec.design.kind != DesignKind::Csv);
  if (!node) return;
  if (spec.design.kind == DesignKind::Csv) {
    top.report("parameters", "a csv design takes its parameters from the CSV header", "remove `parameters:`");
    return;
  }
  StrictMap pm(top.file(), *node, "parameters", top.diagnostics());
  if (!pm.valid()) return;
  for (const auto& key : pm.keys()) {
    (void)pm.has(key);
    const ParamSpec* ps = find_param(key);
    if (ps == nullptr) {
      const auto near = suggest_key(key);
      pm.report(key, fmt::format("unknown parameter '{}'", key),
                near ? fmt::format("did you mean '{}'?", *near) : "`imersim params` lists the keys");
      continue;
    }
    if (sweep_owned(key)) {
      pm.report(key, "set by the sweep itself", "use `replicates:` and `seeds:` of the sweep file");
      continue;
    }
    StrictMap one(top.file(), *pm.node(key), pm.full(key), top.diagnostics());
    if (!one.valid()) continue;
    const bool money = ps->unit.find("IDR") != std::string_view::npos;
    SweepParameter p{key, ps, 0, 0, {}};
    if (one.has("values")) {
      if (auto v = one.reals("values", ps->min, ps->max, true, money)) p.values = *v;
    } else {
      const auto lo = one.real("min", ps->min, ps->max, true, money);
      const auto hi = one.real("max", ps->min, ps->max, true, money);
      if (lo && hi && *lo >= *hi) one.report("max", fmt::format("max ({}) must be above min ({})", *hi, *lo));
      if (lo) p.min = *lo;
      if (hi) p.max = *hi;
    }
    one.finish();
    spec.parameters.push_back(std::move(p));
  }
  if (pm.keys().empty()) top.report("parameters", "no parameters to vary", "add e.g. `testing.cost_per_test: {min: 5e5, max: 2e6}`");
}

void read_design(StrictMap& top, SweepSpec& spec) {
  const auto node = top.node("design", true);
  if (!node) return;
  StrictMap dm(top.file(), *node, "design", top.diagnostics());
  if (!dm.valid()) return;
  const auto type = dm.text("type", true, {"grid", "lhs", "saltelli", "csv"});
  if (!type) return;
  if (*type == "grid") {
    spec.design.kind = DesignKind::Grid;
    spec.design.levels = dm.integer("levels", 1, 1000).value_or(3);
  } else if (*type == "lhs" || *type == "saltelli") {
    spec.design.kind = *type == "lhs" ? DesignKind::LatinHypercube : DesignKind::Saltelli;
    spec.design.points = dm.integer("points", 1, kMaxDesignPoints, true).value_or(1);
    if (spec.design.kind == DesignKind::LatinHypercube)
      spec.design.seed = static_cast<std::uint32_t>(dm.integer("seed", 0, 4294967295).value_or(1));
  } else {
    spec.design.kind = DesignKind::Csv;
    if (auto f = dm.text("file", true)) spec.design.csv = spec.path.parent_path() / *f;
  }
  dm.finish();
}

void check_design_size(StrictMap& top, const SweepSpec& spec) {
  if (spec.design.kind == DesignKind::Csv || spec.parameters.empty()) return;
  // a * b, or just past the limit where it would exceed it (no overflow)
  const auto times = [](std::int64_t a, std::int64_t b) { return b > 0 && a > kMaxDesignPoints / b ? kMaxDesignPoints + 1 : a * b; };
  std::int64_t total = spec.design.points;
  std::string how = "points";
  if (spec.design.kind == DesignKind::Grid) {
    total = 1;
    for (const auto& p : spec.parameters)
      total = times(total, p.values.empty() ? spec.design.levels : static_cast<std::int64_t>(p.values.size()));
    how = "the product of every parameter's levels or values";
  } else if (spec.design.kind == DesignKind::Saltelli) {
    total = times(spec.design.points, static_cast<std::int64_t>(spec.parameters.size()) + 2);
    how = "points x (parameters + 2)";
  }
  if (total > kMaxDesignPoints)
    top.report("design", fmt::format("the design would have more than {} points ({})", kMaxDesignPoints, how),
               "use fewer levels, points or parameters, or split the sweep into several files");
}

void read_outcomes(StrictMap& top, SweepSpec& spec) {
  for (const auto& [name, where] : texts(top, "outcomes", true)) {
    if (std::find(spec.outcomes.begin(), spec.outcomes.end(), name) != spec.outcomes.end()) {
      top.report_at(where, "outcomes", fmt::format("'{}' is listed twice", name), "list each outcome once");
      continue;
    }
    try {
      outcome_spec(name);
      for (std::size_t i = 0; i < outcome_specs().size(); ++i)
        if (outcome_specs()[i].name == name) spec.outcome_index.push_back(i);
      spec.outcomes.push_back(name);
    } catch (const InputError& e) {
      const Diagnostic& d = e.diagnostics().front();
      top.report_at(where, "outcomes", d.message, d.hint);
    }
  }
}

/// Loads the base scenario with `set:` so its problems are reported with the sweep's; problems of a
/// `set:` item are located at that item of the sweep file.
void check_base(StrictMap& top, const SweepSpec& spec, const std::vector<std::pair<std::string, YAML::Node>>& set) {
  if (spec.scenario.empty()) return;
  std::error_code ec;  // a name too long for the file system is "not found" too, not an exception
  if (!fs::is_regular_file(spec.scenario, ec)) {
    top.report("scenario", fmt::format("scenario file '{}' not found", spec.scenario.string()),
               "the path is relative to the sweep file");
    return;
  }
  try {
    (void)load_scenario(spec.scenario, spec.set);
  } catch (const InputError& e) {
    for (const auto& d : e.diagnostics()) {
      const auto item = std::find_if(set.begin(), set.end(), [&](const auto& it) {
        return d.file == "--set" && it.first.substr(0, it.first.find('=')) == d.key;
      });
      if (item == set.end()) top.diagnostics().push_back(d);
      else top.report_at(item->second, "set", fmt::format("{}: {}", d.key, d.message), d.hint);
    }
  }
}

}  // namespace

SweepSpec load_sweep(const fs::path& path) {
  std::vector<Diagnostic> diags;
  const YAML::Node root = load_yaml_map_file(path.string(), diags);
  throw_if_any(diags);
  SweepSpec spec;
  spec.path = path;
  spec.text = read_text(path);
  StrictMap top(path.string(), root, "", diags);
  spec.name = top.text("name").value_or(path.stem().string());
  (void)top.text("description");
  if (auto s = top.text("scenario", true)) spec.scenario = path.parent_path() / *s;
  const auto set = texts(top, "set", false);
  for (const auto& [item, where] : set) {
    const std::string key = item.substr(0, item.find('='));
    if (item.find('=') == std::string::npos || key.empty())
      top.report_at(where, "set", fmt::format("'{}' is not KEY=VALUE", item), "write e.g. `run.months=24`");
    else if (sweep_owned(key)) top.report_at(where, "set", fmt::format("'{}' is set by the sweep itself", key),
                                        "use `replicates:` and `seeds:` of the sweep file");
    else spec.set.push_back(item);
  }
  read_design(top, spec);
  read_parameters(top, spec);
  check_design_size(top, spec);
  spec.replicates = top.integer("replicates", 1, 100000).value_or(1);
  spec.seeds = top.text("seeds", false, {"common", "per_point"}).value_or("common") == "per_point" ? SeedMode::PerPoint
                                                                                                     : SeedMode::Common;
  read_outcomes(top, spec);
  top.finish();
  check_base(top, spec, set);
  if (spec.design.kind == DesignKind::Csv && !spec.design.csv.empty()) {
    spec.rows = read_csv_design(spec.design.csv, spec.parameters, diags);
    for (const auto& p : spec.parameters)
      if (sweep_owned(p.key)) diags.push_back({spec.design.csv.string(), 1, 0, p.key, "set by the sweep itself",
                                               "use `replicates:` and `seeds:` of the sweep file"});
  }
  throw_if_any(diags);
  if (spec.design.kind != DesignKind::Csv) spec.rows = design_points(spec.parameters, spec.design);
  return spec;
}

SweepPoint make_point(const SweepSpec& spec, std::int64_t index) {
  SweepPoint pt;
  pt.index = index;
  pt.overrides = spec.set;
  const auto& row = spec.rows.at(static_cast<std::size_t>(index));
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const SweepParameter& p = spec.parameters[i];
    pt.overrides.push_back(p.key + "=" + (p.spec ? format_value(*p.spec, row[i]) : fmt::format("{}", row[i])));
  }
  pt.overrides.push_back(fmt::format("run.replicates={}", spec.replicates));
  try {
    if (spec.seeds == SeedMode::PerPoint) {
      const Scenario base = load_scenario(spec.scenario, spec.set);
      const auto seed = static_cast<std::uint32_t>(base.params.run_seed + static_cast<std::uint64_t>(index));
      pt.overrides.push_back(fmt::format("run.seed={}", seed));
    }
    pt.scenario = load_scenario(spec.scenario, pt.overrides);
    pt.hash = point_hash(*pt.scenario);
  } catch (const InputError& e) {
    pt.error = e.what();
    std::string key = "invalid point\n" + spec.scenario.string();
    for (const auto& o : pt.overrides) key += "\n" + o;
    pt.hash = fnv1a64(key);
  }
  return pt;
}

std::uint64_t point_hash(const Scenario& scenario) {
  std::istringstream in(resolved_yaml(scenario));
  std::string line, stripped;
  while (std::getline(in, line)) {
    bool quoted = false;
    std::size_t cut = line.size();
    for (std::size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
      if (!quoted && line[i] == '#' && (i == 0 || line[i - 1] == ' ')) {
        cut = i;
        break;
      }
    }
    line.resize(cut);
    const auto end = line.find_last_not_of(' ');
    line.resize(end == std::string::npos ? 0 : end + 1);
    if (!line.empty()) stripped += line + "\n";
  }
  return fnv1a64(stripped);
}

std::string hash_hex(std::uint64_t hash) { return fmt::format("{:016x}", hash); }

}  // namespace imersim
