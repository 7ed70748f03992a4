// Model-independent result containers: named, typed, shaped arrays with units, ready for HDF5.
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace imersim {

/// One n-dimensional array, row-major. Exactly one of `ints` / `reals` holds data (per `is_int`).
struct Dataset {
  std::string name;                 ///< HDF5 dataset name, snake_case, e.g. "stage_counts"
  std::vector<std::size_t> shape;   ///< e.g. {months, 5}
  std::vector<std::string> axes;    ///< one label per dimension, e.g. {"month", "stage"}
  std::string unit;                 ///< e.g. "agent", "IDR", "IDR/month", "share"
  std::string description;          ///< one sentence
  bool is_int = true;
  std::vector<std::int64_t> ints;
  std::vector<double> reals;

  [[nodiscard]] std::size_t size() const {
    std::size_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
};

/// Everything a run writes: file attributes, then per replicate a group of datasets, then optional
/// per-agent snapshot datasets per replicate.
struct RunOutput {
  std::map<std::string, std::string> attributes;       ///< written as string attributes on "/"
  std::vector<std::vector<Dataset>> replicates;        ///< replicates[r] -> /replicate_NNN/<name>
  std::vector<std::vector<Dataset>> snapshots;         ///< empty or one per replicate -> /replicate_NNN/snapshot/<name>
  std::vector<Dataset> summary;                        ///< cross-replicate summaries -> /summary/<name>
};

}  // namespace imersim
