// The table of sweep results (one row per point: parameters, outcomes per replicate and mean, hash,
// status) and its HDF5 file, used both for per-worker shards and for the merged table.
#pragma once
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "experiment/sweep.hpp"

namespace imersim {

/// Value of the root attribute "format" of sweep shards and merged tables (layout version 1).
inline constexpr std::string_view kSweepFormatTag = "imersim-sweep/1";

/// One finished (or failed) point.
struct PointRecord {
  std::int64_t index = 0;          ///< design row
  std::uint64_t hash = 0;          ///< point_hash()
  bool ok = false;                 ///< false: the point failed, `error` says why, outcomes are NaN
  std::string error;
  std::vector<double> params;      ///< value per swept parameter, in the table's order
  std::vector<double> outcomes;    ///< [outcome * replicates + replicate]
};

/// A sweep's results with the facts needed to read them (same in every shard of one sweep).
struct SweepTable {
  std::map<std::string, std::string> attributes;  ///< sweep-level root attributes (see sweep_attributes)
  std::vector<std::string> parameters;            ///< swept keys
  std::vector<std::string> outcomes;              ///< outcome names
  std::int64_t replicates = 1;
  std::vector<PointRecord> records;               ///< sorted by index when written by merge

  /// Mean over replicates of outcome `o` at record `r` (NaN when any replicate is NaN).
  [[nodiscard]] double mean(std::size_t r, std::size_t o) const;
};

/// An empty table for `spec`, with the sweep-level attributes: sweep_name, sweep_yaml, design,
/// parameters, outcomes (newline-separated), replicates, points_total, saltelli_base, seeds.
SweepTable empty_table(const SweepSpec& spec);

/// Writes `table` to `path` atomically (temporary name, then rename; parent directories created).
/// `extra` adds root attributes that describe who wrote the file (worker, host); the merged table
/// passes none so that it is identical however the sweep was run. Throws IoError.
void write_sweep_table(const std::filesystem::path& path, const SweepTable& table,
                       const std::map<std::string, std::string>& extra = {});

/// Reads a shard or merged table back. Throws IoError when it is missing or not a sweep table.
SweepTable read_sweep_table(const std::filesystem::path& path);

}  // namespace imersim
