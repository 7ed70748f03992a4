// Target files (configs/targets/*.yaml): the observed stage shares and optional cohort outcomes a
// scenario is validated and calibrated against, each with its tolerance; read strictly.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace imersim {

/// Default floor (a share) put under simulated shares before taking logs: an empty stage counts as
/// this share, so log-share statistics stay finite. 1e-7 is below one agent in a million.
inline constexpr double kDefaultShareFloor = 1e-7;
/// Largest allowed distance of the sum of the five target shares from 1 (they are rounded figures).
inline constexpr double kShareSumTolerance = 0.01;

/// One target: an outcome of engine/analysis/outcomes.hpp, its observed value and tolerance.
struct Target {
  std::string outcome;  ///< outcome name, e.g. "share.survivor" or "reach.pioneer"
  double value;         ///< observed value (a share, > 0)
  double tolerance;     ///< largest accepted |relative error| of the simulated mean (0.05 = 5 %)
};

/// A documented alternative value of one stage share (informational; not used in fits).
struct TargetAlternative {
  std::string stage;   ///< stage key, e.g. "pioneer"
  double value;        ///< alternative share
  std::string source;  ///< where it comes from
  std::string file;    ///< a target file that uses it (may be empty), relative to this file
};

/// A validated target file.
struct TargetSet {
  std::string name;
  std::string description;
  std::string source;           ///< where the shares come from
  std::filesystem::path path;   ///< the file read
  double floor = kDefaultShareFloor;
  std::vector<Target> shares;   ///< exactly five, in stage order, outcomes "share.<stage>"
  std::vector<Target> cohort;   ///< optional cohort outcomes ("reach.<stage>", "survival_<m>")
  std::vector<TargetAlternative> alternatives;

  /// Sum of the five target shares.
  [[nodiscard]] double share_sum() const;
  /// Shares, then cohort targets.
  [[nodiscard]] std::vector<Target> all() const;
  /// A canonical text of what the fit uses (floor, each target's value and tolerance) for provenance
  /// and checkpoint checks.
  [[nodiscard]] std::string canonical() const;
};

/// Reads and validates a target file. Throws InputError listing every problem (file:line:col, key,
/// did-you-mean hints), IoError when the file cannot be read.
TargetSet load_targets(const std::filesystem::path& path);

}  // namespace imersim
