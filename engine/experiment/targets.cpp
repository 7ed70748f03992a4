// Strict reading of target files with StrictMap: five stage shares summing to ~1, cohort outcomes
// from the outcome registry, documented alternatives.
#include "experiment/targets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <cmath>

#include "analysis/outcomes.hpp"
#include "core/error.hpp"
#include "core/stage.hpp"
#include "params/param_table.hpp"
#include "scenario/strict_map.hpp"

namespace imersim {

namespace {

/// Outcomes a cohort target may name: shares of a cohort (reach.<stage>, survival_<months>).
std::vector<std::string> cohort_outcomes() {
  std::vector<std::string> names;
  for (const auto& s : outcome_specs())
    if (s.name.rfind("reach.", 0) == 0 || s.name.rfind("survival_", 0) == 0) names.push_back(s.name);
  return names;
}

/// Reads {value: V, tolerance: T} at `key` of `parent`; nullopt on any problem (reported).
std::optional<Target> read_target(StrictMap& parent, const std::string& key, const std::string& outcome) {
  const auto node = parent.node(key);
  if (!node) return std::nullopt;
  StrictMap m(parent.file(), *node, parent.full(key), parent.diagnostics());
  if (!m.valid()) return std::nullopt;
  const auto value = m.real("value", 1e-12, 1, true);
  const auto tol = m.real("tolerance", 1e-6, 10, true);
  m.finish();
  if (!value || !tol) return std::nullopt;
  return Target{outcome, *value, *tol};
}

void read_alternatives(StrictMap& top, const YAML::Node& list, std::vector<TargetAlternative>& out) {
  if (!list.IsSequence()) {
    top.report("alternatives", "expected a list of {stage, value, source, file}");
    return;
  }
  std::vector<std::string> stages(kStageKeys.begin(), kStageKeys.end());
  for (std::size_t i = 0; i < list.size(); ++i) {
    StrictMap m(top.file(), list[i], fmt::format("alternatives[{}]", i), top.diagnostics());
    if (!m.valid()) continue;
    const auto stage = m.text("stage", true, stages);
    const auto value = m.real("value", 1e-12, 1, true);
    const auto source = m.text("source", true);
    const auto file = m.text("file");
    std::error_code ec;  // the target file that uses this alternative, beside this one
    if (file && !std::filesystem::is_regular_file(std::filesystem::path(top.file()).parent_path() / *file, ec))
      m.report("file", fmt::format("target file '{}' not found", *file),
               fmt::format("the path is relative to the directory of {}", top.file()));
    m.finish();
    if (stage && value && source) out.push_back({*stage, *value, *source, file.value_or("")});
  }
}

}  // namespace

double TargetSet::share_sum() const {
  double s = 0;
  for (const auto& t : shares) s += t.value;
  return s;
}

std::vector<Target> TargetSet::all() const {
  std::vector<Target> v = shares;
  v.insert(v.end(), cohort.begin(), cohort.end());
  return v;
}

std::string TargetSet::canonical() const {
  std::string s = fmt::format("targets {} floor={}", name, floor);
  for (const auto& t : all()) s += fmt::format("; {}={} tol={}", t.outcome, t.value, t.tolerance);
  return s;
}

TargetSet load_targets(const std::filesystem::path& path) {
  std::vector<Diagnostic> diags;
  const std::string file = path.string();
  const YAML::Node root = load_yaml_map_file(file, diags);
  throw_if_any(diags);
  TargetSet t;
  t.path = path;
  StrictMap top(file, root, "", diags);
  t.name = top.text("name", true).value_or("");
  t.description = top.text("description").value_or("");
  t.source = top.text("source", true).value_or("");
  t.floor = top.real("floor", 1e-15, 1e-2).value_or(kDefaultShareFloor);

  if (const auto node = top.node("shares", true)) {
    StrictMap shares(file, *node, "shares", diags);
    if (shares.valid()) {
      bool complete = true;
      for (int s = 0; s < kStages; ++s) {
        const std::string key(kStageKeys[s]);
        const bool present = shares.has(key);
        if (!present) {
          shares.report({}, fmt::format("missing required key 'shares.{}'", key),
                        "the five stages are hit_and_runner, survivor, pioneer, rising, challenger");
          complete = false;
          continue;
        }
        const auto target = read_target(shares, key, fmt::format("share.{}", key));
        if (target)
          t.shares.push_back(*target);
        else
          complete = false;
      }
      shares.finish();
      if (complete && std::fabs(t.share_sum() - 1.0) > kShareSumTolerance)
        top.report("shares", fmt::format("the five shares sum to {:.6g}, not 1", t.share_sum()),
                   fmt::format("they must sum to 1 within {}", kShareSumTolerance));
    }
  }
  if (const auto node = top.node("cohort")) {
    StrictMap cohort(file, *node, "cohort", diags);
    const auto allowed = cohort_outcomes();
    for (const auto& key : cohort.keys()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) continue;  // finish() reports it
      if (const auto target = read_target(cohort, key, key)) t.cohort.push_back(*target);
    }
    for (const auto& name : allowed) (void)cohort.has(name);  // so finish() suggests valid outcome names
    cohort.finish();
  }
  if (const auto node = top.node("alternatives")) read_alternatives(top, *node, t.alternatives);
  top.finish();
  throw_if_any(diags);
  return t;
}

}  // namespace imersim
