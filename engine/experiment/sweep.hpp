// A parameter sweep file (base scenario, swept parameters, design, replicates, outcomes), read
// strictly, and its expansion into points: each point is the base scenario plus "key=value"
// overrides, validated like a scenario and identified by a hash of its resolved YAML.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "experiment/design.hpp"
#include "scenario/scenario.hpp"

namespace imersim {

/// How replicate seeds are chosen across points.
enum class SeedMode {
  Common,     ///< every point uses the base run.seed, replicates 0..R-1 (common random numbers)
  PerPoint,   ///< point i uses run.seed + i (independent noise between points)
};

/// A validated sweep file.
struct SweepSpec {
  std::string name;                         ///< `name:`, else the file stem
  std::filesystem::path path;               ///< the sweep file
  std::filesystem::path scenario;           ///< `scenario:`, resolved relative to the sweep file
  std::vector<std::string> set;             ///< `set:` overrides applied to every point ("key=value")
  std::vector<SweepParameter> parameters;   ///< swept parameters (from the CSV header for csv designs)
  Design design;
  std::int64_t replicates = 1;              ///< replicates per point
  SeedMode seeds = SeedMode::Common;
  std::vector<std::string> outcomes;        ///< names from analysis/outcomes.hpp
  std::vector<std::size_t> outcome_index;   ///< positions of `outcomes` in outcome_specs()
  std::vector<std::vector<double>> rows;    ///< design points: rows[point][parameter]
  std::string text;                         ///< the sweep file as written (stored in outputs)
};

/// Reads and validates a sweep file: every problem (unknown key, bad range, unknown parameter or
/// outcome, invalid base scenario) is collected and thrown as one InputError. Generates the design.
SweepSpec load_sweep(const std::filesystem::path& path);

/// One point of a sweep, ready to run (or already known to be invalid).
struct SweepPoint {
  std::int64_t index = 0;                 ///< 0-based row of the design
  std::vector<std::string> overrides;     ///< applied after the base scenario, in order
  std::optional<Scenario> scenario;       ///< empty when the point is invalid
  std::string error;                      ///< why the point is invalid (empty when valid)
  std::uint64_t hash = 0;                 ///< point_hash() of the resolved scenario
};

/// Builds point `index` of the sweep: base scenario + `set` + the point's parameter values +
/// run.replicates (+ run.seed in PerPoint mode). A point that fails scenario validation is returned
/// with its error (the sweep records it and goes on) and a hash of its overrides instead.
SweepPoint make_point(const SweepSpec& spec, std::int64_t index);

/// The identity of a point: fnv1a64 (core/hash.hpp) of resolved_yaml(scenario) without its comments (the comments
/// name the files values came from, which would change the key when a sweep moves directory).
std::uint64_t point_hash(const Scenario& scenario);

/// 16 lowercase hex digits.
std::string hash_hex(std::uint64_t hash);

}  // namespace imersim
