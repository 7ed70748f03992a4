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

/// Value rendered as it would be written in YAML (ints without decimals, bools as true/false).
std::string format_value(const ParamSpec& spec, double value);

/// Checks combinations no single range can express (e.g. thresholds increasing, lifetime shares
/// summing to 1). Returns one message per problem, each naming its key.
struct ConsistencyProblem {
  std::string key;
  std::string message;
};
std::vector<ConsistencyProblem> check_consistency(const Params& p);

/// docs/parameters.md, generated from the table.
std::string parameters_markdown();

}  // namespace imersim
