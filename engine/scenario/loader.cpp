// load_scenario: reads a file and its base: chain, applies --set overrides, checks consistency.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "scenario/policies.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_detail.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;
using scenario_detail::Location;
using scenario_detail::ScenarioFile;

/// Longest base: chain followed; deeper chains are reported (they are surely a mistake).
constexpr std::size_t kMaxChain = 64;

/// The whole content of `path`, or nothing with the reason in `why`.

/// What identifies a file on disk, so that a cycle is found however its paths are spelt.
std::string identity(const fs::path& path) {
  std::error_code ec;
  fs::path id = fs::weakly_canonical(path, ec);
  if (ec) id = fs::absolute(path, ec).lexically_normal();
  return id.string();
}

/// Everything loaded so far: the files (the given one first, then its bases) and the problems.
struct Chain {
  std::vector<ScenarioFile> files;
  std::vector<Diagnostic> diags;
  bool complete = true;  ///< every file of the chain was read and parsed
};

Chain read_chain(const fs::path& top) {
  Chain chain;
  std::vector<std::string> ids;
  fs::path path = top;
  for (;;) {
    const std::string shown = path.string();
    const ScenarioFile* includer = chain.files.empty() ? nullptr : &chain.files.back();
    const std::string id = identity(path);
    if (auto cycle = std::find(ids.begin(), ids.end(), id); cycle != ids.end()) {
      std::string loop;
      for (auto f = chain.files.begin() + (cycle - ids.begin()); f != chain.files.end(); ++f) loop += f->file + " -> ";
      chain.diags.push_back(scenario_detail::diagnostic_at(includer->base_at, "base",
                                                           fmt::format("base files form a cycle: {}{}", loop, shown),
                                                           "remove one of these base: lines"));
      chain.complete = false;
      return chain;
    }
    if (chain.files.size() == kMaxChain) {
      chain.diags.push_back(scenario_detail::diagnostic_at(
          includer->base_at, "base", fmt::format("more than {} files in the base: chain", kMaxChain)));
      chain.complete = false;
      return chain;
    }
    std::string why;
    std::optional<std::string> text = scenario_detail::read_text(path, why);
    if (!text) {
      if (includer)
        chain.diags.push_back(scenario_detail::diagnostic_at(
            includer->base_at, "base", fmt::format("cannot read base file '{}'", shown),
            fmt::format("{}; a base path is relative to the directory of {}", why, includer->file)));
      else
        chain.diags.push_back(Diagnostic{shown, 0, 0, {}, "cannot read file", why});
      chain.complete = false;
      return chain;
    }
    chain.files.push_back(scenario_detail::parse_scenario_text(shown, *text, chain.diags));
    ids.push_back(id);
    const ScenarioFile& file = chain.files.back();
    if (!file.parsed) chain.complete = false;
    if (!file.base) return chain;
    path = (path.parent_path() / *file.base).lexically_normal();
  }
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return std::string(s.substr(first, s.find_last_not_of(" \t") - first + 1));
}

/// Applies "key=value" overrides, checked like file values, each reported as coming from "--set".
void apply_overrides(const std::vector<std::string>& overrides, Scenario& sc, std::map<std::string, Location>& set_at,
                     std::set<std::string>& rejected, std::vector<Diagnostic>& diags) {
  const Location at{"--set", 0, 0};
  for (const std::string& item : overrides) {
    const auto eq = item.find('=');
    const std::string key = eq == std::string::npos ? std::string() : trim(std::string_view(item).substr(0, eq));
    if (key.empty()) {
      diags.push_back(scenario_detail::diagnostic_at(at, {}, fmt::format("expected key=value, got '{}'", item),
                                                     "for example --set testing.cost_per_test=1.5e6"));
      continue;
    }
    const std::string text = item.substr(eq + 1);
    if (key == "name" || key == "description") {  // free text, taken as written
      (key == "name" ? sc.name : sc.description) = text;
      continue;
    }
    if (key == "base" || key == "policies") {
      diags.push_back(scenario_detail::diagnostic_at(at, key, fmt::format("'{}' cannot be set with --set", key),
                                                     "--set takes parameters, name and description"));
      continue;
    }
    const ParamSpec* spec = find_param(key);
    if (!spec) {
      diags.push_back(scenario_detail::diagnostic_at(at, key, fmt::format("unknown key '{}'", key),
                                                     scenario_detail::unknown_key_hint(key)));
      continue;
    }
    scenario_detail::ValueCheck check;
    try {
      check = scenario_detail::check_node(*spec, YAML::Load(text));
    } catch (const YAML::Exception& e) {
      check.message = fmt::format("cannot read value '{}' as YAML: {}", text, e.msg);
    }
    if (!check.value) {
      diags.push_back(scenario_detail::diagnostic_at(at, key, std::move(check.message), std::move(check.hint)));
      rejected.insert(key);
      continue;
    }
    spec->set(sc.params, *check.value);
    sc.origins[key] = ValueOrigin{at.file, 0};
    set_at[key] = at;
  }
}

/// Rules across keys, each shown where one of its keys was set. A rule that reads a key whose value
/// was rejected is skipped: its outcome would be about a value the user did not write.
void check_combinations(const Scenario& sc, const std::map<std::string, Location>& set_at,
                        const std::set<std::string>& rejected, std::vector<Diagnostic>& diags) {
  for (const ConsistencyProblem& problem : check_consistency(sc.params)) {
    std::vector<std::string> keys = problem.keys.empty() ? std::vector<std::string>{problem.key} : problem.keys;
    if (std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return rejected.contains(k); })) continue;
    auto set = std::find_if(keys.begin(), keys.end(), [&](const std::string& k) { return set_at.contains(k); });
    if (set == keys.end())
      diags.push_back(Diagnostic{sc.path.string(), 0, 0, problem.key, problem.message, {}});
    else
      diags.push_back(scenario_detail::diagnostic_at(set_at.at(*set), *set, problem.message));
  }
}

}  // namespace

Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
  Chain chain = read_chain(path);
  Scenario sc;
  sc.path = path;
  sc.name = path.stem().string();
  std::map<std::string, Location> set_at;
  std::set<std::string> rejected;
  if (!chain.files.empty()) {
    const ScenarioFile& top = chain.files.front();
    if (top.name) sc.name = *top.name;
    if (top.description) sc.description = *top.description;
  }
  for (std::size_t i = 1; i < chain.files.size(); ++i) sc.includes.emplace_back(chain.files[i].file);
  // Bases first, so that each file overrides the files it is based on; the last writer wins.
  for (auto file = chain.files.rbegin(); file != chain.files.rend(); ++file) {
    for (const auto& a : file->assignments) {
      a.spec->set(sc.params, a.value);
      sc.origins[a.spec->key] = ValueOrigin{a.where.file, a.where.line};
      set_at[a.spec->key] = a.where;
    }
    rejected.insert(file->rejected.begin(), file->rejected.end());
    merge_policies(sc.policies, file->policies);
  }
  check_policies(path.string(), sc.policies, chain.diags);
  apply_overrides(overrides, sc, set_at, rejected, chain.diags);
  if (chain.complete) check_combinations(sc, set_at, rejected, chain.diags);
  if (!chain.diags.empty()) throw InputError(std::move(chain.diags));
  return sc;
}

}  // namespace imersim
