// Owns shard naming, the resume manifest (finished point hashes over all shards) and the shard merge.
#include "experiment/manifest.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace imersim {

namespace fs = std::filesystem;

fs::path shard_path(const fs::path& dir, const std::string& worker) { return dir / (worker + ".h5"); }

std::vector<fs::path> shard_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    const bool worker = name.starts_with("shard_") || name.starts_with("rank_");
    if (worker && e.path().extension() == ".h5" && e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool same_sweep(const SweepTable& a, const SweepTable& b) {
  for (const char* key : {"design", "parameters", "outcomes", "replicates", "points_total", "saltelli_base", "seeds"}) {
    const auto x = a.attributes.find(key), y = b.attributes.find(key);
    if (x == a.attributes.end() || y == b.attributes.end() || x->second != y->second) return false;
  }
  return true;
}

bool Manifest::finished(std::uint64_t hash, bool retry_failed) const {
  const auto it = points.find(hash);
  return it != points.end() && (it->second.ok || !retry_failed);
}

namespace {
void keep(std::map<std::uint64_t, PointRecord>& into, const PointRecord& r) {
  auto [it, inserted] = into.emplace(r.hash, r);
  if (!inserted && !it->second.ok && r.ok) it->second = r;
}

[[noreturn]] void different_sweep(const fs::path& shard, const std::string& what) {
  throw InputError("--out", fmt::format("'{}' belongs to a different sweep ({})", shard.string(), what),
                   "a directory holds one sweep: choose another --out, or delete the old shards to start afresh");
}
}  // namespace

Manifest load_manifest(const fs::path& dir, const SweepTable& expected) {
  Manifest m;
  for (const auto& f : shard_files(dir)) {
    // A shard that is not a readable sweep table (damaged, or another file under a shard's name) is
    // bad input, as for merge: exit 2 naming it, before any point runs.
    const SweepTable t = reading_input(f.string(), [&] { return read_sweep_table(f); });
    if (!same_sweep(t, expected)) different_sweep(f, "its parameters, outcomes, replicates or design differ");
    for (const auto& r : t.records) {
      keep(m.points, r);
      const auto [at, inserted] = m.hash_at.emplace(r.index, r.hash);
      if (!inserted && at->second != r.hash)
        different_sweep(f, fmt::format("point {} has hash {} here but {} in another shard", r.index, hash_hex(r.hash),
                                       hash_hex(at->second)));
    }
  }
  return m;
}

SweepTable merge_shards(const fs::path& dir) {
  const auto files = shard_files(dir);
  if (files.empty())
    throw IoError(fmt::format("no shard files (shard_*.h5, rank_*.h5) in '{}'", dir.string()), "nothing to merge",
                  "run `imersim sweep SWEEP.yaml --out DIR` first, with the same DIR");
  SweepTable merged = read_sweep_table(files.front());
  std::map<std::int64_t, PointRecord> by_index;
  for (const auto& f : files) {
    SweepTable t = f == files.front() ? merged : read_sweep_table(f);
    if (!same_sweep(t, merged)) different_sweep(f, fmt::format("it differs from '{}'", files.front().string()));
    for (auto& r : t.records) {
      auto [it, inserted] = by_index.emplace(r.index, r);
      if (inserted) continue;
      if (it->second.hash != r.hash)
        different_sweep(f, fmt::format("point {} has hash {} here but {} elsewhere", r.index, hash_hex(r.hash),
                                       hash_hex(it->second.hash)));
      if (!it->second.ok && r.ok) it->second = r;
    }
  }
  merged.records.clear();
  for (auto& [index, r] : by_index) merged.records.push_back(std::move(r));
  return merged;
}

}  // namespace imersim
