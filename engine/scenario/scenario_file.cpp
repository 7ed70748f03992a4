// One scenario file: YAML text -> its name, description, base and checked values, with every problem.
#include <fmt/format.h>

#include <map>

#include "scenario/policies.hpp"
#include "scenario/scenario_detail.hpp"
#include "scenario/strict_map.hpp"

namespace imersim::scenario_detail {
namespace {

bool is_reserved(std::string_view key) {
  return key == "name" || key == "description" || key == "base" || key == "policies";
}

/// Walks the maps of one file, flattening nested and dotted keys into parameter keys.
class Walker {
 public:
  Walker(ScenarioFile& out, std::vector<Diagnostic>& diags) : out_(out), diags_(diags) {}

  void walk(const YAML::Node& map, const std::string& prefix) {
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies: `it->` yields a temporary pair, so references to its members would dangle.
      const YAML::Node key = it->first;
      const YAML::Node value = it->second;
      const Location at = location_of(out_.file, key);
      if (!key.IsScalar()) {
        report(at, prefix, fmt::format("keys must be plain names, got {}", describe_node(key)));
        continue;
      }
      const std::string full = prefix.empty() ? key.Scalar() : prefix + "." + key.Scalar();
      // A key may be written twice in one map, or once nested and once dotted: both are duplicates.
      auto [first, fresh] = seen_.emplace(full, at.line);
      if (!fresh)
        report(at, full, fmt::format("duplicate key '{}'", full), fmt::format("first set at line {}", first->second));
      if (prefix.empty() && is_reserved(full))
        reserved(full, at, value);
      else if (const ParamSpec* spec = find_param(full))
        parameter(*spec, at, value);
      else if (is_key_section(full))
        section(full, at, value);
      else
        unknown(full, at, value);
    }
  }

 private:
  void report(const Location& at, std::string key, std::string message, std::string hint = {}) {
    diags_.push_back(diagnostic_at(at, std::move(key), std::move(message), std::move(hint)));
  }

  void reserved(const std::string& key, const Location& at, const YAML::Node& value) {
    if (key == "policies") {
      parse_policies(out_.file, value, out_.policies, diags_);
      return;
    }
    if (!value.IsScalar() || (key == "base" && value.Scalar().empty())) {
      const char* expected = key == "base" ? "the path of a base scenario file" : "a text";
      report(at, key, fmt::format("expected {}, got {}", expected, describe_node(value)));
      return;
    }
    if (value.Scalar().find('\0') != std::string::npos) {  // "a\0b": a path would be cut at the NUL
      report(at, key, "the text contains a NUL character (\\0)", "remove it");
      return;
    }
    if (key == "name") out_.name = value.Scalar();
    if (key == "description") out_.description = value.Scalar();
    if (key == "base") {
      out_.base = value.Scalar();
      out_.base_at = location_of(out_.file, value);
    }
  }

  void parameter(const ParamSpec& spec, const Location& at, const YAML::Node& value) {
    ValueCheck check = check_node(spec, value);
    if (check.value) {
      out_.assignments.push_back(Assignment{&spec, *check.value, at});
      return;
    }
    // A bad scalar is shown where it is written; a map, list or empty value at its key.
    report(value.IsScalar() ? location_of(out_.file, value) : at, spec.key, std::move(check.message),
           std::move(check.hint));
    out_.rejected.insert(spec.key);
  }

  void section(const std::string& key, const Location& at, const YAML::Node& value) {
    if (value.IsMap()) {
      walk(value, key);
      return;
    }
    report(at, key, fmt::format("expected a map of '{}.*' keys, got {}", key, describe_node(value)),
           "`imersim params` lists the keys of each section");
  }

  void unknown(const std::string& key, const Location& at, const YAML::Node& value) {
    // Under a misspelt section, report each leaf: its full key gets the best suggestion.
    if (value.IsMap() && value.size() > 0) {
      walk(value, key);
      return;
    }
    report(at, key, fmt::format("unknown key '{}'", key), unknown_key_hint(key));
  }

  ScenarioFile& out_;
  std::vector<Diagnostic>& diags_;
  std::map<std::string, int> seen_;  ///< full key -> line where it was first written
};

}  // namespace

ScenarioFile parse_scenario_text(const std::string& file, const std::string& text, std::vector<Diagnostic>& diags) {
  ScenarioFile out;
  out.file = file;
  std::vector<YAML::Node> docs;
  if (report_yaml_aliases(file, text, diags)) return out;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    diags.push_back(Diagnostic{file, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column >= 0 ? e.mark.column + 1 : 0,
                               {}, fmt::format("invalid YAML: {}", e.msg), {}});
    return out;
  }
  out.parsed = true;
  if (docs.empty() || docs.front().IsNull()) return out;  // an empty file sets nothing
  if (docs.size() > 1)
    diags.push_back(diagnostic_at(location_of(file, docs[1]), {},
                                  fmt::format("a scenario file holds one YAML document, this one has {}", docs.size()),
                                  "remove the extra '---' documents"));
  const YAML::Node& root = docs.front();
  if (!root.IsMap()) {
    diags.push_back(diagnostic_at(location_of(file, root), {},
                                  fmt::format("a scenario file must be a map of keys, got {}", describe_node(root))));
    return out;
  }
  Walker(out, diags).walk(root, "");
  return out;
}

}  // namespace imersim::scenario_detail
