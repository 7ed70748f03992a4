// The runtime view of parameters.def: one ParamSpec per key, with typed get/set on Params.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "params/params.hpp"

namespace imersim {

enum class ParamType { Int, Real, Bool };

/// One scenario key: its type, unit, default, allowed range, description and source.
struct ParamSpec {
  std::string key;               ///< dotted key as written in YAML, e.g. "testing.cost_per_test"
  ParamType type;
  std::string_view unit;         ///< e.g. "IDR", "month", "probability"
  double default_value;
  double min;                    ///< inclusive
  double max;                    ///< inclusive
  std::string_view description;
  std::string_view source;       ///< DOMAIN section, "calibrated" or "assumption: ..."
  double (*get)(const Params&);
  void (*set)(Params&, double);
};

/// All parameters, in declaration order.
std::span<const ParamSpec> param_table();

/// The spec of `key`, or nullptr.
const ParamSpec* find_param(std::string_view key);

/// Up to `n` valid keys closest to `key` (edit distance on the dotted key and on its last part).
std::vector<std::string_view> closest_keys(std::string_view key, std::size_t n = 1);

/// The valid key `key` is most plausibly a misspelling of, or nothing when no key is close enough
/// to suggest (used for "did you mean ...?" hints).
std::optional<std::string_view> suggest_key(std::string_view key);

/// The same "did you mean" rule over any list of names (outcomes, lever keys, sweep fields).
std::optional<std::string> suggest_name(std::string_view name, const std::vector<std::string>& candidates);

/// True when `prefix` is a section of keys, i.e. some key starts with "prefix." ("team", "team.size").
bool is_key_section(std::string_view prefix);

/// Value rendered as it would be written in YAML (ints without decimals, bools as true/false, reals
/// in the shortest form that reads back to the same double: 1000000, 0.05, 2.5e-07).
std::string format_value(const ParamSpec& spec, double value);

/// Checks combinations no single range can express (e.g. thresholds increasing, lifetime shares
/// summing to 1). Returns one message per problem, each naming its key.
struct ConsistencyProblem {
  std::string key;                    ///< the key to change (first of `keys`)
  std::string message;
  std::vector<std::string> keys = {};  ///< every key the rule reads, `key` first
};
std::vector<ConsistencyProblem> check_consistency(const Params& p);

/// docs/parameters.md, generated from the table.
std::string parameters_markdown();

}  // namespace imersim
