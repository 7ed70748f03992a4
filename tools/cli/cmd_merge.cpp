// `imersim merge DIR`: combine a sweep's shard files into one table sorted by point index (+ CSV).
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <sstream>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "experiment/manifest.hpp"

namespace imersim::cli {
namespace {

namespace fs = std::filesystem;

std::string csv_text(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

/// One row per point: index, hash, status, parameters, per outcome its mean then each replicate, error.
std::string csv_table(const SweepTable& t) {
  std::ostringstream out;
  out << "index,hash,status";
  for (const auto& p : t.parameters) out << "," << p;
  for (const auto& o : t.outcomes) {
    out << "," << o << ".mean";
    for (std::int64_t r = 0; r < t.replicates; ++r) out << "," << o << ".r" << r;
  }
  out << ",error\n";
  const auto reps = static_cast<std::size_t>(t.replicates);
  for (std::size_t i = 0; i < t.records.size(); ++i) {
    const auto& rec = t.records[i];
    out << rec.index << "," << hash_hex(rec.hash) << "," << (rec.ok ? "ok" : "failed");
    for (double v : rec.params) out << "," << fmt::format("{}", v);
    for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
      out << "," << fmt::format("{}", t.mean(i, o));
      for (std::size_t r = 0; r < reps; ++r) out << "," << fmt::format("{}", rec.outcomes[o * reps + r]);
    }
    out << "," << csv_text(rec.error) << "\n";
  }
  return out.str();
}

}  // namespace

void setup_merge(CLI::App& app) {
  auto* sub = app.add_subcommand("merge", "Merge the shard files of a sweep directory into one table");
  struct Args {
    std::string dir, out, csv;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("DIR", args->dir, "Sweep directory (the --out of imersim sweep)")->required();
  sub->add_option("--out,-o", args->out, "Merged HDF5 table (default DIR/merged.h5)");
  sub->add_option("--csv", args->csv, "Also write the table as CSV to this file");
  set_action(sub, [args] {
    const fs::path out = args->out.empty() ? fs::path(args->dir) / "merged.h5" : fs::path(args->out);
    std::vector<NamedPath> shards;
    for (const auto& f : shard_files(args->dir)) shards.push_back({f, "shard"});
    check_outputs({{out, "--out"}, {args->csv, "--csv", true}}, shards);  // nothing written over a shard
    const SweepTable t = reading_input(args->dir, [&] { return merge_shards(args->dir); });
    write_sweep_table(out, t);
    if (!args->csv.empty()) write_text_atomically(args->csv, csv_table(t));
    const auto total = std::stoll(t.attributes.at("points_total"));
    std::size_t failed = 0;
    for (const auto& r : t.records) failed += r.ok ? 0 : 1;
    const auto missing = total - static_cast<std::int64_t>(t.records.size());
    std::fputs(fmt::format("merged {} shard(s) of sweep {}: {} of {} points ({} ok, {} failed, {} missing)\nwrote {}{}\n",
                           shard_files(args->dir).size(), t.attributes.at("sweep_name"), t.records.size(), total,
                           t.records.size() - failed, failed, missing, out.string(),
                           args->csv.empty() ? "" : " and " + args->csv)
                   .c_str(),
               stdout);
    for (const auto& r : t.records)
      if (!r.ok) std::fputs(fmt::format("point {} failed: {}\n", r.index, r.error).c_str(), stderr);
    if (missing > 0)
      std::fputs(fmt::format("{} point(s) missing: re-run `imersim sweep` with the same --out to finish them\n", missing)
                     .c_str(),
                 stderr);
    return 0;
  });
}

}  // namespace imersim::cli
