// The scalar outcomes of one replicate (stage shares, survival, GMV, exits, ...), computed from the
// datasets the Recorder writes. One registry, used by validate, compare, sweep and calibrate, so an
// outcome has one name and one definition everywhere.
#pragma once
#include <string>
#include <vector>

#include "output/dataset.hpp"

namespace imersim {

/// Name, unit and meaning of one scalar outcome.
struct OutcomeSpec {
  std::string name;         ///< e.g. "share.survivor", "survival_24", "gmv_monthly"
  std::string unit;         ///< "share", "IDR/month", "agent", ...
  std::string description;  ///< one sentence
};

/// Every outcome replicate_outcomes() computes, in its order. Policy outcomes (cost) are included
/// and read 0 when a run has no policies.
const std::vector<OutcomeSpec>& outcome_specs();

/// The spec named `name`; throws InputError (key "outcome") naming the closest name when unknown.
const OutcomeSpec& outcome_spec(const std::string& name);

/// Values of every outcome for one replicate, in outcome_specs() order, from that replicate's
/// datasets (RunOutput::replicates[r]). Outcomes that cannot be computed (survival beyond the run)
/// are NaN.
std::vector<double> replicate_outcomes(const std::vector<Dataset>& replicate);

/// Looks up one dataset by name; nullptr when absent.
const Dataset* find_dataset(const std::vector<Dataset>& replicate, const std::string& name);

}  // namespace imersim
