// Experimental designs of a parameter sweep: full grid, Latin hypercube, Saltelli (Sobol sequence)
// and an explicit CSV of points; each yields the same rows on every machine, rank and thread count.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "params/param_table.hpp"

namespace imersim {

/// One swept parameter: a range [min, max] (continuous designs; grid uses `levels` evenly spaced
/// values) or an explicit list of values. Values are in the parameter's own unit; integer and
/// boolean parameters are rounded to the nearest whole value.
struct SweepParameter {
  std::string key;                ///< dotted scenario key, e.g. "testing.cost_per_test"
  const ParamSpec* spec = nullptr;
  double min = 0, max = 0;        ///< range (when `values` is empty)
  std::vector<double> values;     ///< explicit list (takes precedence over the range)
};

enum class DesignKind { Grid, LatinHypercube, Saltelli, Csv };

/// The design section of a sweep file.
struct Design {
  DesignKind kind = DesignKind::Grid;
  std::int64_t points = 0;       ///< LHS: number of points; Saltelli: base samples N (N*(k+2) points)
  std::int64_t levels = 3;       ///< grid: values per range parameter
  std::uint32_t seed = 1;        ///< LHS: key of the counter-based stream that draws the hypercube
  std::filesystem::path csv;     ///< CSV design: file of points (header = parameter keys)
};

/// Name of a design kind as written in sweep files ("grid", "lhs", "saltelli", "csv").
std::string design_name(DesignKind kind);

/// Every point of the design: rows[point][parameter], in the order of `params`. Grid: last
/// parameter varies fastest. LHS: one value per stratum of each parameter, strata paired by
/// Philox-drawn permutations keyed by `design.seed`. Saltelli: for base sample j the rows A_j, B_j,
/// AB_j^1..AB_j^k at saltelli_index(j, m, k) (see analysis/sobol.hpp), A and B from one
/// 2k-dimensional Sobol sequence (Boost.Random). CSV designs are read with read_csv_design().
std::vector<std::vector<double>> design_points(const std::vector<SweepParameter>& params, const Design& design);

/// Maps u in [0, 1) to a value of `p`: min + u (max - min), or values[floor(u * size)]; rounded for
/// integer and boolean parameters.
double design_value(const SweepParameter& p, double u);

/// The most points a design may have (grid, LHS, Saltelli or CSV): a sweep that large already means
/// years of simulation, and its rows are held in memory (a grid of 8 parameters at 1000 levels would
/// need 10^24).
inline constexpr std::int64_t kMaxDesignPoints = 1'000'000;

/// Reads a CSV design: a header naming parameter keys, then one row of numbers per point. Fills
/// `params` from the header (each key checked with find_param) and returns the rows. Reports every
/// problem (unknown key, wrong column count, not a number) with file:line:column into `diags`.
std::vector<std::vector<double>> read_csv_design(const std::filesystem::path& path, std::vector<SweepParameter>& params,
                                                 std::vector<Diagnostic>& diags);

}  // namespace imersim
