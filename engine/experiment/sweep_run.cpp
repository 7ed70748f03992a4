// Owns running sweep points (one point, many points with oneTBB) and the per-worker shard writer.
#include "experiment/sweep_run.hpp"

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include <chrono>
#include <limits>

#include "analysis/outcomes.hpp"
#include "core/error.hpp"
#include "experiment/runner.hpp"

namespace imersim {

PointRecord run_point(const SweepSpec& spec, const SweepPoint& point) {
  PointRecord rec;
  rec.index = point.index;
  rec.hash = point.hash;
  rec.params = spec.rows.at(static_cast<std::size_t>(point.index));
  const auto reps = static_cast<std::size_t>(spec.replicates);
  rec.outcomes.assign(spec.outcomes.size() * reps, std::numeric_limits<double>::quiet_NaN());
  if (!point.scenario) {
    rec.error = point.error;
    return rec;
  }
  try {
    RunExtras extras;
    extras.policies = &point.scenario->policies;  // a policy scenario's levers run at every point
    const RunResult run = run_replicates(point.scenario->params, 0, spec.replicates, {}, extras);
    for (std::size_t r = 0; r < reps; ++r) {
      const std::vector<double> values = replicate_outcomes(run.output.replicates.at(r));
      for (std::size_t o = 0; o < spec.outcomes.size(); ++o) rec.outcomes[o * reps + r] = values.at(spec.outcome_index[o]);
    }
    rec.ok = true;
  } catch (const std::exception& e) {  // recorded, and the sweep goes on
    rec.error = e.what();
  }
  return rec;
}

ShardWriter::ShardWriter(std::filesystem::path path, const SweepSpec& spec,
                         std::map<std::string, std::string> worker_attributes)
    : path_(std::move(path)), table_(empty_table(spec)), attributes_(std::move(worker_attributes)) {
  // A predecessor killed while writing leaves "<shard>.tmp.<pid>": remove it (the shard itself is whole).
  std::error_code ec;
  const std::string stale = path_.filename().string() + ".tmp.";
  if (std::filesystem::is_directory(path_.parent_path(), ec))
    for (const auto& e : std::filesystem::directory_iterator(path_.parent_path(), ec))
      if (e.path().filename().string().starts_with(stale)) std::filesystem::remove(e.path(), ec);
  const bool there = std::filesystem::exists(path_, ec);
  if (ec)  // cannot tell (a folder without permission): neither reuse nor overwrite its records blindly
    throw InputError(path_.string(), fmt::format("cannot check whether the shard exists: {}", ec.message()),
                     "check the permissions of the sweep directory");
  if (there) {
    SweepTable old = reading_input(path_.string(), [&] { return read_sweep_table(path_); });
    if (same_sweep(old, table_)) table_.records = std::move(old.records);
  }
}

void ShardWriter::add(PointRecord record) {
  std::lock_guard lock(mutex_);
  table_.records.push_back(std::move(record));
  write_sweep_table(path_, table_, attributes_);
}

void ShardWriter::flush() {
  std::lock_guard lock(mutex_);
  write_sweep_table(path_, table_, attributes_);
}

std::vector<SweepPoint> pending_points(const SweepSpec& spec, const Manifest& manifest, std::int64_t shard,
                                       std::int64_t count, bool retry_failed) {
  std::vector<std::int64_t> mine;
  for (auto i = shard; i < static_cast<std::int64_t>(spec.rows.size()); i += count) mine.push_back(i);
  std::vector<SweepPoint> built(mine.size());
  tbb::parallel_for(std::size_t{0}, mine.size(), [&](std::size_t i) { built[i] = make_point(spec, mine[i]); });
  std::vector<SweepPoint> pending;
  for (auto& p : built) {
    // A recorded point whose parameters now resolve differently: the sweep file or its scenario was
    // edited since the directory was written. Running it again beside the old record would leave a
    // directory that cannot be merged. (Invalid points are skipped: their hash names file paths.)
    const auto recorded = manifest.hash_at.find(p.index);
    if (p.scenario && recorded != manifest.hash_at.end() && recorded->second != p.hash)
      throw InputError("--out", fmt::format("point {} of the sweep resolves to another scenario (hash {}) than the one "
                                            "recorded in this directory (hash {}): the sweep file, its set: or its "
                                            "scenario changed since the directory was written",
                                            p.index, hash_hex(p.hash), hash_hex(recorded->second)),
                       "a directory holds one sweep: run the changed sweep with a new --out, or undo the edit to "
                       "resume the old one");
    if (!manifest.finished(p.hash, retry_failed)) pending.push_back(std::move(p));
  }
  return pending;
}

void run_points(const SweepSpec& spec, const std::vector<SweepPoint>& points, ShardWriter& writer,
                const PointDoneFn& done) {
  std::mutex report;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, points.size(), 1),
      [&](const tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          const auto start = std::chrono::steady_clock::now();
          PointRecord rec = run_point(spec, points[i]);
          const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
          writer.add(rec);  // durable before it is reported
          if (done) {
            std::lock_guard lock(report);
            done(rec, seconds);
          }
        }
      },
      tbb::simple_partitioner());
}

}  // namespace imersim
