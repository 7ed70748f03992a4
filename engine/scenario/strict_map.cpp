// StrictMap: typed, located, all-at-once reading of the maps of targets, calibration, sweep and
// policy files, with the same value rules as scenario parameters.
#include "scenario/strict_map.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "params/param_table.hpp"
#include "scenario/scenario_detail.hpp"

namespace imersim {

using scenario_detail::check_node;
using scenario_detail::describe_node;
using scenario_detail::diagnostic_at;
using scenario_detail::location_of;

StrictMap::StrictMap(std::string file, const YAML::Node& node, std::string path, std::vector<Diagnostic>& diags)
    : file_(std::move(file)), path_(std::move(path)), map_(node), diags_(diags) {
  if (!node.IsMap()) {
    diags_.push_back(diagnostic_at(location_of(file_, node), path_,
                                   fmt::format("expected a map of keys, got {}", describe_node(node))));
    return;
  }
  valid_ = true;
  for (auto it = node.begin(); it != node.end(); ++it) {
    const YAML::Node key = it->first;
    const YAML::Node value = it->second;
    if (!key.IsScalar()) {
      diags_.push_back(diagnostic_at(location_of(file_, key), path_,
                                     fmt::format("keys must be plain names, got {}", describe_node(key))));
      continue;
    }
    bool duplicate = false;
    for (const auto& [name, e] : entries_) {
      if (name == key.Scalar()) {
        diags_.push_back(diagnostic_at(location_of(file_, key), full(name), fmt::format("duplicate key '{}'", full(name)),
                                       fmt::format("first set at line {}", location_of(file_, e.key).line)));
        duplicate = true;
      }
    }
    if (!duplicate) entries_.push_back({key.Scalar(), Entry{key, value, false}});
  }
}

std::string StrictMap::full(const std::string& key) const {
  if (key.empty()) return path_;
  return path_.empty() ? key : path_ + "." + key;
}

std::vector<std::string> StrictMap::keys() const {
  std::vector<std::string> out;
  for (const auto& [name, e] : entries_) out.push_back(name);
  return out;
}

StrictMap::Entry* StrictMap::find(const std::string& key, bool required) {
  asked_.push_back(key);
  for (auto& [name, e] : entries_) {
    if (name == key) {
      e.asked = true;
      return &e;
    }
  }
  if (required && valid_) report({}, fmt::format("missing required key '{}'", full(key)));
  return nullptr;
}

bool StrictMap::has(const std::string& key) {
  asked_.push_back(key);
  for (auto& [name, e] : entries_)
    if (name == key) return e.asked = true;
  return false;
}

void StrictMap::report(const std::string& key, std::string message, std::string hint) {
  const Entry* e = nullptr;
  for (const auto& [name, entry] : entries_)
    if (name == key) e = &entry;
  diags_.push_back(diagnostic_at(location_of(file_, e ? e->key : map_), full(key), std::move(message), std::move(hint)));
}

void StrictMap::report_at(const YAML::Node& where, const std::string& key, std::string message, std::string hint) {
  diags_.push_back(diagnostic_at(location_of(file_, where), full(key), std::move(message), std::move(hint)));
}

namespace {
/// A throwaway ParamSpec so that values here follow exactly the scenario value rules.
ParamSpec spec_for(const std::string& key, ParamType type, double min, double max, bool money) {
  return ParamSpec{key, type, money ? "IDR" : "", 0.0, min, max, "", "", nullptr, nullptr};
}
}  // namespace

std::optional<double> StrictMap::real(const std::string& key, double min, double max, bool required, bool money) {
  Entry* e = find(key, required);
  if (e == nullptr) return std::nullopt;
  const auto check = check_node(spec_for(full(key), ParamType::Real, min, max, money), e->value);
  if (!check.value) report_at(e->value.IsScalar() ? e->value : e->key, key, check.message, check.hint);
  return check.value;
}

std::optional<std::int64_t> StrictMap::integer(const std::string& key, std::int64_t min, std::int64_t max,
                                               bool required) {
  Entry* e = find(key, required);
  if (e == nullptr) return std::nullopt;
  const auto check =
      check_node(spec_for(full(key), ParamType::Int, static_cast<double>(min), static_cast<double>(max), false), e->value);
  if (!check.value) {
    report_at(e->value.IsScalar() ? e->value : e->key, key, check.message, check.hint);
    return std::nullopt;
  }
  return static_cast<std::int64_t>(*check.value);
}

std::optional<bool> StrictMap::boolean(const std::string& key, bool required) {
  Entry* e = find(key, required);
  if (e == nullptr) return std::nullopt;
  const auto check = check_node(spec_for(full(key), ParamType::Bool, 0, 1, false), e->value);
  if (!check.value) {
    report_at(e->value.IsScalar() ? e->value : e->key, key, check.message, check.hint);
    return std::nullopt;
  }
  return *check.value != 0;
}

std::optional<std::string> StrictMap::text(const std::string& key, bool required,
                                           const std::vector<std::string>& choices) {
  Entry* e = find(key, required);
  if (e == nullptr) return std::nullopt;
  if (!e->value.IsScalar() || e->value.Scalar().empty()) {
    report(key, fmt::format("expected a text, got {}", describe_node(e->value)));
    return std::nullopt;
  }
  const std::string& v = e->value.Scalar();
  if (v.find('\0') != std::string::npos) {  // "a\0b": a file name would be cut at the NUL, a message too
    report_at(e->value, key, "the text contains a NUL character (\\0)", "remove it");
    return std::nullopt;
  }
  if (!choices.empty() && std::find(choices.begin(), choices.end(), v) == choices.end()) {
    std::string list;
    for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c;
    const auto near = suggest_name(v, choices);
    report_at(e->value, key, fmt::format("'{}' is not one of {}", v, list),
              near ? fmt::format("did you mean '{}'?", *near) : std::string{});
    return std::nullopt;
  }
  return v;
}

std::optional<YAML::Node> StrictMap::node(const std::string& key, bool required) {
  Entry* e = find(key, required);
  if (e == nullptr) return std::nullopt;
  return e->value;
}

std::optional<std::vector<double>> StrictMap::reals(const std::string& key, double min, double max, bool required,
                                                    bool money) {
  Entry* e = find(key, required);
  if (e == nullptr) return std::nullopt;
  if (!e->value.IsSequence() || e->value.size() == 0) {
    report(key, fmt::format("expected a non-empty list of numbers, got {}", describe_node(e->value)));
    return std::nullopt;
  }
  std::vector<double> out;
  bool ok = true;
  for (const auto& it : e->value) {
    const YAML::Node item = it;
    const auto check = check_node(spec_for(full(key), ParamType::Real, min, max, money), item);
    if (check.value) {
      out.push_back(*check.value);
    } else {
      ok = false;
      report_at(item.IsScalar() ? item : e->key, key, check.message, check.hint);
    }
  }
  if (!ok) return std::nullopt;
  return out;
}

void StrictMap::finish() {
  for (const auto& [name, e] : entries_) {
    if (e.asked) continue;
    const auto near = suggest_name(name, asked_);
    std::string hint = near ? fmt::format("did you mean '{}'?", *near) : std::string{};
    if (!near && !asked_.empty()) {
      std::string list;
      for (const auto& a : asked_)
        if (list.find(a) == std::string::npos) list += (list.empty() ? "" : ", ") + a;
      hint = "valid keys here: " + list;
    }
    diags_.push_back(diagnostic_at(location_of(file_, e.key), full(name), fmt::format("unknown key '{}'", full(name)),
                                   std::move(hint)));
  }
}

namespace {

/// Notes where aliases occur; ignores every other event.
class AliasFinder : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> aliases;
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { aliases.push_back(mark); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

bool report_yaml_aliases(const std::string& file, const std::string& text, std::vector<Diagnostic>& diags) {
  AliasFinder finder;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(finder)) {
    }
  } catch (const YAML::Exception&) {  // invalid YAML: the loader reports it
  }
  constexpr std::size_t kShown = 3;
  for (std::size_t i = 0; i < std::min(finder.aliases.size(), kShown); ++i) {
    const YAML::Mark& m = finder.aliases[i];
    diags.push_back(Diagnostic{file, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0, {},
                               finder.aliases.size() > kShown && i + 1 == kShown
                                   ? fmt::format("YAML aliases are not supported ({} in this file)", finder.aliases.size())
                                   : std::string("YAML aliases are not supported"),
                               "write the value out, or share values between files with `base:`"});
  }
  return !finder.aliases.empty();
}

YAML::Node load_yaml_map_file(const std::string& path, std::vector<Diagnostic>& diags) {
  std::string why;
  const auto text = scenario_detail::read_text(path, why);
  // The user's input file: not readable is bad input (exit 2), naming the file.
  if (!text) throw InputError(path, fmt::format("cannot read it: {}", why), "check the path and its permissions");
  if (report_yaml_aliases(path, *text, diags)) return YAML::Node();
  YAML::Node root;
  try {
    root = YAML::Load(*text);
  } catch (const YAML::Exception& e) {
    diags.push_back(Diagnostic{path, e.mark.line >= 0 ? e.mark.line + 1 : 0, e.mark.column >= 0 ? e.mark.column + 1 : 0,
                               {}, fmt::format("invalid YAML: {}", e.msg), {}});
    return YAML::Node();
  }
  if (!root.IsMap()) {
    diags.push_back(diagnostic_at(location_of(path, root), {},
                                  fmt::format("the file must be a map of keys, got {}", describe_node(root))));
    return YAML::Node();
  }
  return root;
}

void throw_if_any(std::vector<Diagnostic>& diags) {
  if (!diags.empty()) throw InputError(std::move(diags));
}

}  // namespace imersim
