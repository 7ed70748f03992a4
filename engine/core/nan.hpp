// The quiet NaN that marks a statistic with no value (an empty sample, a zero denominator), as one
// constant for every module.
#pragma once
#include <limits>

namespace imersim {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace imersim
