// The `policies:` section: strict parsing of each lever with StrictMap, cross-lever rules, and the
// resolved YAML. Each lever's fields come from its visit() in policy/policy_spec.hpp.
#include "scenario/policies.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "params/param_table.hpp"
#include "scenario/strict_map.hpp"

namespace imersim {
namespace {

constexpr double kMaxMoney = 1.0e15;  // IDR: larger amounts are surely a typo

/// Reads one lever's fields from its map; keys absent keep the lever's defaults.
class Reader {
 public:
  explicit Reader(StrictMap& m) : m_(m) {}
  void integer(const char* key, std::int64_t& f, std::int64_t lo, std::int64_t hi, const char*, const char*) {
    if (auto v = m_.integer(key, lo, hi)) f = *v;
  }
  void real(const char* key, double& f, double lo, double hi, const char*, const char*) {
    if (auto v = m_.real(key, lo, hi)) f = *v;
  }
  void money(const char* key, std::int64_t& f, const char*) {
    if (auto v = m_.real(key, 0, kMaxMoney, false, true)) f = std::llround(*v);
  }
  void boolean(const char* key, bool& f, const char*) {
    if (auto v = m_.boolean(key)) f = *v;
  }
  void stages(const char* key, StageSet& f, const char*) {
    auto node = m_.node(key);
    if (!node) return;
    if (!node->IsSequence() || node->size() == 0) {
      m_.report(key, "expected a non-empty list of stages", "for example [hit_and_runner, survivor]");
      return;
    }
    const std::vector<std::string> names(kStageKeys.begin(), kStageKeys.end());
    StageSet set{};
    bool ok = true;
    for (const auto& it : *node) {
      const YAML::Node item = it;
      const std::string text = item.IsScalar() ? item.Scalar() : std::string();
      const auto found = std::find(names.begin(), names.end(), text);
      if (found == names.end()) {
        const auto near = suggest_name(text, names);
        m_.report_at(item, key, fmt::format("'{}' is not a stage", text),
                     near ? fmt::format("did you mean '{}'?", *near)
                          : "stages are hit_and_runner, survivor, pioneer, rising, challenger");
        ok = false;
        continue;
      }
      set[static_cast<std::size_t>(found - names.begin())] = true;
    }
    if (ok) f = set;
  }
  void stage_money(const char* key, StageMoney& f, const char*) {
    auto node = m_.node(key);
    if (!node) return;
    StrictMap sub(m_.file(), *node, m_.full(key), m_.diagnostics());
    if (!sub.valid()) return;
    for (int s = 0; s < kStages; ++s)
      if (auto v = sub.real(std::string(kStageKeys[s]), 0, kMaxMoney, false, true)) f[s] = std::llround(*v);
    sub.finish();
  }

 private:
  StrictMap& m_;
};

std::string format_real(double v) { return fmt::format("{}", v); }

/// Writes one lever's fields as YAML lines indented by four spaces.
class Writer {
 public:
  std::string out;
  void integer(const char* key, const std::int64_t& f, std::int64_t, std::int64_t, const char*, const char*) {
    line(key, fmt::format("{}", f));
  }
  void real(const char* key, const double& f, double, double, const char*, const char*) { line(key, format_real(f)); }
  void money(const char* key, const std::int64_t& f, const char*) { line(key, fmt::format("{}", f)); }
  void boolean(const char* key, const bool& f, const char*) { line(key, f ? "true" : "false"); }
  void stages(const char* key, const StageSet& f, const char*) {
    std::string list;
    for (int s = 0; s < kStages; ++s)
      if (f[s]) list += (list.empty() ? "" : ", ") + std::string(kStageKeys[s]);
    line(key, "[" + list + "]");
  }
  void stage_money(const char* key, const StageMoney& f, const char*) {
    std::string map;
    for (int s = 0; s < kStages; ++s) map += fmt::format("{}{}: {}", s ? ", " : "", kStageKeys[s], f[s]);
    line(key, "{" + map + "}");
  }

 private:
  void line(const char* key, const std::string& value) { out += fmt::format("    {}: {}\n", key, value); }
};

/// Collects the keys of one lever.
struct KeyLister {
  std::string prefix;
  std::vector<std::string>* keys;
  void add(const char* key) { keys->push_back(prefix + key); }
  void integer(const char* k, std::int64_t&, std::int64_t, std::int64_t, const char*, const char*) { add(k); }
  void real(const char* k, double&, double, double, const char*, const char*) { add(k); }
  void money(const char* k, std::int64_t&, const char*) { add(k); }
  void boolean(const char* k, bool&, const char*) { add(k); }
  void stages(const char* k, StageSet&, const char*) { add(k); }
  void stage_money(const char* k, StageMoney&, const char*) { add(k); }
};

}  // namespace

void parse_policies(const std::string& file, const YAML::Node& node, PolicySpecs& into, std::vector<Diagnostic>& diags) {
  if (node.IsNull()) return;
  StrictMap top(file, node, "policies", diags);
  if (!top.valid()) return;
  into.for_each([&](std::string_view name, auto& lever) {
    auto lever_node = top.node(std::string(name));
    if (!lever_node) return;
    using Spec = typename std::decay_t<decltype(lever)>::value_type;
    Spec spec;
    StrictMap m(file, *lever_node, top.full(std::string(name)), diags);
    if (!m.valid()) return;
    Reader reader(m);
    spec.visit(reader);
    const YAML::Node& lever_yaml = *lever_node;
    const YAML::Node registration = lever_yaml.IsMap() ? lever_yaml["requires_registration"] : YAML::Node();
    const YAML::Mark mark = registration ? registration.Mark() : lever_yaml.Mark();
    spec.source_file = file;
    spec.source_line = mark.line >= 0 ? mark.line + 1 : 0;
    spec.source_column = mark.line >= 0 ? mark.column + 1 : 0;
    if (spec.end >= 0 && spec.end <= spec.start)
      m.report("end", fmt::format("end ({}) must be after start ({})", spec.end, spec.start),
               "end is the first month the lever no longer runs; -1 runs it to the end");
    m.finish();
    lever = spec;
  });
  top.finish();
}

void merge_policies(PolicySpecs& into, const PolicySpecs& from) {
  PolicySpecs copy = from;
  copy.for_each([&](std::string_view name, auto& lever) {
    if (!lever) return;
    into.for_each([&](std::string_view target, auto& slot) {
      if constexpr (std::is_same_v<std::decay_t<decltype(slot)>, std::decay_t<decltype(lever)>>)
        if (target == name) slot = lever;
    });
  });
}

void check_policies(const std::string& file, const PolicySpecs& p, std::vector<Diagnostic>& diags) {
  PolicySpecs copy = p;
  copy.for_each([&](std::string_view name, auto& lever) {
    if (lever && lever->requires_registration && name == "registry")
      diags.push_back(Diagnostic{lever->source_file.empty() ? file : lever->source_file, lever->source_line,
                                 lever->source_column, "policies.registry.requires_registration",
                                 "the registry cannot require registration: nobody could enrol in it",
                                 "remove requires_registration from the registry lever"});
    else if (lever && lever->requires_registration && !p.registry)
      diags.push_back(Diagnostic{lever->source_file.empty() ? file : lever->source_file, lever->source_line,
                                 lever->source_column, fmt::format("policies.{}.requires_registration", name),
                                 "requires_registration is true but the scenario has no registry lever",
                                 "add policies.registry, or set requires_registration: false"});
  });
}

std::string policies_yaml(const PolicySpecs& p) {
  if (p.empty()) return "policies: {}\n";
  std::string out = "policies:\n";
  PolicySpecs copy = p;
  copy.for_each([&](std::string_view name, auto& lever) {
    if (!lever) return;
    Writer w;
    lever->visit(w);
    out += fmt::format("  {}:\n{}", name, w.out);
  });
  return out;
}

std::vector<std::string> policy_keys() {
  std::vector<std::string> keys;
  PolicySpecs all;
  all.for_each([&](std::string_view name, auto& lever) {
    using Spec = typename std::decay_t<decltype(lever)>::value_type;
    Spec spec;
    KeyLister lister{std::string(name) + ".", &keys};
    spec.visit(lister);
  });
  return keys;
}

}  // namespace imersim
