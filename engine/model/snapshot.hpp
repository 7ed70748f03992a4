// The optional per-agent snapshot of the final month (run.snapshot: true).
#pragma once
#include <vector>

#include "model/population.hpp"
#include "output/dataset.hpp"

namespace imersim {

/// One dataset per agent field, alive agents only, in slot order.
std::vector<Dataset> snapshot_datasets(const Population& pop);

}  // namespace imersim
