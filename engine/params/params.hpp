// The frozen, typed parameter values of one scenario, generated from parameters.def.
#pragma once
#include <array>
#include <cstdint>

#include "core/stage.hpp"

namespace imersim {

namespace param_types {
using Int = std::int64_t;
using Real = double;
using Bool = bool;
}  // namespace param_types

/// Every model and run parameter, with its default. Fields and defaults come from parameters.def;
/// units and ranges are documented there and in docs/parameters.md.
struct Params {
#define IMERSIM_PARAM(field, key, type, unit, def, lo, hi, desc, source) param_types::type field = def;
#define IMERSIM_PARAM_LIST(...) __VA_ARGS__
#define IMERSIM_STAGE_PARAM(field, key, type, unit, defs, lo, hi, desc, source) \
  std::array<param_types::type, kStages> field = {IMERSIM_PARAM_LIST defs};
#include "params/parameters.def"
#undef IMERSIM_PARAM
#undef IMERSIM_STAGE_PARAM
#undef IMERSIM_PARAM_LIST

  friend bool operator==(const Params&, const Params&) = default;
};

}  // namespace imersim
