// Builds the ParamSpec table from parameters.def; consistency rules; the generated parameter doc.
#include "params/param_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace imersim {
namespace {

constexpr ParamType to_type(std::string_view t) {
  return t == "Int" ? ParamType::Int : (t == "Real" ? ParamType::Real : ParamType::Bool);
}

template <typename T>
double as_double(T v) {
  return static_cast<double>(v);
}

const std::vector<ParamSpec>& table() {
  static const std::vector<ParamSpec> t = [] {
    std::vector<ParamSpec> v;
#define IMERSIM_PARAM(field, key, type, unit, def, lo, hi, desc, source)                       \
  v.push_back(ParamSpec{key, to_type(#type), unit, as_double(def), as_double(lo), as_double(hi), \
                        desc, source, [](const Params& p) { return as_double(p.field); },      \
                        [](Params& p, double x) { p.field = static_cast<param_types::type>(x); }});
#define IMERSIM_STAGE_ENTRY(field, key, type, unit, lo, hi, desc, source, s)                        \
  v.push_back(ParamSpec{key "." #s, to_type(#type), unit, as_double(Params{}.field[s]), as_double(lo), \
                        as_double(hi), desc, source, [](const Params& p) { return as_double(p.field[s]); }, \
                        [](Params& p, double x) { p.field[s] = static_cast<param_types::type>(x); }});
#define IMERSIM_STAGE_PARAM(field, key, type, unit, defs, lo, hi, desc, source) \
  IMERSIM_STAGE_ENTRY(field, key, type, unit, lo, hi, desc, source, 0)          \
  IMERSIM_STAGE_ENTRY(field, key, type, unit, lo, hi, desc, source, 1)          \
  IMERSIM_STAGE_ENTRY(field, key, type, unit, lo, hi, desc, source, 2)          \
  IMERSIM_STAGE_ENTRY(field, key, type, unit, lo, hi, desc, source, 3)          \
  IMERSIM_STAGE_ENTRY(field, key, type, unit, lo, hi, desc, source, 4)
#include "params/parameters.def"
#undef IMERSIM_PARAM
#undef IMERSIM_STAGE_PARAM
#undef IMERSIM_STAGE_ENTRY
    // Stage entries were generated with numeric suffixes; give them stage names.
    for (auto& spec : v) {
      auto dot = spec.key.rfind('.');
      std::string_view last = std::string_view(spec.key).substr(dot + 1);
      if (last.size() == 1 && last[0] >= '0' && last[0] <= '4')
        spec.key = spec.key.substr(0, dot + 1) + std::string(kStageKeys[last[0] - '0']);
    }
    return v;
  }();
  return t;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string_view last_part(std::string_view k) {
  auto dot = k.rfind('.');
  return dot == std::string_view::npos ? k : k.substr(dot + 1);
}

}  // namespace

std::span<const ParamSpec> param_table() { return table(); }

const ParamSpec* find_param(std::string_view key) {
  for (const auto& s : table())
    if (s.key == key) return &s;
  return nullptr;
}

namespace {

/// Distance used to rank keys: typos in the whole key, or a right name in the wrong section.
std::size_t key_distance(std::string_view key, std::string_view valid) {
  return std::min(edit_distance(key, valid), edit_distance(last_part(key), last_part(valid)) + 2);
}

}  // namespace

std::vector<std::string_view> closest_keys(std::string_view key, std::size_t n) {
  std::vector<std::pair<std::size_t, std::string_view>> scored;
  for (const auto& s : table()) scored.emplace_back(key_distance(key, s.key), s.key);
  std::stable_sort(scored.begin(), scored.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < scored.size() && out.size() < n; ++i) out.push_back(scored[i].second);
  return out;
}

std::optional<std::string_view> suggest_key(std::string_view key) {
  auto best = closest_keys(key, 1);
  if (best.empty()) return std::nullopt;
  const std::size_t limit = std::max<std::size_t>(3, key.size() / 3);
  if (key_distance(key, best.front()) > limit) return std::nullopt;
  return best.front();
}

std::optional<std::string> suggest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& c : candidates) {
    const std::size_t d = key_distance(name, c);
    if (best == nullptr || d < best_distance) best = &c, best_distance = d;
  }
  if (best == nullptr || best_distance > std::max<std::size_t>(3, name.size() / 3)) return std::nullopt;
  return *best;
}

bool is_key_section(std::string_view prefix) {
  if (prefix.empty()) return false;
  return std::any_of(table().begin(), table().end(), [&](const ParamSpec& s) {
    return s.key.size() > prefix.size() && s.key.compare(0, prefix.size(), prefix) == 0 && s.key[prefix.size()] == '.';
  });
}

std::string format_value(const ParamSpec& spec, double value) {
  switch (spec.type) {
    case ParamType::Bool: return value != 0 ? "true" : "false";
    case ParamType::Int:
      if (std::fabs(value) < 9.2e18) return fmt::format("{}", static_cast<long long>(value));
      return fmt::format("{:.0f}", value);  // out of int64 range: only ever shown in an error message
    case ParamType::Real: break;
  }
  // fmt's default is the shortest text that reads back to the same double, in fixed notation up to
  // 16 digits: 1e6 -> 1000000, 0.05 -> 0.05, 2.5e-7 -> 2.5e-07, 1e16 -> 1e+16.
  return fmt::format("{}", value);
}

std::vector<ConsistencyProblem> check_consistency(const Params& p) {
  std::vector<ConsistencyProblem> out;
  auto value = [&](std::string_view key) {
    const ParamSpec* s = find_param(key);
    return format_value(*s, s->get(p));
  };
  const double th[] = {p.stage_threshold_survivor, p.stage_threshold_pioneer, p.stage_threshold_rising,
                       p.stage_threshold_challenger};
  const char* keys[] = {"stage.threshold.survivor", "stage.threshold.pioneer", "stage.threshold.rising",
                        "stage.threshold.challenger"};
  for (int i = 1; i < 4; ++i)
    if (!(th[i] > th[i - 1]))
      out.push_back({keys[i],
                     fmt::format("stage thresholds must increase: {} = {} is not above {} = {}", keys[i],
                                 value(keys[i]), keys[i - 1], value(keys[i - 1])),
                     {keys[i], keys[i - 1]}});
  double life = p.winners_life_p1 + p.winners_life_p2 + p.winners_life_p3;
  if (std::fabs(life - 1.0) > 1e-9)
    out.push_back({"winners.life_p3",
                   fmt::format("winners.life_p1 + winners.life_p2 + winners.life_p3 must be 1, is {:.10g}", life),
                   {"winners.life_p3", "winners.life_p2", "winners.life_p1"}});
  if (p.entry_skill_min > p.entry_skill_max)
    out.push_back({"entry.skill_max",
                   fmt::format("entry.skill_max ({}) is below entry.skill_min ({})", value("entry.skill_max"),
                               value("entry.skill_min")),
                   {"entry.skill_max", "entry.skill_min"}});
  if (p.brand_life_min > p.brand_life_max)
    out.push_back({"brand.life_max",
                   fmt::format("brand.life_max ({}) is below brand.life_min ({})", value("brand.life_max"),
                               value("brand.life_min")),
                   {"brand.life_max", "brand.life_min"}});
  if (p.winners_potential_cap < p.winners_potential_scale)
    out.push_back({"winners.potential_cap",
                   fmt::format("winners.potential_cap ({}) is below winners.potential_scale ({})",
                               value("winners.potential_cap"), value("winners.potential_scale")),
                   {"winners.potential_cap", "winners.potential_scale"}});
  return out;
}

std::string parameters_markdown() {
  std::string md =
      "# Parameters\n\n"
      "<!-- Generated by `imersim params --markdown` from engine/params/parameters.def. Do not edit by hand;\n"
      "     a test fails when this file is stale. -->\n\n"
      "Every key a scenario may set, with its type, unit, default, allowed range (inclusive), meaning and\n"
      "source. Per-stage keys end in `.hit_and_runner`, `.survivor`, `.pioneer`, `.rising`, `.challenger`.\n";
  // Group by section (first part of the key) in order of first appearance, so that a section
  // declared in two places of parameters.def still gets one heading.
  std::vector<std::string_view> sections;
  for (const auto& s : table()) {
    std::string_view sec = std::string_view(s.key).substr(0, s.key.find('.'));
    if (std::find(sections.begin(), sections.end(), sec) == sections.end()) sections.push_back(sec);
  }
  for (std::string_view section : sections) {
    md += fmt::format("\n## `{}`\n\n| key | type | unit | default | range | description | source |\n"
                      "|---|---|---|---|---|---|---|\n",
                      section);
    for (const auto& s : table()) {
      if (std::string_view(s.key).substr(0, s.key.find('.')) != section) continue;
      const char* type = s.type == ParamType::Int ? "int" : (s.type == ParamType::Real ? "real" : "bool");
      std::string range = s.type == ParamType::Bool
                              ? std::string("true/false")
                              : fmt::format("{} … {}", format_value(s, s.min), format_value(s, s.max));
      md += fmt::format("| `{}` | {} | {} | {} | {} | {} | {} |\n", s.key, type, s.unit,
                        format_value(s, s.default_value), range, s.description, s.source);
    }
  }
  return md;
}

}  // namespace imersim
