// `imersim sensitivity TABLE`: first- and total-order Sobol indices with bootstrap intervals from a
// Saltelli sweep, and how much of the outcome variance is replicate noise.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "analysis/sobol.hpp"
#include "commands.hpp"
#include "core/error.hpp"
#include "experiment/manifest.hpp"

namespace imersim::cli {
namespace {

namespace fs = std::filesystem;

/// The sample of outcome `o`: replicate means in Saltelli order, and the replicate-noise variance of
/// a mean (mean over points of the replicates' sample variance divided by their number).
SaltelliSample sample_of(const SweepTable& t, std::size_t o) {
  SaltelliSample s;
  s.base = static_cast<std::size_t>(std::stoll(t.attributes.at("saltelli_base")));
  s.params = t.parameters.size();
  const auto reps = static_cast<std::size_t>(t.replicates);
  double noise = 0;
  for (std::size_t r = 0; r < t.records.size(); ++r) {
    s.values.push_back(t.mean(r, o));
    if (reps < 2) continue;
    double ss = 0;
    for (std::size_t k = 0; k < reps; ++k) ss += std::pow(t.records[r].outcomes[o * reps + k] - s.values.back(), 2);
    noise += ss / static_cast<double>(reps - 1) / static_cast<double>(reps);
  }
  s.noise_variance = noise / static_cast<double>(t.records.size());
  s.subtract_noise = t.attributes.at("seeds") == "per_point";
  return s;
}

/// Every point present and ok, or an InputError naming the first problems.
void require_complete(const SweepTable& t) {
  if (t.attributes.at("design") != "saltelli")
    throw InputError("design", fmt::format("sensitivity needs a saltelli design, this sweep is '{}'",
                                           t.attributes.at("design")),
                     "write a sweep with `design: {type: saltelli, points: N}` (docs/cluster.md)");
  const auto total = static_cast<std::size_t>(std::stoll(t.attributes.at("points_total")));
  std::vector<std::string> bad;
  std::size_t at = 0;
  for (std::size_t i = 0; i < total; ++i) {
    if (at < t.records.size() && t.records[at].index == static_cast<std::int64_t>(i)) {
      if (!t.records[at].ok) bad.push_back(fmt::format("point {} failed", i));
      ++at;
    } else {
      bad.push_back(fmt::format("point {} missing", i));
    }
  }
  if (!bad.empty())
    throw InputError("points", fmt::format("{} of {} points are not usable ({}{})", bad.size(), total, bad.front(),
                                           bad.size() > 1 ? ", ..." : ""),
                     "re-run `imersim sweep` with the same --out to finish them (--retry-failed for failures)");
}

}  // namespace

void setup_sensitivity(CLI::App& app) {
  auto* sub = app.add_subcommand("sensitivity", "Sobol sensitivity indices of a Saltelli sweep");
  struct Args {
    std::string table;
    std::vector<std::string> outcomes;
    std::size_t bootstrap = 1000;
    double level = 0.95;
    std::uint32_t seed = 1;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("TABLE", args->table, "Merged table (imersim merge) or a sweep directory")->required();
  sub->add_option("--outcome", args->outcomes, "Outcome to analyse (repeatable; default every outcome of the sweep)");
  sub->add_option("--bootstrap", args->bootstrap, "Bootstrap resamples of the base samples")->check(CLI::Range(0, 1000000));
  sub->add_option("--level", args->level, "Confidence level of the intervals")->check(finite_range(0.5, 0.999));
  sub->add_option("--seed", args->seed, "Seed of the bootstrap resampling");
  set_action(sub, [args] {
    const SweepTable t = reading_input(args->table, [&] {
      return fs::is_directory(args->table) ? merge_shards(args->table) : read_sweep_table(args->table);
    });
    require_complete(t);
    if (t.outcomes.empty())
      throw InputError(args->table, "the sweep recorded no outcomes: there is nothing to attribute",
                       "list outcomes under `outcomes:` in the sweep file and run it again");
    std::vector<std::string> names = args->outcomes.empty() ? t.outcomes : args->outcomes;
    for (const auto& n : names)
      if (std::find(t.outcomes.begin(), t.outcomes.end(), n) == t.outcomes.end())
        throw InputError("--outcome", fmt::format("the sweep did not record outcome '{}'", n),
                         fmt::format("recorded: {}", fmt::join(t.outcomes, ", ")));
    const std::size_t base = std::stoull(t.attributes.at("saltelli_base"));
    std::fputs(fmt::format("sweep {}: {} parameters, {} base samples x {} replicates, {} bootstrap resamples, "
                           "{:.0f} % intervals; seeds: {}\n",
                           t.attributes.at("sweep_name"), t.parameters.size(), base, t.replicates, args->bootstrap,
                           100 * args->level, t.attributes.at("seeds"))
                   .c_str(),
               stdout);
    std::size_t width = 9;
    for (const auto& p : t.parameters) width = std::max(width, p.size());
    for (const auto& name : names) {
      const auto o = static_cast<std::size_t>(std::find(t.outcomes.begin(), t.outcomes.end(), name) - t.outcomes.begin());
      const SaltelliSample s = sample_of(t, o);
      const SobolIndices ix = sobol_indices(s, args->bootstrap, args->level, args->seed);
      std::fputs(fmt::format("\n{}: variance {:.4g}; replicate noise {:.4g} ({:.1f} % of the variance{})\n", name,
                             ix.variance, s.noise_variance, 100 * ix.noise_share,
                             s.subtract_noise ? ", subtracted" : ", common random numbers: not subtracted")
                     .c_str(),
                 stdout);
      std::fputs(fmt::format("  {:<{}}  {:>8} {:>21}  {:>8} {:>21}\n", "parameter", width, "S1", "interval", "ST",
                             "interval")
                     .c_str(),
                 stdout);
      std::vector<std::size_t> order(t.parameters.size());
      std::iota(order.begin(), order.end(), std::size_t{0});
      std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return ix.total[a].value > ix.total[b].value; });
      for (std::size_t i : order)
        std::fputs(fmt::format("  {:<{}}  {:8.3f} [{:8.3f}, {:8.3f}]  {:8.3f} [{:8.3f}, {:8.3f}]\n", t.parameters[i],
                               width, ix.first[i].value, ix.first[i].low, ix.first[i].high, ix.total[i].value,
                               ix.total[i].low, ix.total[i].high)
                       .c_str(),
                   stdout);
    }
    return 0;
  });
}

}  // namespace imersim::cli
