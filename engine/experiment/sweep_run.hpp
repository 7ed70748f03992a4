// Running sweep points: one point's replicates into a record, a worker's shard file rewritten after
// every point, and several points at once with oneTBB. Used by serial, sharded and MPI sweeps alike,
// so every mode computes each point the same way.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "experiment/manifest.hpp"
#include "experiment/sweep.hpp"
#include "experiment/sweep_table.hpp"

namespace imersim {

/// Runs every replicate of `point` (replicate r keyed by (run.seed, r)) and records the sweep's
/// outcomes. A point that is invalid or throws is returned with ok = false and its error; the result
/// depends only on the point, never on the thread count or the worker.
PointRecord run_point(const SweepSpec& spec, const SweepPoint& point);

/// The shard file of one worker. Starts with the records already in that file (a resumed worker
/// keeps them) and rewrites the whole file atomically after each added record, so a worker killed at
/// any moment loses at most the points it was running; a temporary file such a kill left behind is
/// removed when the next writer of the same shard starts. Thread-safe.
class ShardWriter {
 public:
  ShardWriter(std::filesystem::path path, const SweepSpec& spec, std::map<std::string, std::string> worker_attributes);
  /// Adds `record` and rewrites the file (IoError on failure).
  void add(PointRecord record);
  /// Rewrites the file even when no point was added (so every worker leaves a shard).
  void flush();
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  SweepTable table_;
  std::map<std::string, std::string> attributes_;
  std::mutex mutex_;
};

/// The points with index % count == shard whose hash is not finished in `manifest`, built (and
/// validated) in parallel, in index order.
std::vector<SweepPoint> pending_points(const SweepSpec& spec, const Manifest& manifest, std::int64_t shard,
                                       std::int64_t count, bool retry_failed);

/// Called after each point with the record and its wall-clock seconds (serialised: never concurrently).
using PointDoneFn = std::function<void(const PointRecord&, double seconds)>;

/// Runs `points`, several at a time (oneTBB; each point's replicates are parallel inside too), adding
/// each record to `writer` as it finishes.
void run_points(const SweepSpec& spec, const std::vector<SweepPoint>& points, ShardWriter& writer,
                const PointDoneFn& done = {});

}  // namespace imersim
