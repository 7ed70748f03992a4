// The sweep manifest: which points of a sweep output directory are finished (or failed), keyed by
// point hash and read from every worker's shard file, so a re-run skips them; and the merge of the
// shards into one table sorted by point index.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "experiment/sweep_table.hpp"

namespace imersim {

/// File of one worker in the sweep directory: "<dir>/<worker>.h5", worker = "shard_<i>_of_<n>"
/// (serial runs are shard_0_of_1) or "rank_<r>_of_<n>" (MPI).
std::filesystem::path shard_path(const std::filesystem::path& dir, const std::string& worker);

/// Every shard file in `dir` (names shard_*.h5 and rank_*.h5), sorted by name; none when `dir`
/// does not exist.
std::vector<std::filesystem::path> shard_files(const std::filesystem::path& dir);

/// Recorded points of a sweep directory, keyed by point hash (an ok record wins over a failed one).
struct Manifest {
  std::map<std::uint64_t, PointRecord> points;
  /// The hash recorded for each point index: a point of the sweep file that now hashes differently
  /// was changed since (a range, a seed, `set:`, the scenario), so the directory is another sweep's.
  std::map<std::int64_t, std::uint64_t> hash_at;
  /// True when the point need not run again: recorded ok, or recorded failed and !retry_failed.
  [[nodiscard]] bool finished(std::uint64_t hash, bool retry_failed) const;
};

/// Reads every shard of `dir`. Throws InputError (key "--out") when a shard belongs to a different
/// sweep than `expected` (other parameters, outcomes, replicates, design or number of points): a
/// directory holds one sweep.
Manifest load_manifest(const std::filesystem::path& dir, const SweepTable& expected);

/// Merges every shard of `dir` into one table sorted by point index (a point recorded twice keeps
/// its ok record). The table depends only on the recorded points, never on which worker or mode
/// ran them. Throws IoError when `dir` has no shard, InputError when shards disagree.
SweepTable merge_shards(const std::filesystem::path& dir);

/// True when two tables describe the same sweep (all sweep-level attributes but the file text and name).
bool same_sweep(const SweepTable& a, const SweepTable& b);

}  // namespace imersim
