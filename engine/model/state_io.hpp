// Saving and restoring the full state of a run at a month (population arrays, next id, month, free
// slots, policy state and budgets) so that a long burn-in is simulated once and scenarios branch
// from it; a restored run continues bit for bit like an uninterrupted one. File layout: the HDF5
// container of docs/outputs.md with root attribute content = "imersim-state/1" (docs/outputs.md).
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/dataset.hpp"
#include "params/params.hpp"
#include "policy/policy_spec.hpp"

namespace imersim {

class Simulation;

/// Root attribute "content" of a state file.
inline constexpr std::string_view kStateContentTag = "imersim-state/1";

/// The states of replicates 0..n-1 of one scenario after `month` months.
struct SavedStates {
  std::uint32_t month = 0;      ///< months completed when saved (burn-in included)
  std::string params_text;      ///< "key=value" lines of every parameter the state depends on
  std::string policies_text;    ///< resolved `policies:` YAML of the saving run ("policies: {}\n" without levers)
  std::string scenario_yaml;    ///< the saving scenario, resolved (for people)
  std::vector<std::vector<Dataset>> replicates;  ///< [replicate] -> its state datasets
};

/// Reads and writes a Simulation's private run state.
class StateIo {
 public:
  /// Every array and counter needed to continue `sim` exactly.
  static std::vector<Dataset> capture(Simulation& sim);
  /// Puts a captured state into `sim`, built with the same parameters (and, when the state holds
  /// policy state, the same levers). Throws InputError when the state does not fit.
  static void restore(Simulation& sim, const std::vector<Dataset>& state);
};

/// "key=value" lines of every parameter except run.months, run.replicates and run.snapshot (which
/// only change what is reported): two runs with equal texts simulate the same months identically.
std::string state_params_text(const Params& p);

/// Writes `s` atomically (temporary name, then rename). Throws IoError.
void write_state(const std::filesystem::path& path, const SavedStates& s);
/// Reads a file written by write_state. Throws IoError when it is missing or not a state file.
SavedStates read_state(const std::filesystem::path& path);

/// Throws InputError (naming `scenario_file`, the state file and the differing keys) unless a run of
/// `params` with the levers `policies` can continue from `s` for `replicates` replicates: the same
/// parameters (but for reporting), the levers of the saving run if it had any, and, if it had none, no
/// lever active in a month before the state's (a lever that starts during the burn-in would have
/// changed months the continued run does not replay).
void check_state_compatible(const SavedStates& s, const std::string& state_file, const Params& params,
                            PolicySpecs policies, const std::string& scenario_file, std::int64_t replicates);

}  // namespace imersim
